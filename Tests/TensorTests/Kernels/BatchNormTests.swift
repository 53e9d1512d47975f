import XCTest
@testable import Tensor

final class BatchNormTests: XCTestCase {
    func testTrainingNormalisesAndUpdatesRunningStats() {
        let x = Tensor(shape: [4, 1], data: [1, 2, 3, 6])  // mean 3, biased var 3.5, unbiased 14/3
        let rm = Tensor.zeros([1]), rv = Tensor.ones([1])
        let y = batchNorm(x, weight: nil, bias: nil, runningMean: rm, runningVar: rv, training: true, momentum: 0.1, eps: 0)
        assertClose(y.data, [1, 2, 3, 6].map { ($0 - 3) / Float(3.5).squareRoot() })
        XCTAssertEqual(rm.data[0], 0.3, accuracy: 1e-6)
        XCTAssertEqual(rv.data[0], 0.9 + 0.1 * 14 / 3, accuracy: 1e-6)
        // Eval uses the running statistics and changes nothing.
        let e = batchNorm(x, weight: Tensor([2]), bias: Tensor([1]), runningMean: rm, runningVar: rv, training: false, eps: 0)
        assertClose(e.data, [1, 2, 3, 6].map { ($0 - 0.3) / rv.data[0].squareRoot() * 2 + 1 })
        XCTAssertEqual(rm.data[0], 0.3, accuracy: 1e-6)
    }

    func testGradients() {
        for shape in [[5, 3], [3, 2, 7], [2, 3, 3, 4]] {
            let c = shape[1]
            let x = randomTensor(shape, seed: 6), g = randomTensor([c], seed: 7) + 1, b = randomTensor([c], seed: 8)
            checkGradients([x, g, b]) { batchNorm($0[0], weight: $0[1], bias: $0[2], runningMean: nil, runningVar: nil, training: true) }
            let rm = randomTensor([c], seed: 9), rv = randomTensor([c], seed: 10).abs() + 0.5
            checkGradients([x, g, b]) { batchNorm($0[0], weight: $0[1], bias: $0[2], runningMean: rm, runningVar: rv, training: false) }
        }
    }

    /// The second replica of a synchronised batch norm, played by the test: each `sum` adds what
    /// the other half of the batch (`x`, upstream gradient `dy`, shape [n, c, inner]) contributes,
    /// in the order `batchNorm(reducer:)` asks (count, Σx, Σ(x-μ)², then Σdy and Σdy·x̂).
    private final class OtherHalf: BatchStatisticsReducer {
        let x: [Float], dy: [Float], n: Int, c: Int, inner: Int
        var calls = 0, total = 0.0, mean: [Double] = [], invStd: [Float] = []
        init(x: [Float], dy: [Float], n: Int, c: Int, inner: Int) { (self.x, self.dy, self.n, self.c, self.inner) = (x, dy, n, c, inner) }
        func values(_ ch: Int) -> [(Float, Float)] {
            (0 ..< n).flatMap { s in (0 ..< inner).map { i in (x[(s * c + ch) * inner + i], dy[(s * c + ch) * inner + i]) } }
        }
        func sum(_ v: inout [Double]) {
            switch calls {
            case 0: v[0] += Double(n * inner); total = v[0]
            case 1: for ch in 0 ..< c { v[ch] += values(ch).reduce(0) { $0 + Double($1.0) } }; mean = v.map { $0 / total }
            case 2:
                for ch in 0 ..< c { v[ch] += values(ch).reduce(0) { let d = Double($1.0) - mean[ch]; return $0 + d * d } }
                invStd = v.map { Float(1 / ($0 / total + 1e-5).squareRoot()) }
            default:
                for ch in 0 ..< c {
                    for (xv, g) in values(ch) { v[ch] += Double(g); v[c + ch] += Double(g * (xv - Float(mean[ch])) * invStd[ch]) }
                }
            }
            calls += 1
        }
    }

    func testSynchronisedHalfBatchEqualsTheWholeBatch() {
        var rng = SeededGenerator(seed: 11)
        let (n, c, inner) = (6, 3, 5)
        let x = Tensor.normal([n, c, inner], mean: 1, std: 2, using: &rng)
        let dy = Tensor.normal([n, c, inner], mean: 0, std: 1, using: &rng)
        let half = n / 2 * c * inner
        // One process, the whole batch.
        let xAll = Tensor(shape: x.shape, data: x.data, requiresGrad: true)
        let (rmAll, rvAll) = (Tensor.zeros([c]), Tensor.ones([c]))
        let yAll = batchNorm(xAll, weight: Tensor([1.5, 0.5, 2]), bias: nil, runningMean: rmAll, runningVar: rvAll, training: true)
        (yAll * dy).sum().backward()
        // The first half, the second half's statistics summed in by the reducer.
        let xA = Tensor(shape: [n / 2, c, inner], data: Array(x.data[..<half]), requiresGrad: true)
        let (rmA, rvA) = (Tensor.zeros([c]), Tensor.ones([c]))
        let other = OtherHalf(x: Array(x.data[half...]), dy: Array(dy.data[half...]), n: n / 2, c: c, inner: inner)
        let yA = batchNorm(xA, weight: Tensor([1.5, 0.5, 2]), bias: nil, runningMean: rmA, runningVar: rvA, training: true, reducer: other)
        (yA * Tensor(shape: xA.shape, data: Array(dy.data[..<half]))).sum().backward()
        XCTAssertEqual(other.calls, 4, "count, mean, variance, gradient sums")
        for (a, b) in zip(yA.data, yAll.data[..<half]) { XCTAssertEqual(a, b, accuracy: 1e-5) }
        for (a, b) in zip(xA.grad!, xAll.grad![..<half]) { XCTAssertEqual(a, b, accuracy: 1e-5) }
        for (a, b) in zip(rmA.data + rvA.data, rmAll.data + rvAll.data) { XCTAssertEqual(a, b, accuracy: 1e-6) }
        // Without the reducer the half normalises with its own statistics: not the same.
        let alone = batchNorm(Tensor(shape: xA.shape, data: xA.data), weight: Tensor([1.5, 0.5, 2]), bias: nil, runningMean: nil, runningVar: nil, training: true)
        XCTAssertGreaterThan(zip(alone.data, yAll.data[..<half]).map { abs($0 - $1) }.max()!, 1e-2)
    }
}
