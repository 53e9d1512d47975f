import NN
import Tensor
import XCTest

final class SequentialTests: XCTestCase {
    func testSequentialNamesChildrenByIndexLikePyTorch() {
        var rng = SeededGenerator(seed: 4)
        let model = Sequential([Linear(4, 3, using: &rng), ReLU(), Linear(3, 2, bias: false, using: &rng), BatchNorm1d(2)])
        XCTAssertEqual(model.stateDict().names, ["0.weight", "0.bias", "2.weight", "3.weight", "3.bias",
                                                 "3.running_mean", "3.running_var", "3.num_batches_tracked"])
        XCTAssertEqual(model.namedParameters().map(\.name), ["0.weight", "0.bias", "2.weight", "3.weight", "3.bias"])
        XCTAssertEqual(model.parameterCount, 12 + 3 + 6 + 2 + 2)
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
