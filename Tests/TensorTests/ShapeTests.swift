import XCTest
@testable import Tensor

final class ShapeTests: XCTestCase {
    func testValues() {
        let x = Tensor(shape: [2, 3], data: [1, 2, 3, 4, 5, 6])
        XCTAssertEqual(x.reshaped([3, -1]).shape, [3, 2])
        XCTAssertEqual(x.transposed().data, [1, 4, 2, 5, 3, 6])
        XCTAssertEqual(x.transposed().shape, [3, 2])
        let y = Tensor(shape: [2, 3, 4], data: (0 ..< 24).map(Float.init))
        let p = y.permuted([2, 0, 1])
        XCTAssertEqual(p.shape, [4, 2, 3])
        XCTAssertEqual(p.data[0 ..< 6].map { $0 }, [0, 4, 8, 12, 16, 20])
        XCTAssertEqual(x.slice(axis: 1, 1 ..< 3).data, [2, 3, 5, 6])
        XCTAssertEqual(concat([x, x.slice(axis: 1, 0 ..< 1)], axis: 1).data, [1, 2, 3, 1, 4, 5, 6, 4])
        XCTAssertEqual(concat([x, x], axis: 0).shape, [4, 3])
    }

    func testGradients() {
        let a = randomTensor([2, 3, 5], seed: 11), b = randomTensor([2, 1, 5], seed: 12)
        checkGradients([a]) { $0[0].reshaped([5, 6]) }
        checkGradients([a]) { $0[0].flattened() }
        checkGradients([a]) { $0[0].permuted([1, 2, 0]) }
        checkGradients([a]) { $0[0].transposed() }
        checkGradients([a]) { $0[0].slice(axis: 2, 1 ..< 4) }
        checkGradients([a]) { $0[0].slice(axis: 0, 1 ..< 2) }
        checkGradients([a, b]) { concat([$0[0], $0[1], $0[0]], axis: 1) }
        checkGradients([a, a.slice(axis: 2, 0 ..< 2).detached()]) { concat([$0[0], $0[1]], axis: -1) }
    }
}
