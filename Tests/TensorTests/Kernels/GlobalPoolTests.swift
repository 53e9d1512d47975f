import XCTest
@testable import Tensor

final class GlobalPoolTests: XCTestCase {
    func testValues() {
        let x = Tensor(shape: [1, 2, 4], data: [1, -3, 2, 0, 4, 4, 4, 4])
        XCTAssertEqual(globalMeanPool(x).data, [0, 4])
        XCTAssertEqual(globalMaxPool(x).data, [2, 4])
        assertClose(globalL2Pool(x).data, [(14.0 / 4).squareRoot(), 4])   // sqrt(mean of squares)
        let all = globalTemporalPool(x)
        XCTAssertEqual(all.shape, [1, 6])
        assertClose(all.data, [0, 4, 2, 4, (14.0 / 4).squareRoot(), 4])   // [mean | max | l2]
        XCTAssertEqual(globalTemporalPool(x, kinds: [.max]).data, [2, 4])
    }

    func testGradients() {
        let x = randomTensor([3, 4, 9], seed: 8)
        checkGradients([x]) { globalMeanPool($0[0]) }
        let spaced = spacedTensor([3, 4, 9], seed: 8)
        checkGradients([spaced], eps: 1e-3) { globalMaxPool($0[0]) }
        checkGradients([x]) { globalL2Pool($0[0]) }
        checkGradients([spaced], eps: 1e-3) { globalTemporalPool($0[0]) }
    }

    func testConcatenationEqualsSeparateKinds() {
        // One fused pass per row; values and gradients equal the per-kind poolings concatenated.
        let x = spacedTensor([3, 5, 37], seed: 9)
        for kinds in [[GlobalPoolKind.mean, .max, .l2], [.l2, .mean], [.max]] {
            let a = Tensor(shape: x.shape, data: x.data, requiresGrad: true)
            let b = Tensor(shape: x.shape, data: x.data, requiresGrad: true)
            let fused = globalTemporalPool(a, kinds: kinds)
            let separate = concat(kinds.map { kind -> Tensor in
                switch kind {
                case .mean: return b.mean(axis: 2)
                case .max: return b.max(axis: 2)
                case .l2: return (b * b).mean(axis: 2).sqrt()
                }
            }, axis: 1)
            assertClose(fused.data, separate.data, tolerance: 1e-5)
            let w = Tensor(shape: fused.shape, data: (0 ..< fused.count).map { Float($0 % 7) - 3 })
            (fused * w).sum().backward()
            (separate * w).sum().backward()
            assertClose(a.grad ?? [], b.grad ?? [], tolerance: 1e-5)
        }
    }
}
