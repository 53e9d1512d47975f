import XCTest
@testable import Tensor

final class ConvPoolTests: XCTestCase {
    /// Output and the gradients of x, weight and bias for the loss Σ y ⊙ R (R fixed).
    private func run(_ x: Tensor, _ w: Tensor, _ b: Tensor?, _ f: (Tensor, Tensor, Tensor?) -> Tensor) -> [[Float]] {
        let (x, w) = (Tensor(shape: x.shape, data: x.data, requiresGrad: true), Tensor(shape: w.shape, data: w.data, requiresGrad: true))
        let b = b.map { Tensor(shape: $0.shape, data: $0.data, requiresGrad: true) }
        let y = f(x, w, b)
        let r = (0 ..< y.count).map { Float(($0 * 5) % 7) - 3 }
        (y * Tensor(shape: y.shape, data: r)).sum().backward()
        return [y.data, x.grad ?? [], w.grad ?? [], b?.grad ?? []]
    }

    func testEqualsConvThenReluMaxPoolBitForBit() {
        let saved = Threads.count
        defer { Threads.setCount(saved) }
        // (L, K, stride, padding, dilation, pool kernel, pool stride, pool padding); the first two
        // are the Spotify network's shapes (pool 4 and 2 on the 16-wide path, with a tail).
        let cases: [(Int, Int, Int, Int, Int, Int, Int?, Int)] = [
            (70, 4, 1, 0, 1, 4, nil, 0), (41, 4, 1, 0, 1, 2, nil, 0), (19, 3, 2, 1, 1, 3, 2, 1), (23, 2, 1, 0, 2, 3, 1, 0),
            (30, 3, 1, 0, 1, 2, 3, 0),   // gaps between the pooling windows
        ]
        for threads in [1, 2] {
            Threads.setCount(threads)
            for (i, c) in cases.enumerated() {
                let x = randomTensor([3, 5, c.0], seed: UInt64(i)), w = randomTensor([6, 5, c.1], seed: UInt64(10 + i), scale: 0.3)
                let b = randomTensor([6], seed: UInt64(20 + i))
                for bias in [b, nil] {
                    let fused = run(x, w, bias) {
                        conv1dReluMaxPool1d($0, weight: $1, bias: $2, stride: c.2, padding: c.3, dilation: c.4,
                                            poolKernel: c.5, poolStride: c.6, poolPadding: c.7)
                    }
                    let composed = run(x, w, bias) {
                        maxPool1d(relu(conv1d($0, weight: $1, bias: $2, stride: c.2, padding: c.3, dilation: c.4)),
                                  kernel: c.5, stride: c.6, padding: c.7)
                    }
                    for (k, name) in ["y", "dx", "dw", "db"].enumerated() {
                        XCTAssertEqual(fused[k], composed[k], "\(name), case \(i), \(threads) thread(s), bias \(bias != nil)")
                    }
                }
            }
        }
    }

    func testGradients() {
        let x = randomTensor([2, 3, 13], seed: 1), w = randomTensor([4, 3, 3], seed: 2), b = randomTensor([4], seed: 3)
        checkGradients([x, w, b], eps: 1e-3, tolerance: 3e-2) {
            conv1dReluMaxPool1d($0[0], weight: $0[1], bias: $0[2], poolKernel: 2)
        }
        checkGradients([x, w], eps: 1e-3, tolerance: 3e-2) {
            conv1dReluMaxPool1d($0[0], weight: $0[1], stride: 2, padding: 1, poolKernel: 3, poolStride: 1, poolPadding: 1)
        }
    }

    func testWithoutGradientRecordsNothing() {
        let x = randomTensor([2, 3, 13], seed: 1), w = randomTensor([4, 3, 3], seed: 2)
        let y = Autograd.noGrad { conv1dReluMaxPool1d(x, weight: w, poolKernel: 2) }
        XCTAssertFalse(y.requiresGrad)
        XCTAssertEqual(y.data, maxPool1d(relu(conv1d(x, weight: w)), kernel: 2).data)
    }

    func testConvReluGlobalPoolEqualsCompositionBitForBit() {
        let saved = Threads.count
        defer { Threads.setCount(saved) }
        // (L, K, stride, padding, dilation); L long enough for 16-wide blocks and a tail.
        let cases: [(Int, Int, Int, Int, Int)] = [(40, 4, 1, 0, 1), (19, 3, 2, 1, 1), (12, 2, 1, 0, 2)]
        for threads in [1, 2] {
            Threads.setCount(threads)
            for (i, c) in cases.enumerated() {
                let x = randomTensor([3, 5, c.0], seed: UInt64(30 + i)), w = randomTensor([6, 5, c.1], seed: UInt64(40 + i), scale: 0.3)
                let b = randomTensor([6], seed: UInt64(50 + i))
                for kinds in [[GlobalPoolKind.mean, .max, .l2], [.l2], [.max, .mean]] {
                    for bias in [b, nil] {
                        let fused = run(x, w, bias) {
                            conv1dReluGlobalPool($0, weight: $1, bias: $2, stride: c.2, padding: c.3, dilation: c.4, kinds: kinds)
                        }
                        let composed = run(x, w, bias) {
                            globalTemporalPool(relu(conv1d($0, weight: $1, bias: $2, stride: c.2, padding: c.3, dilation: c.4)), kinds: kinds)
                        }
                        for (k, name) in ["y", "dx", "dw", "db"].enumerated() {
                            XCTAssertEqual(fused[k], composed[k], "\(name), case \(i), \(kinds), \(threads) thread(s)")
                        }
                    }
                }
            }
        }
        // Inference (no gradient): the same values without keeping the convolution output.
        let x = randomTensor([2, 3, 21], seed: 1), w = randomTensor([4, 3, 3], seed: 2)
        let y = Autograd.noGrad { conv1dReluGlobalPool(x, weight: w) }
        XCTAssertFalse(y.requiresGrad)
        XCTAssertEqual(y.data, globalTemporalPool(relu(conv1d(x, weight: w))).data)
    }

    func testConvReluGlobalPoolGradients() {
        let x = spacedTensor([2, 3, 9], seed: 4), w = randomTensor([4, 3, 3], seed: 5, scale: 0.5), b = randomTensor([4], seed: 6)
        checkGradients([x, w, b], eps: 1e-3, tolerance: 3e-2) { conv1dReluGlobalPool($0[0], weight: $0[1], bias: $0[2]) }
    }
}
