import Tensor

/// 1-D convolution over time (cross-correlation, as PyTorch's `nn.Conv1d`).
///
/// Shapes: input `[N, inChannels, L]` -> output `[N, outChannels, Lout]` with
/// Lout = floor((L + 2 padding - dilation (k - 1) - 1) / stride) + 1; parameters
/// `weight [outChannels, inChannels, k]`, `bias [outChannels]`. Default init as PyTorch.
/// In melcnn's networks the mel bins are the input channels.
///
/// ```swift
/// let conv1 = Conv1d(128, 256, kernelSize: 4, using: &rng)
/// let y = conv1(x)   // [32, 128, 599] -> [32, 256, 596]
/// ```
public final class Conv1d: Layer {
    public let weight: Tensor
    public let bias: Tensor?
    public let stride: Int, padding: Int, dilation: Int
    public var isTraining = true

    /// Sizes must be positive and padding non-negative (callers validate user configuration).
    public init(_ inChannels: Int, _ outChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0,
                dilation: Int = 1, bias: Bool = true, using generator: inout SeededGenerator) {
        precondition(inChannels > 0 && outChannels > 0 && kernelSize > 0 && stride > 0 && dilation > 0 && padding >= 0,
                     "Conv1d: sizes must be positive")
        weight = Tensor.zeros([outChannels, inChannels, kernelSize], requiresGrad: true)
        self.bias = bias ? Tensor.zeros([outChannels], requiresGrad: true) : nil
        self.stride = stride
        self.padding = padding
        self.dilation = dilation
        Init.pytorchDefault(weight: weight, bias: self.bias, using: &generator)
    }

    public var ownParameters: [(name: String, tensor: Tensor)] {
        [("weight", weight)] + (bias.map { [("bias", $0)] } ?? [])
    }

    public func callAsFunction(_ input: Tensor) -> Tensor {
        conv1d(input, weight: weight, bias: bias, stride: stride, padding: padding, dilation: dilation)
    }

    /// `pool(relu(self(input)))` computed sample by sample (`conv1dReluMaxPool1d`): the same
    /// values and gradients without storing the convolution's output.
    public func thenReLUMaxPool(_ input: Tensor, _ pool: MaxPool1d) -> Tensor {
        conv1dReluMaxPool1d(input, weight: weight, bias: bias, stride: stride, padding: padding, dilation: dilation,
                            poolKernel: pool.kernelSize, poolStride: pool.stride, poolPadding: pool.padding)
    }

    /// `pool(relu(self(input)))` computed sample by sample (`conv1dReluGlobalPool`): the same
    /// values and gradients with fewer passes over the convolution's output.
    public func thenReLUGlobalPool(_ input: Tensor, _ pool: GlobalTemporalPool) -> Tensor {
        conv1dReluGlobalPool(input, weight: weight, bias: bias, stride: stride, padding: padding, dilation: dilation,
                             kinds: pool.kinds)
    }
}

/// 2-D convolution (PyTorch's `nn.Conv2d`).
///
/// Shapes: input `[N, inChannels, H, W]` -> `[N, outChannels, Hout, Wout]`; parameters
/// `weight [outChannels, inChannels, kh, kw]`, `bias [outChannels]`. Default init as PyTorch.
public final class Conv2d: Layer {
    public let weight: Tensor
    public let bias: Tensor?
    public let stride: (Int, Int), padding: (Int, Int), dilation: (Int, Int)
    public var isTraining = true

    /// Sizes must be positive and padding non-negative (callers validate user configuration).
    public init(_ inChannels: Int, _ outChannels: Int, kernelSize: (Int, Int), stride: (Int, Int) = (1, 1),
                padding: (Int, Int) = (0, 0), dilation: (Int, Int) = (1, 1), bias: Bool = true,
                using generator: inout SeededGenerator) {
        precondition(inChannels > 0 && outChannels > 0 && kernelSize.0 > 0 && kernelSize.1 > 0
            && stride.0 > 0 && stride.1 > 0 && dilation.0 > 0 && dilation.1 > 0 && padding.0 >= 0 && padding.1 >= 0,
            "Conv2d: sizes must be positive")
        weight = Tensor.zeros([outChannels, inChannels, kernelSize.0, kernelSize.1], requiresGrad: true)
        self.bias = bias ? Tensor.zeros([outChannels], requiresGrad: true) : nil
        self.stride = stride
        self.padding = padding
        self.dilation = dilation
        Init.pytorchDefault(weight: weight, bias: self.bias, using: &generator)
    }

    /// A square kernel with equal stride, padding and dilation in both directions.
    public convenience init(_ inChannels: Int, _ outChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0,
                            dilation: Int = 1, bias: Bool = true, using generator: inout SeededGenerator) {
        self.init(inChannels, outChannels, kernelSize: (kernelSize, kernelSize), stride: (stride, stride),
                  padding: (padding, padding), dilation: (dilation, dilation), bias: bias, using: &generator)
    }

    public var ownParameters: [(name: String, tensor: Tensor)] {
        [("weight", weight)] + (bias.map { [("bias", $0)] } ?? [])
    }

    public func callAsFunction(_ input: Tensor) -> Tensor {
        conv2d(input, weight: weight, bias: bias, stride: stride, padding: padding, dilation: dilation)
    }
}
