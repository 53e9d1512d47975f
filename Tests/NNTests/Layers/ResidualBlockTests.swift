import NN
import Tensor
import XCTest

/// `ResidualBlock2d` against torchvision's `BasicBlock` (fixture `nn_models.h5`, cases
/// `block_down` with a 1x1 stride-2 projection and `block_identity`) and by finite differences.
final class ResidualBlockTests: XCTestCase {
    private func block(_ fixture: Fixture, _ name: String) throws -> (ResidualBlock2d, Tensor) {
        let cin = Int(try fixture.attribute(name, "in_channels")), cout = Int(try fixture.attribute(name, "out_channels"))
        var rng = SeededGenerator(seed: 3)
        let block = ResidualBlock2d(cin, cout, stride: Int(try fixture.attribute(name, "stride")), using: &rng)
        try block.loadStateDict(fixture.stateDict("\(name)/init", names: block.stateDict().names))
        let x = try fixture.array("\(name)/input")
        return (block, Tensor(shape: x.shape, data: x.values, requiresGrad: true))
    }

    func testForwardBackwardAndRunningStatisticsMatchPyTorch() throws {
        let fixture = try Fixture("nn_models.h5")
        for name in ["block_down", "block_identity"] {
            let (block, x) = try block(fixture, name)
            XCTAssertEqual(block.downsample == nil, name == "block_identity")
            let out = block(x)
            XCTAssertEqual(out.shape, try fixture.array("\(name)/out").shape, name)
            XCTAssertLessThanOrEqual(relativeMaxError(out.data, try fixture.floats("\(name)/out")), 1e-5, name)
            let dout = try fixture.array("\(name)/dout")
            (out * Tensor(shape: dout.shape, data: dout.values)).sum().backward()
            let gx = relativeMaxError(try XCTUnwrap(x.grad), try fixture.floats("\(name)/grad_input"))
            XCTAssertLessThanOrEqual(gx, 1e-4, "\(name) grad_input")
            var worst: Float = 0
            for (p, t) in block.namedParameters() {
                let err = relativeMaxError(try XCTUnwrap(t.grad, p), try fixture.floats("\(name)/grad/\(p)"))
                XCTAssertLessThanOrEqual(err, 1e-4, "\(name) \(p)")
                worst = max(worst, err)
            }
            for (b, t) in block.namedBuffers() where b.contains("running") {
                XCTAssertLessThanOrEqual(relativeMaxError(t.data, try fixture.floats("\(name)/after/\(b)")), 1e-5, "\(name) \(b)")
            }
            block.eval()
            let evalOut = Autograd.noGrad { block(x) }
            XCTAssertLessThanOrEqual(relativeMaxError(evalOut.data, try fixture.floats("\(name)/eval_out")), 1e-5, name)
            print("\(name) vs torch: grad_input \(gx), worst parameter gradient \(worst)")
        }
    }

    /// Central differences (eps 1e-3, float64 accumulation) on sampled entries of the input and
    /// of every parameter, in training mode (batch statistics). An entry whose forward and
    /// backward one-sided differences disagree sits on a ReLU kink and is skipped (at most a
    /// quarter of them).
    func testGradientsMatchFiniteDifferences() throws {
        var rng = SeededGenerator(seed: 11)
        let block = ResidualBlock2d(2, 3, stride: 2, using: &rng)
        let x = Tensor.normal([2, 2, 5, 6], mean: 0, std: 1, using: &rng, requiresGrad: true)
        let r = Tensor.normal([2, 3, 3, 3], mean: 0, std: 1, using: &rng)
        /// The loss with `t[i]` moved by `delta` (restored afterwards).
        func loss(_ t: Tensor? = nil, _ i: Int = 0, _ delta: Float = 0) -> Double {
            let saved = t?.data[i] ?? 0
            t?.data[i] = saved + delta
            defer { t?.data[i] = saved }
            return Autograd.noGrad { zip(block(x).data, r.data).reduce(0.0) { $0 + Double($1.0) * Double($1.1) } }
        }
        (block(x) * r).sum().backward()
        let eps: Float = 1e-3, center = loss()
        var checked = 0, kinks = 0
        for (name, t) in [("input", x)] + block.namedParameters() {
            let analytic = try XCTUnwrap(t.grad, name)
            for i in Swift.stride(from: 0, to: t.count, by: max(1, t.count / 9)) {
                let (plus, minus) = (loss(t, i, eps), loss(t, i, -eps))
                let forward = (plus - center) / Double(eps), backward = (center - minus) / Double(eps)
                checked += 1
                if abs(forward - backward) > 0.05 * max(1, abs(forward)) { kinks += 1; continue }
                let numeric = Float((plus - minus) / (2 * Double(eps)))
                XCTAssertEqual(analytic[i], numeric, accuracy: 1e-2 * max(1, abs(numeric)), "\(name)[\(i)]")
            }
        }
        XCTAssertLessThanOrEqual(kinks * 4, checked, "\(kinks) of \(checked) entries on a kink")
    }
}
