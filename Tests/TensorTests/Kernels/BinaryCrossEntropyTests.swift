import XCTest
#if canImport(Glibc)
import Glibc
#endif
@testable import Tensor

/// `binaryCrossEntropyWithLogits`: a hand value, stability at large logits, finite-difference gradients.
final class BinaryCrossEntropyTests: XCTestCase {
    func testValueAndStability() {
        // x = 0: -log σ(0) = log 2 for either target.
        XCTAssertEqual(binaryCrossEntropyWithLogits(Tensor(shape: [1, 2], data: [0, 0]), targets: [1, 0]).item, logf(2), accuracy: 1e-6)
        // pos_weight 3 triples the positive term only.
        XCTAssertEqual(binaryCrossEntropyWithLogits(Tensor(shape: [1, 2], data: [0, 0]), targets: [1, 0], posWeight: [3, 3]).item,
                       2 * logf(2), accuracy: 1e-6)
        // Large logits stay finite: wrong by 100 costs 100, right costs ~0.
        let big = binaryCrossEntropyWithLogits(Tensor(shape: [2, 1], data: [100, -100]), targets: [0, 0])
        XCTAssertEqual(big.item, 50, accuracy: 1e-4)
    }

    func testGradientsByFiniteDifferences() {
        let z = randomTensor([5, 4], seed: 31)
        let hard: [Float] = (0 ..< 20).map { $0 % 3 == 0 ? 1 : 0 }
        let soft: [Float] = (0 ..< 20).map { Float($0 % 7) / 6 }
        checkGradients([z]) { binaryCrossEntropyWithLogits($0[0], targets: hard) }
        checkGradients([z]) { binaryCrossEntropyWithLogits($0[0], targets: soft, posWeight: [0.5, 1, 2, 4]) }
    }
}
