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
        for (k, s, p) in [(2, 2, 0), (3, 2, 1), (4, 4, 0), (3, 1, 1), (4, 3, 2)] {
            checkGradients([s1], eps: 1e-3) { maxPool1d($0[0], kernel: k, stride: s, padding: p) }
            checkGradients([x1]) { avgPool1d($0[0], kernel: k, stride: s, padding: p) }
        }
        let x2 = randomTensor([2, 2, 5, 7], seed: 4), s2 = spacedTensor([2, 2, 5, 7], seed: 4)
        for (k, s, p) in [((2, 2), (2, 2), (0, 0)), ((3, 2), (2, 1), (1, 1)), ((2, 3), (1, 2), (0, 1))] {
            checkGradients([s2], eps: 1e-3) { maxPool2d($0[0], kernel: k, stride: s, padding: p) }
            checkGradients([x2]) { avgPool2d($0[0], kernel: k, stride: s, padding: p) }
        }
    }
}
