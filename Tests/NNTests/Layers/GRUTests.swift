import NN
import Tensor
import XCTest

/// `GRU` against PyTorch's `nn.GRU(batch_first=True)` (fixture `nn_models.h5`, case `gru`) and
/// by finite differences through time.
final class GRUTests: XCTestCase {
    func testForwardAndBackwardMatchPyTorch() throws {
        let fixture = try Fixture("nn_models.h5")
        var rng = SeededGenerator(seed: 4)
        let gru = GRU(inputSize: Int(try fixture.attribute("gru", "input_size")),
                      hiddenSize: Int(try fixture.attribute("gru", "hidden_size")), using: &rng)
        XCTAssertEqual(gru.stateDict().names, ["weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0"])
        try gru.loadStateDict(fixture.stateDict("gru/init", names: gru.stateDict().names))
        let input = try fixture.array("gru/input")
        let x = Tensor(shape: input.shape, data: input.values, requiresGrad: true)
        let (out, last) = gru.forward(x)
        XCTAssertEqual(out.shape, [3, 6, 4])
        XCTAssertEqual(last.data, Array(out.data.enumerated().filter { ($0.offset / 4) % 6 == 5 }.map(\.element)))
        let outError = relativeMaxError(out.data, try fixture.floats("gru/out"))
        XCTAssertLessThanOrEqual(outError, 1e-5)
        let dout = try fixture.array("gru/dout")
        (out * Tensor(shape: dout.shape, data: dout.values)).sum().backward()
        var worst = relativeMaxError(try XCTUnwrap(x.grad), try fixture.floats("gru/grad_input"))
        for (name, p) in gru.namedParameters() {
            let err = relativeMaxError(try XCTUnwrap(p.grad, name), try fixture.floats("gru/grad/\(name)"))
            XCTAssertLessThanOrEqual(err, 1e-4, name)
            worst = max(worst, err)
        }
        XCTAssertLessThanOrEqual(worst, 1e-4)
        print("gru vs torch: outputs \(outError), worst gradient \(worst)")
    }

    /// Central differences (eps 1e-2: the GRU is smooth) on every entry of the input and parameters.
    func testGradientsMatchFiniteDifferences() throws {
        var rng = SeededGenerator(seed: 21)
        let gru = GRU(inputSize: 3, hiddenSize: 2, using: &rng)
        let x = Tensor.normal([2, 4, 3], mean: 0, std: 1, using: &rng, requiresGrad: true)
        let weights = Tensor.normal([2, 4, 2], mean: 0, std: 1, using: &rng)
        (gru(x) * weights).sum().backward()
        let eps: Float = 1e-2
        for (name, t) in [("input", x)] + gru.namedParameters() {
            let analytic = try XCTUnwrap(t.grad, name)
            let numeric = (0 ..< t.count).map { i -> Float in
                let saved = t.data[i]
                defer { t.data[i] = saved }
                let sides = [eps, -eps].map { delta -> Double in
                    t.data[i] = saved + delta
                    return Autograd.noGrad { zip(gru(x).data, weights.data).reduce(0.0) { $0 + Double($1.0 * $1.1) } }
                }
                return Float((sides[0] - sides[1]) / Double(2 * eps))
            }
            for i in 0 ..< t.count {
                XCTAssertEqual(analytic[i], numeric[i], accuracy: 2e-3 * max(1, abs(numeric[i])), "\(name)[\(i)]")
            }
        }
    }
}
