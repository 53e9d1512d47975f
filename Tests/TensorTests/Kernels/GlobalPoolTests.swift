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
}
