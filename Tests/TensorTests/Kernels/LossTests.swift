import XCTest
#if canImport(Glibc)
import Glibc
#endif
@testable import Tensor

final class LossTests: XCTestCase {
    func testCrossEntropyValue() {
        let logits = Tensor(shape: [2, 3], data: [1, 2, 3, 0, 0, 0])
        let lse0 = logf(expf(1) + expf(2) + expf(3))
        let expected = ((lse0 - 3) + logf(3)) / 2
        XCTAssertEqual(crossEntropy(logits, targets: [2, 0]).item, expected, accuracy: 1e-6)
        // Weighted mean: Σ w[y] nll / Σ w[y].
        let weighted = crossEntropy(logits, targets: [2, 0], weight: [2, 1, 0.5])
        XCTAssertEqual(weighted.item, (0.5 * (lse0 - 3) + 2 * logf(3)) / 2.5, accuracy: 1e-6)
        // Label smoothing on uniform logits leaves the loss at log K.
        XCTAssertEqual(crossEntropy(Tensor.zeros([1, 4]), targets: [1], labelSmoothing: 0.3).item, logf(4), accuracy: 1e-6)
    }

    func testCrossEntropyGradients() {
        let z = randomTensor([5, 4], seed: 17)
        let t = [0, 3, 1, 1, 2]
        checkGradients([z]) { crossEntropy($0[0], targets: t) }
        checkGradients([z]) { crossEntropy($0[0], targets: t, labelSmoothing: 0.1) }
        checkGradients([z]) { crossEntropy($0[0], targets: t, weight: [0.5, 2, 1, 3], labelSmoothing: 0.2) }
    }

    func testMSE() {
        XCTAssertEqual(mseLoss(Tensor([1, 2]), Tensor([0, 4])).item, 2.5)
        checkGradients([randomTensor([3, 2], seed: 1), randomTensor([3, 2], seed: 2)]) { mseLoss($0[0], $0[1]) }
    }
}
