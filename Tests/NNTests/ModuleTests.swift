import NN
import Tensor
import XCTest

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
}
