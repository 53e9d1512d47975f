import NN
import Tensor
import XCTest

/// conv1 -> bn1 -> fc1, the fixture's batch-norm model (`/bn`).
private final class ConvBNNet: Module {
    var isTraining = true
    let conv1: Conv1d, bn1 = BatchNorm1d(4), fc1: Linear
    init(using rng: inout SeededGenerator) {
        conv1 = Conv1d(3, 4, kernelSize: 3, using: &rng)
        fc1 = Linear(4, 2, using: &rng)
    }
    var children: [(name: String, module: any Module)] { [("conv1", conv1), ("bn1", bn1), ("fc1", fc1)] }
}

final class ModuleTests: XCTestCase {
    func testStateDictNamesAndShapesEqualPyTorch() throws {
        let fixture = try Fixture("nn_train_step.h5")
        var rng = SeededGenerator(seed: 1)
        let dict = ConvBNNet(using: &rng).stateDict()
        let torchNames = try fixture.text("bn/names").split(separator: "\n").map(String.init)
        XCTAssertEqual(dict.names, torchNames)
        for name in torchNames {
            XCTAssertEqual(dict[name]?.shape, try fixture.ints("bn/shape/\(name)"), name)
        }
        XCTAssertEqual(dict["bn1.num_batches_tracked"], NamedArray(scalar: 0))
    }

    func testSmallSpotifyNetNamesEqualPyTorch() throws {
        let fixture = try Fixture("nn_train_step.h5")
        var rng = SeededGenerator(seed: 1)
        let dict = SmallSpotifyNet(using: &rng).stateDict()
        for (name, array) in dict {
            XCTAssertEqual(array.shape, try fixture.array("net/init/\(name)").shape, name)
        }
        XCTAssertEqual(dict.names, ["conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias", "conv3.weight",
                                    "conv3.bias", "fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias",
                                    "fc3.weight", "fc3.bias"])
    }

    func testLoadStateDictRoundTripsIntoAnotherModel() throws {
        var rng = SeededGenerator(seed: 1)
        let a = SmallSpotifyNet(using: &rng), b = SmallSpotifyNet(using: &rng)
        XCTAssertNotEqual(a.stateDict(), b.stateDict())
        try b.loadStateDict(a.stateDict())
        XCTAssertEqual(a.stateDict(), b.stateDict())
    }

    func testLoadStateDictRefusesMissingUnexpectedAndMisshapedEntriesByName() throws {
        var rng = SeededGenerator(seed: 2)
        let model = ConvBNNet(using: &rng)
        let good = model.stateDict()
        let before = model.conv1.weight.data

        var missing = good
        missing["bn1.running_var"] = nil
        missing["conv1.weight"] = NamedArray(shape: [4, 3, 3], values: [Float](repeating: 7, count: 36))
        XCTAssertThrowsError(try model.loadStateDict(missing)) { error in
            let message = String(describing: error)
            XCTAssertTrue(message.contains("missing: bn1.running_var"), message)
            XCTAssertFalse(message.contains("\n"))
        }
        XCTAssertEqual(model.conv1.weight.data, before, "a refused load must change nothing")

        var unexpected = good
        unexpected["fc2.weight"] = NamedArray(shape: [1], values: [0])
        XCTAssertThrowsError(try model.loadStateDict(unexpected)) { error in
            XCTAssertTrue(String(describing: error).contains("unexpected: fc2.weight"), "\(error)")
        }

        var misshaped = good
        misshaped["fc1.weight"] = NamedArray(shape: [4, 2], values: [Float](repeating: 0, count: 8))
        XCTAssertThrowsError(try model.loadStateDict(misshaped)) { error in
            XCTAssertTrue(String(describing: error).contains("fc1.weight expected [2, 4] got [4, 2]"), "\(error)")
        }
        XCTAssertNoThrow(try model.loadStateDict(good))
    }

    func testTrainEvalReachesEveryDescendant() {
        var rng = SeededGenerator(seed: 3)
        let inner = Sequential([Linear(3, 3, using: &rng), Dropout(p: 0.5)])
        let outer = Sequential([inner, ReLU(), BatchNorm1d(3)])
        outer.eval()
        XCTAssertFalse(outer.isTraining || inner.isTraining || inner.layers[1].isTraining || outer.layers[2].isTraining)
        outer.train()
        XCTAssertTrue(outer.isTraining && inner.isTraining && inner.layers[1].isTraining && outer.layers[2].isTraining)
    }

    func testSequentialNamesChildrenByIndexLikePyTorch() {
        var rng = SeededGenerator(seed: 4)
        let model = Sequential([Linear(4, 3, using: &rng), ReLU(), Linear(3, 2, bias: false, using: &rng), BatchNorm1d(2)])
        XCTAssertEqual(model.stateDict().names, ["0.weight", "0.bias", "2.weight", "3.weight", "3.bias",
                                                 "3.running_mean", "3.running_var", "3.num_batches_tracked"])
        XCTAssertEqual(model.namedParameters().map(\.name), ["0.weight", "0.bias", "2.weight", "3.weight", "3.bias"])
        XCTAssertEqual(model.parameterCount, 12 + 3 + 6 + 2 + 2)
    }

    func testBatchNormTrainingUpdatesRunningStatisticsLikePyTorch() throws {
        let fixture = try Fixture("nn_train_step.h5")
        var rng = SeededGenerator(seed: 5)
        let model = ConvBNNet(using: &rng)
        var initial = model.stateDict()
        for name in initial.names where name != "bn1.num_batches_tracked" {
            initial[name] = try fixture.array("bn/init/\(name)")
        }
        try model.loadStateDict(initial)
        let x = try fixture.array("bn/input")
        let input = Tensor(shape: x.shape, data: x.values)
        let yTrain = model.bn1(model.conv1(input))
        XCTAssertLessThanOrEqual(relativeMaxError(yTrain.data, try fixture.floats("bn/output_train")), 1e-4)
        XCTAssertLessThanOrEqual(relativeMaxError(model.bn1.runningMean.data, try fixture.floats("bn/running_mean")), 1e-4)
        XCTAssertLessThanOrEqual(relativeMaxError(model.bn1.runningVar.data, try fixture.floats("bn/running_var")), 1e-4)
        XCTAssertEqual(model.bn1.numBatchesTracked.data, try fixture.floats("bn/num_batches_tracked"))
        model.eval()
        let yEval = Autograd.noGrad { model.bn1(model.conv1(input)) }
        XCTAssertLessThanOrEqual(relativeMaxError(yEval.data, try fixture.floats("bn/output_eval")), 1e-4)
        XCTAssertEqual(model.bn1.numBatchesTracked.data, [1], "evaluation does not count batches")
    }

    func testSequentialFusionsAreExact() {
        // Sequential's fused runs give the same values and gradients as applying the layers
        // one by one. (Conv1d, ReLU, MaxPool1d runs as conv1dReluMaxPool1d, then ReLU, MaxPool1d as
        // reluMaxPool1d, then Conv1d, ReLU, GlobalTemporalPool as conv1dReluGlobalPool.)
        var rng = SeededGenerator(seed: 3)
        let conv = Conv1d(3, 4, kernelSize: 3, using: &rng), conv2 = Conv1d(4, 5, kernelSize: 2, using: &rng)
        let net = Sequential([conv, ReLU(), MaxPool1d(kernelSize: 4), ReLU(), MaxPool1d(kernelSize: 2),
                              conv2, ReLU(), GlobalTemporalPool()])
        let x = Tensor.normal([2, 3, 70], mean: 0, std: 1, using: &rng)
        let fused = net(x)   // [2, 3, 70] -> [2, 4, 68] -> [2, 4, 17] -> [2, 4, 8] -> [2, 5, 7] -> [2, 15]
        fused.sum().backward()
        let (fusedGrad, fusedBiasGrad, fusedGrad2) = (conv.weight.grad, conv.bias?.grad, conv2.weight.grad)
        net.zeroGrad()
        let stepwise = net.layers.reduce(x) { h, layer in layer(h) }
        stepwise.sum().backward()
        XCTAssertEqual(fused.shape, [2, 15])
        XCTAssertEqual(fused.data, stepwise.data)
        XCTAssertEqual(fusedGrad, conv.weight.grad)
        XCTAssertEqual(fusedBiasGrad, conv.bias?.grad)
        XCTAssertEqual(fusedGrad2, conv2.weight.grad)
    }
}
