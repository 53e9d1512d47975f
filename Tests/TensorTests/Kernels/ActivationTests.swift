import XCTest
#if canImport(Glibc)
import Glibc
#endif
@testable import Tensor

final class ActivationTests: XCTestCase {
    func testValues() {
        let x = Tensor([-2, 0, 3])
        XCTAssertEqual(relu(x).data, [0, 0, 3])
        XCTAssertEqual(leakyRelu(x, slope: 0.1).data, [-0.2, 0, 3])
        assertClose(elu(x).data, [expf(-2) - 1, 0, 3])
        assertClose(sigmoid(x).data, [1 / (1 + expf(2)), 0.5, 1 / (1 + expf(-3))])
        assertClose(tanh(x).data, [tanhf(-2), 0, tanhf(3)])
        let s = softmax(Tensor(shape: [1, 3], data: [1, 2, 3]))
        let e: [Float] = [expf(1), expf(2), expf(3)]
        assertClose(s.data, e.map { $0 / e.reduce(0, +) })
        assertClose(logSoftmax(Tensor(shape: [1, 3], data: [1, 2, 3])).data, s.data.map { logf($0) })
        // Large logits stay finite.
        XCTAssertTrue(softmax(Tensor([1000, 0])).data.allSatisfy(\.isFinite))
    }

    func testGradients() {
        let x = randomTensor([3, 4, 5], seed: 13), spaced = spacedTensor([3, 4, 5], seed: 13)
        checkGradients([spaced], eps: 1e-3) { relu($0[0]) }
        checkGradients([spaced], eps: 1e-3) { leakyRelu($0[0], slope: 0.2) }
        checkGradients([spaced], eps: 1e-3) { elu($0[0], alpha: 1.5) }
        checkGradients([x]) { sigmoid($0[0]) }
        checkGradients([x]) { tanh($0[0]) }
        for axis in [0, 1, 2] {
            checkGradients([x]) { softmax($0[0], axis: axis) }
            checkGradients([x]) { logSoftmax($0[0], axis: axis) }
        }
    }
}
