import XCTest
@testable import Tensor

final class PoolTests: XCTestCase {
    func testPool1dValues() {
        let x = Tensor(shape: [1, 1, 7], data: [1, 3, 2, 5, 4, 0, 6])
        XCTAssertEqual(maxPool1d(x, kernel: 2).data, [3, 5, 4])
        XCTAssertEqual(maxPool1d(x, kernel: 3, stride: 2, padding: 1).data, [3, 5, 5, 6])
        XCTAssertEqual(avgPool1d(x, kernel: 2).data, [2, 3.5, 2])
        // Zero padding counts in the average (count_include_pad).
        XCTAssertEqual(avgPool1d(x, kernel: 2, stride: 2, padding: 1).data, [0.5, 2.5, 4.5, 3])
        // Negative values with padding: max pads with -inf, not 0.
        XCTAssertEqual(maxPool1d(Tensor(shape: [1, 1, 2], data: [-1, -2]), kernel: 2, stride: 1, padding: 1).data, [-1, -1, -2])
    }

    func testPool2dValues() {
        let x = Tensor(shape: [1, 1, 3, 4], data: (0 ..< 12).map(Float.init))
        XCTAssertEqual(maxPool2d(x, kernel: (2, 2)).data, [5, 7])
        XCTAssertEqual(avgPool2d(x, kernel: (2, 2), stride: (1, 2)).data, [2.5, 4.5, 6.5, 8.5])
    }

    func testGradients() {
        let x1 = randomTensor([2, 3, 11], seed: 3), s1 = spacedTensor([2, 3, 11], seed: 3)
        for (k, s, p) in [(2, 2, 0), (3, 2, 1), (4, 4, 0), (3, 1, 1), (4, 3, 2), (2, 3, 0)] {
            checkGradients([s1], eps: 1e-3) { maxPool1d($0[0], kernel: k, stride: s, padding: p) }
            checkGradients([x1]) { avgPool1d($0[0], kernel: k, stride: s, padding: p) }
        }
        let x2 = randomTensor([2, 2, 5, 7], seed: 4), s2 = spacedTensor([2, 2, 5, 7], seed: 4)
        for (k, s, p) in [((2, 2), (2, 2), (0, 0)), ((3, 2), (2, 1), (1, 1)), ((2, 3), (1, 2), (0, 1))] {
            checkGradients([s2], eps: 1e-3) { maxPool2d($0[0], kernel: k, stride: s, padding: p) }
            checkGradients([x2]) { avgPool2d($0[0], kernel: k, stride: s, padding: p) }
        }
    }

    /// Forward values and input gradients of `f` for the same input and output weights.
    private func valuesAndGradient(_ x: Tensor, _ f: (Tensor) -> Tensor) -> ([Float], [Float]) {
        let input = Tensor(shape: x.shape, data: x.data, requiresGrad: true)
        let y = f(input)
        let weights = (0 ..< y.count).map { Float(($0 * 7) % 5) - 1.5 }
        (y * Tensor(shape: y.shape, data: weights)).sum().backward()
        return (y.data, input.grad ?? [])
    }

    func testMaxPool1dFastPathEqualsScan() {
        // Stride == kernel ∈ {2, 4} runs 16 windows at a time (plus a scalar tail): compare with
        // the generic scan (a padded pooling of the same row, whose windows are the same when
        // stride == kernel and the padding only adds -inf) on rows with ties and negatives.
        var rng = SeededGenerator(seed: 5)
        let values = (0 ..< 2 * 3 * 75).map { _ in Float(Int(rng.next() % 7)) - 3 }  // many ties
        let x = Tensor(shape: [2, 3, 75], data: values)
        for k in [2, 4] {
            let fast = valuesAndGradient(x) { maxPool1d($0, kernel: k) }
            // Reference: an explicit first-maximum scan.
            let lout = 75 / k
            var ref = [Float](), refGrad = [Float](repeating: 0, count: x.count)
            var o = 0
            for plane in 0 ..< 6 {
                for ow in 0 ..< lout {
                    var best = -Float.infinity, at = 0
                    for j in 0 ..< k where values[plane * 75 + ow * k + j] > best { best = values[plane * 75 + ow * k + j]; at = j }
                    ref.append(best)
                    refGrad[plane * 75 + ow * k + at] += Float((o * 7) % 5) - 1.5
                    o += 1
                }
            }
            XCTAssertEqual(fast.0, ref, "kernel \(k)")
            XCTAssertEqual(fast.1, refGrad, "kernel \(k)")
        }
    }

    func testReluMaxPool1dEqualsComposition() {
        var rng = SeededGenerator(seed: 6)
        let values = (0 ..< 2 * 3 * 70).map { _ in Float(Int(rng.next() % 9)) - 5 }  // ties, zeros, all-negative windows
        let x = Tensor(shape: [2, 3, 70], data: values)
        for (k, s, p) in [(2, nil, 0), (4, nil, 0), (3, 2, 1), (4, 3, 2), (5, 5, 0), (2, 3, 0), (3, 4, 0)] as [(Int, Int?, Int)] {
            let fused = valuesAndGradient(x) { reluMaxPool1d($0, kernel: k, stride: s, padding: p) }
            let composed = valuesAndGradient(x) { maxPool1d(relu($0), kernel: k, stride: s, padding: p) }
            XCTAssertEqual(fused.0, composed.0, "kernel \(k) stride \(s ?? k) padding \(p)")
            XCTAssertEqual(fused.1, composed.1, "kernel \(k) stride \(s ?? k) padding \(p)")
        }
        let spaced = spacedTensor([2, 3, 11], seed: 3)
        checkGradients([spaced], eps: 1e-3) { reluMaxPool1d($0[0], kernel: 2) }
        checkGradients([spaced], eps: 1e-3) { reluMaxPool1d($0[0], kernel: 3, stride: 2, padding: 1) }
    }
}
