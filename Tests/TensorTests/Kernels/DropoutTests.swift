import XCTest
@testable import Tensor

final class DropoutTests: XCTestCase {
    func testTrainingDropsAndScales() {
        var rng = SeededGenerator(seed: 1)
        let x = Tensor.ones([10_000])
        let y = dropout(x, p: 0.3, training: true, using: &rng)
        let kept = y.data.filter { $0 != 0 }
        XCTAssertTrue(kept.allSatisfy { abs($0 - 1 / 0.7) < 1e-6 })
        XCTAssertEqual(Float(kept.count) / 10_000, 0.7, accuracy: 0.02)
        XCTAssertEqual(y.data.reduce(0, +) / 10_000, 1, accuracy: 0.03)   // inverted scaling keeps the mean
    }

    func testEvalIsIdentityAndDeterministic() {
        var a = SeededGenerator(seed: 3), b = SeededGenerator(seed: 3)
        let x = randomTensor([50], seed: 2)
        XCTAssertEqual(dropout(x, p: 0.5, training: false, using: &a).data, x.data)
        XCTAssertEqual(dropout(x, p: 0.5, training: true, using: &a).data, dropout(x, p: 0.5, training: true, using: &b).data)
        XCTAssertEqual(dropout(x, p: 1, training: true, using: &a).data, [Float](repeating: 0, count: 50))
    }

    func testGradient() {
        let x = randomTensor([4, 5], seed: 5)
        // Same seed on every call, so the mask is fixed while differencing.
        checkGradients([x]) { var rng = SeededGenerator(seed: 9); return dropout($0[0], p: 0.4, training: true, using: &rng) }
    }
}
