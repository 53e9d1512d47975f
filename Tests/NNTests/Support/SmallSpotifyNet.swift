import NN
import Tensor

/// The fixture's network: Dieleman's Spotify CNN at reduced width (16 mels, 10 classes):
/// conv 16->8 k4 ReLU maxpool 4, conv 8->8 k4 ReLU maxpool 2, conv 8->16 k4 ReLU,
/// global mean/max/L2 -> 48, dense 32 ReLU, dense 32 ReLU, dense 10.
final class SmallSpotifyNet: Layer {
    var isTraining = true
    let conv1: Conv1d, conv2: Conv1d, conv3: Conv1d
    let fc1: Linear, fc2: Linear, fc3: Linear
    let pool1 = MaxPool1d(kernelSize: 4), pool2 = MaxPool1d(kernelSize: 2)
    let globalPool = GlobalTemporalPool([.mean, .max, .l2])
    let act = ReLU()

    init(mels: Int = 16, width: Int = 8, dense: Int = 32, classes: Int = 10, using rng: inout SeededGenerator) {
        conv1 = Conv1d(mels, width, kernelSize: 4, using: &rng)
        conv2 = Conv1d(width, width, kernelSize: 4, using: &rng)
        conv3 = Conv1d(width, 2 * width, kernelSize: 4, using: &rng)
        fc1 = Linear(6 * width, dense, using: &rng)
        fc2 = Linear(dense, dense, using: &rng)
        fc3 = Linear(dense, classes, using: &rng)
    }

    var children: [(name: String, module: any Module)] {
        [("conv1", conv1), ("conv2", conv2), ("conv3", conv3), ("fc1", fc1), ("fc2", fc2), ("fc3", fc3)]
    }

    func callAsFunction(_ x: Tensor) -> Tensor {
        var h = pool1(act(conv1(x)))
        h = pool2(act(conv2(h)))
        h = globalPool(act(conv3(h)))
        return fc3(act(fc2(act(fc1(h)))))
    }
}
