import XCTest
@testable import Tensor

final class ReduceTests: XCTestCase {
    let x = Tensor(shape: [2, 3], data: [1, 5, 3, 4, 2, 6])

    func testValues() {
        XCTAssertEqual(x.sum().item, 21)
        XCTAssertEqual(x.mean().item, 3.5)
        XCTAssertEqual(x.sum(axis: 0).data, [5, 7, 9])
        XCTAssertEqual(x.sum(axis: 1).data, [9, 12])
        XCTAssertEqual(x.sum(axis: -1, keepDims: true).shape, [2, 1])
        XCTAssertEqual(x.mean(axis: 1).data, [3, 4])
        XCTAssertEqual(x.max(axis: 1).data, [5, 6])
        XCTAssertEqual(x.max(axis: 0).data, [4, 5, 6])
        XCTAssertEqual(x.argmax(axis: 1), [1, 2])
        XCTAssertEqual(x.argmax(axis: 0), [1, 0, 1])
        XCTAssertEqual(x.variance(axis: 1).data, [4, 4])                  // unbiased
        XCTAssertEqual(x.variance(axis: 1, unbiased: false).data[0], 8.0 / 3, accuracy: 1e-6)
        XCTAssertEqual(Tensor([2, 7, 7]).argmax(axis: 0), [1])         // first maximum
    }

    func testGradients() {
        let t = randomTensor([3, 4, 5], seed: 7)
        for axis in [0, 1, 2, -1] {
            checkGradients([t]) { $0[0].sum(axis: axis) }
            checkGradients([t]) { $0[0].mean(axis: axis, keepDims: true) }
            checkGradients([spacedTensor([3, 4, 5], seed: 7)], eps: 1e-3) { $0[0].max(axis: axis) }
            checkGradients([t]) { $0[0].variance(axis: axis) }
            checkGradients([t]) { $0[0].variance(axis: axis, unbiased: false) }
        }
        checkGradients([t]) { $0[0].sum() }
        checkGradients([t]) { $0[0].mean() }
    }
}
