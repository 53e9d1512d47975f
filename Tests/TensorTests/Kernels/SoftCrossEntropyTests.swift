import XCTest
#if canImport(Glibc)
import Glibc
#endif
@testable import Tensor

/// `softCrossEntropy`: values, agreement with the index form, finite-difference gradients.
final class SoftCrossEntropyTests: XCTestCase {
    func testOneHotTargetsEqualTheIndexForm() {
        let z = randomTensor([4, 3], seed: 5)
        let labels = [2, 0, 1, 1]
        let oneHot = labels.flatMap { y in (0 ..< 3).map { $0 == y ? Float(1) : 0 } }
        XCTAssertEqual(softCrossEntropy(z, targets: oneHot).item, crossEntropy(z, targets: labels).item, accuracy: 1e-6)
        XCTAssertEqual(softCrossEntropy(z, targets: oneHot, labelSmoothing: 0.1).item,
                       crossEntropy(z, targets: labels, labelSmoothing: 0.1).item, accuracy: 1e-6)
    }

    func testMixedTargetValue() {
        // -Σ t log softmax(z) for one row z = [0, log 3], t = [0.25, 0.75].
        let z = Tensor(shape: [1, 2], data: [0, logf(3)])
        let expected = -(0.25 * logf(0.25) + 0.75 * logf(0.75))
        XCTAssertEqual(softCrossEntropy(z, targets: [0.25, 0.75]).item, expected, accuracy: 1e-6)
    }

    func testGradientsByFiniteDifferences() {
        let z = randomTensor([5, 4], seed: 23)
        var t: [Float] = []
        for i in 0 ..< 5 {
            let lam = Float(i + 1) / 6
            t += (0 ..< 4).map { c in (c == i % 4 ? lam : 0) + (c == (i + 2) % 4 ? 1 - lam : 0) }
        }
        checkGradients([z]) { softCrossEntropy($0[0], targets: t) }
        checkGradients([z]) { softCrossEntropy($0[0], targets: t, labelSmoothing: 0.2) }
    }
}
