import NN
import Tensor

/// conv1 -> bn1 -> fc1, the fixture's batch-norm model (`/bn`).
final class ConvBNNet: Module {
    var isTraining = true
    let conv1: Conv1d, bn1 = BatchNorm1d(4), fc1: Linear
    init(using rng: inout SeededGenerator) {
        conv1 = Conv1d(3, 4, kernelSize: 3, using: &rng)
        fc1 = Linear(4, 2, using: &rng)
    }
    var children: [(name: String, module: any Module)] { [("conv1", conv1), ("bn1", bn1), ("fc1", fc1)] }
}
