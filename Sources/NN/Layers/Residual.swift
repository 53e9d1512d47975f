import Tensor

/// A residual basic block (He et al. 2016, "Deep residual learning", torchvision's `BasicBlock`),
/// as in the residual short-chunk CNN of Won et al. 2020:
///
///     out = relu(bn2(conv2(relu(bn1(conv1(x))))) + shortcut(x))
///
/// `conv1` is 3x3 with `stride` and padding 1, `conv2` 3x3 with stride 1 and padding 1 (both
/// without bias); `shortcut` is `downsample` (1x1 conv with `stride`, no bias, then batch norm)
/// when the stride or the channel count changes, else the identity.
/// Shapes: `[N, inChannels, H, W]` -> `[N, outChannels, ceil(H / stride), ceil(W / stride)]`.
/// State-dict names as torchvision: `conv1`, `bn1`, `conv2`, `bn2`, `downsample.0`, `downsample.1`.
public final class ResidualBlock2d: Layer {
    public let conv1: Conv2d, bn1: BatchNorm2d, conv2: Conv2d, bn2: BatchNorm2d
    /// 1x1 projection + batch norm, or nil for the identity shortcut.
    public let downsample: Sequential?
    public var isTraining = true

    /// Sizes must be positive (callers validate user configuration).
    public init(_ inChannels: Int, _ outChannels: Int, stride: Int = 2, using generator: inout SeededGenerator) {
        conv1 = Conv2d(inChannels, outChannels, kernelSize: 3, stride: stride, padding: 1, bias: false, using: &generator)
        bn1 = BatchNorm2d(outChannels)
        conv2 = Conv2d(outChannels, outChannels, kernelSize: 3, padding: 1, bias: false, using: &generator)
        bn2 = BatchNorm2d(outChannels)
        if stride != 1 || inChannels != outChannels {
            downsample = Sequential([Conv2d(inChannels, outChannels, kernelSize: 1, stride: stride, bias: false, using: &generator),
                                     BatchNorm2d(outChannels)])
        } else {
            downsample = nil
        }
    }

    public var children: [(name: String, module: any Module)] {
        [("conv1", conv1), ("bn1", bn1), ("conv2", conv2), ("bn2", bn2)] + (downsample.map { [("downsample", $0)] } ?? [])
    }

    public func callAsFunction(_ input: Tensor) -> Tensor {
        let h = bn2(conv2(relu(bn1(conv1(input)))))
        return relu(h + (downsample?(input) ?? input))
    }
}
