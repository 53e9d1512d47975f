import XCTest
@testable import Tensor

final class LinearTests: XCTestCase {
    func testMatmulValuesAndTransposeFlags() {
        let a = Tensor(shape: [2, 3], data: [1, 2, 3, 4, 5, 6])
        let b = Tensor(shape: [3, 2], data: [1, 0, 0, 1, 1, 1])
        XCTAssertEqual(matmul(a, b).data, [4, 5, 10, 11])
        XCTAssertEqual(matmul(a.transposed(), b.transposed(), transposeA: true, transposeB: true).data, [4, 5, 10, 11])
        XCTAssertEqual(matmul(a, a, transposeB: true).data, [14, 32, 32, 77])
    }

    func testMatmulGradients() {
        for (ta, tb) in [(false, false), (true, false), (false, true), (true, true)] {
            let a = randomTensor(ta ? [5, 3] : [3, 5], seed: 1), b = randomTensor(tb ? [4, 5] : [5, 4], seed: 2)
            checkGradients([a, b]) { matmul($0[0], $0[1], transposeA: ta, transposeB: tb) }
        }
    }

    func testLinear() {
        let x = Tensor(shape: [1, 2], data: [1, 2])
        let w = Tensor(shape: [3, 2], data: [1, 0, 0, 1, 1, 1])
        XCTAssertEqual(linear(x, weight: w, bias: Tensor([1, 2, 3])).data, [2, 4, 6])
        let xs = randomTensor([4, 7], seed: 3), ws = randomTensor([5, 7], seed: 4), bs = randomTensor([5], seed: 5)
        checkGradients([xs, ws, bs]) { linear($0[0], weight: $0[1], bias: $0[2]) }
        checkGradients([xs, ws]) { linear($0[0], weight: $0[1]) }
        checkGradients([randomTensor([2, 3, 7], seed: 6), ws, bs]) { linear($0[0], weight: $0[1], bias: $0[2]) }
    }
}
