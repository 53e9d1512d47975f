import NN
import Tensor
import XCTest

final class BatchNormTests: XCTestCase {
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
}
