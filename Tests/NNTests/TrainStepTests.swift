import NN
import Tensor
import XCTest

/// One full training step of the reduced Spotify network against PyTorch (`/net` of the fixture):
/// the same initial weights, logits, loss, every gradient, and the weights after one step of
/// SGD-Nesterov, Adam and AdamW.
final class TrainStepTests: XCTestCase {
    private struct Step {
        let fixture: Fixture
        let model: SmallSpotifyNet
        let input: Tensor
        let targets: [Int]
    }

    private func prepare() throws -> Step {
        let fixture = try Fixture("nn_train_step.h5")
        var rng = SeededGenerator(seed: 0)
        let model = SmallSpotifyNet(using: &rng)
        try model.loadStateDict(fixture.stateDict("net/init", names: model.stateDict().names))
        let x = try fixture.array("net/input")
        return Step(fixture: fixture, model: model, input: Tensor(shape: x.shape, data: x.values),
                    targets: try fixture.ints("net/target"))
    }

    private func forwardBackward(_ s: Step) -> Tensor {
        s.model.zeroGrad()
        let logits = s.model(s.input)
        let loss = crossEntropy(logits, targets: s.targets)
        loss.backward()
        return logits
    }

    func testLossLogitsAndGradientsMatchPyTorch() throws {
        let s = try prepare()
        s.model.zeroGrad()
        let logits = s.model(s.input)
        let loss = crossEntropy(logits, targets: s.targets)
        let logitsCopy = logits.data
        loss.backward()
        let refLoss = try s.fixture.floats("net/loss")[0]
        XCTAssertEqual(loss.item, refLoss, accuracy: 1e-5 * abs(refLoss))
        let logitsError = relativeMaxError(logitsCopy, try s.fixture.floats("net/logits"))
        XCTAssertLessThanOrEqual(logitsError, 1e-4)
        var worstGrad: Float = 0
        for (name, p) in s.model.namedParameters() {
            let grad = try XCTUnwrap(p.grad, name)
            let err = relativeMaxError(grad, try s.fixture.floats("net/grad/\(name)"))
            XCTAssertLessThanOrEqual(err, 1e-4, name)
            worstGrad = max(worstGrad, err)
        }
        print("train step vs torch: loss rel \(abs(loss.item - refLoss) / refLoss), logits \(logitsError), worst grad \(worstGrad)")
    }

    func testOneOptimizerStepMatchesPyTorch() throws {
        let makers: [(String, ([(name: String, tensor: Tensor)]) throws -> any Optimizer)] = [
            ("sgd_nesterov", { try SGD($0, learningRate: 0.05, momentum: 0.9, nesterov: true, weightDecay: 5e-4) }),
            ("adam", { try Adam($0, learningRate: 1e-3, weightDecay: 1e-4) }),
            ("adamw", { try AdamW($0, learningRate: 1e-3, weightDecay: 1e-2) }),
        ]
        for (name, make) in makers {
            var worst: (weights: Float, update: Float) = (0, 0)
            defer { print("\(name) step vs torch: weights \(worst.weights), update \(worst.update)") }
            let s = try prepare()
            let initial = s.model.stateDict()
            _ = forwardBackward(s)
            try make(s.model.namedParameters()).step()
            for (param, array) in s.model.stateDict() {
                let reference = try s.fixture.floats("net/\(name)/step1/\(param)")
                // The new weights within 1e-4 of their largest value (the bound), and the
                // update itself (new - initial) within 2e-3 of its largest reference value; 5e-3
                // for Adam, whose first update lr·g/(|g|+eps) turns gradient rounding differences
                // of 1e-7 into update differences of 1e-3 where |g| is within a few eps of 0.
                let delta = zip(array.values, initial[param]!.values).map { $0 - $1 }
                let refDelta = zip(reference, initial[param]!.values).map { $0 - $1 }
                let (weightError, updateError) = (relativeMaxError(array.values, reference), relativeMaxError(delta, refDelta))
                XCTAssertLessThanOrEqual(weightError, 1e-4, "\(name) \(param)")
                XCTAssertLessThanOrEqual(updateError, name == "adam" ? 5e-3 : 2e-3, "\(name) \(param) update")
                worst = (max(worst.weights, weightError), max(worst.update, updateError))
            }
        }
    }

    /// Same seed, one thread: bit-identical weights and optimiser state after several steps.
    func testSameSeedGivesBitIdenticalWeights() throws {
        let threads = Threads.count
        Threads.setCount(1)
        defer { Threads.setCount(threads) }
        func run() throws -> (StateDict, StateDict) {
            var rng = SeededGenerator(seed: 42)
            let model = SmallSpotifyNet(using: &rng)
            let dropout = Dropout(p: 0.2, seed: 7)
            let opt = try Adam(model, learningRate: 1e-2)
            for _ in 0 ..< 5 {
                let x = Tensor.normal([4, 16, 64], mean: 0, std: 1, using: &rng)
                let targets = (0 ..< 4).map { _ in Int(rng.next() % 10) }
                model.zeroGrad()
                crossEntropy(model(dropout(x)), targets: targets).backward()
                clipGradNorm(model.parameters(), maxNorm: 1)
                opt.step()
            }
            return (model.stateDict(), opt.stateDict())
        }
        let (a, b) = (try run(), try run())
        XCTAssertEqual(a.0, b.0)
        XCTAssertEqual(a.1, b.1)
        var rng = SeededGenerator(seed: 42)
        XCTAssertNotEqual(a.0, SmallSpotifyNet(using: &rng).stateDict(), "training changed the weights")
    }
}
