import NN
import Tensor
import XCTest

final class ClippingTests: XCTestCase {
    func testClipGradNormMatchesPyTorch() throws {
        let fixture = try Fixture("nn_train_step.h5")
        let params = try (0 ..< 3).map { i -> Tensor in
            let g = try fixture.array("clip/in\(i)")
            let t = Tensor.zeros(g.shape, requiresGrad: true)
            t.grad = g.values
            return t
        }
        let noGrad = Tensor.zeros([2], requiresGrad: true)
        let total = clipGradNorm(params + [noGrad], maxNorm: Float(try fixture.attribute("clip", "max_norm")))
        XCTAssertEqual(total, try fixture.floats("clip/total_norm")[0], accuracy: 1e-5 * total)
        for (i, p) in params.enumerated() {
            XCTAssertLessThanOrEqual(relativeMaxError(p.grad!, try fixture.floats("clip/out\(i)")), 1e-6)
        }
        XCTAssertNil(noGrad.grad)
    }

    func testGradientsBelowTheLimitAreUntouched() {
        let p = Tensor.zeros([2], requiresGrad: true)
        p.grad = [3, 4]
        XCTAssertEqual(clipGradNorm([p], maxNorm: 10), 5)
        XCTAssertEqual(p.grad, [3, 4])
    }
}
