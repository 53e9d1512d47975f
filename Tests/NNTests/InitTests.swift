import NN
import Tensor
import XCTest

final class InitTests: XCTestCase {
    private func stats(_ t: Tensor) -> (mean: Double, variance: Double, maxAbs: Float) {
        let n = Double(t.count)
        let mean = t.data.reduce(0.0) { $0 + Double($1) } / n
        let variance = t.data.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / n
        return (mean, variance, t.data.map(abs).max() ?? 0)
    }

    func testFansFollowPyTorch() {
        XCTAssertTrue(Init.fans([256, 128, 4]) == (512, 1024))
        XCTAssertTrue(Init.fans([10, 32]) == (32, 10))
        XCTAssertTrue(Init.fans([8, 3, 5, 5]) == (75, 200))
        XCTAssertEqual(Init.gain(.leakyRelu(5.0.squareRoot())), (1.0 / 3.0).squareRoot(), accuracy: 1e-12)
    }

    func testKaimingUniformBoundAndVariance() {
        var rng = SeededGenerator(seed: 10)
        let w = Tensor.zeros([200, 100, 3])          // fanIn 300, bound sqrt(2) sqrt(3/300)
        Init.kaimingUniform(w, nonlinearity: .relu, using: &rng)
        let bound = Float(2.0.squareRoot() * (3.0 / 300).squareRoot())
        let s = stats(w)
        XCTAssertLessThanOrEqual(s.maxAbs, bound)
        XCTAssertGreaterThan(s.maxAbs, 0.99 * bound)
        XCTAssertEqual(s.variance, 2.0 / 300, accuracy: 0.02 * 2.0 / 300)
        XCTAssertEqual(s.mean, 0, accuracy: 1e-3)
    }

    func testKaimingNormalFanOutVariance() {
        var rng = SeededGenerator(seed: 11)
        let w = Tensor.zeros([300, 200])             // fanOut 300
        Init.kaimingNormal(w, mode: .fanOut, nonlinearity: .relu, using: &rng)
        XCTAssertEqual(stats(w).variance, 2.0 / 300, accuracy: 0.02 * 2.0 / 300)
    }

    func testXavierUniformAndNormal() {
        var rng = SeededGenerator(seed: 12)
        let u = Tensor.zeros([400, 200]), n = Tensor.zeros([400, 200])
        Init.xavierUniform(u, using: &rng)
        Init.xavierNormal(n, gain: 2, using: &rng)
        let bound = Float((6.0 / 600).squareRoot())
        XCTAssertLessThanOrEqual(stats(u).maxAbs, bound)
        XCTAssertGreaterThan(stats(u).maxAbs, 0.99 * bound)
        XCTAssertEqual(stats(u).variance, 2.0 / 600, accuracy: 0.02 * 2.0 / 600)
        XCTAssertEqual(stats(n).variance, 4 * 2.0 / 600, accuracy: 0.02 * 8.0 / 600)
    }

    func testLayerDefaultsArePyTorchsBounds() {
        var rng = SeededGenerator(seed: 13)
        let conv = Conv1d(128, 256, kernelSize: 4, using: &rng)     // fanIn 512
        let fc = Linear(1536, 2048, using: &rng)
        for (w, b, fanIn) in [(conv.weight, conv.bias!, 512.0), (fc.weight, fc.bias!, 1536.0)] {
            let bound = Float(1 / fanIn.squareRoot())
            XCTAssertLessThanOrEqual(stats(w).maxAbs, bound)
            XCTAssertGreaterThan(stats(w).maxAbs, 0.99 * bound)
            XCTAssertEqual(stats(w).variance, 1 / (3 * fanIn), accuracy: 0.03 / (3 * fanIn))
            XCTAssertLessThanOrEqual(stats(b).maxAbs, bound)
        }
        let bn = BatchNorm2d(6)
        XCTAssertEqual(bn.weight.data, [Float](repeating: 1, count: 6))
        XCTAssertEqual(bn.runningVar.data, [Float](repeating: 1, count: 6))
        XCTAssertEqual(bn.bias.data + bn.runningMean.data, [Float](repeating: 0, count: 12))
    }

    func testSameSeedSameWeights() {
        var a = SeededGenerator(seed: 14), b = SeededGenerator(seed: 14)
        XCTAssertEqual(SmallSpotifyNet(using: &a).stateDict(), SmallSpotifyNet(using: &b).stateDict())
    }
}
