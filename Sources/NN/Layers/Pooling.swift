import Tensor

/// Max pooling over time, PyTorch's `nn.MaxPool1d`: `[N, C, L]` -> `[N, C, Lout]`,
/// Lout = floor((L + 2 padding - kernelSize) / stride) + 1; stride defaults to kernelSize.
public final class MaxPool1d: Layer {
    public let kernelSize: Int, stride: Int, padding: Int
    public var isTraining = true
    public init(kernelSize: Int, stride: Int? = nil, padding: Int = 0) {
        self.kernelSize = kernelSize
        self.stride = stride ?? kernelSize
        self.padding = padding
    }
    public func callAsFunction(_ input: Tensor) -> Tensor {
        maxPool1d(input, kernel: kernelSize, stride: stride, padding: padding)
    }
    /// `self(relu(input))` in one pass (`reluMaxPool1d`).
    public func afterReLU(_ input: Tensor) -> Tensor {
        reluMaxPool1d(input, kernel: kernelSize, stride: stride, padding: padding)
    }
}

/// Average pooling over time, PyTorch's `nn.AvgPool1d` (padding counted in the average).
public final class AvgPool1d: Layer {
    public let kernelSize: Int, stride: Int, padding: Int
    public var isTraining = true
    public init(kernelSize: Int, stride: Int? = nil, padding: Int = 0) {
        self.kernelSize = kernelSize
        self.stride = stride ?? kernelSize
        self.padding = padding
    }
    public func callAsFunction(_ input: Tensor) -> Tensor {
        avgPool1d(input, kernel: kernelSize, stride: stride, padding: padding)
    }
}

/// 2-D max pooling, PyTorch's `nn.MaxPool2d`: `[N, C, H, W]` -> `[N, C, Hout, Wout]`.
public final class MaxPool2d: Layer {
    public let kernelSize: (Int, Int), stride: (Int, Int), padding: (Int, Int)
    public var isTraining = true
    public init(kernelSize: (Int, Int), stride: (Int, Int)? = nil, padding: (Int, Int) = (0, 0)) {
        self.kernelSize = kernelSize
        self.stride = stride ?? kernelSize
        self.padding = padding
    }
    public func callAsFunction(_ input: Tensor) -> Tensor {
        maxPool2d(input, kernel: kernelSize, stride: stride, padding: padding)
    }
}

/// 2-D average pooling, PyTorch's `nn.AvgPool2d` (padding counted in the average).
public final class AvgPool2d: Layer {
    public let kernelSize: (Int, Int), stride: (Int, Int), padding: (Int, Int)
    public var isTraining = true
    public init(kernelSize: (Int, Int), stride: (Int, Int)? = nil, padding: (Int, Int) = (0, 0)) {
        self.kernelSize = kernelSize
        self.stride = stride ?? kernelSize
        self.padding = padding
    }
    public func callAsFunction(_ input: Tensor) -> Tensor {
        avgPool2d(input, kernel: kernelSize, stride: stride, padding: padding)
    }
}

/// Global temporal pooling of Dieleman's Spotify network: `[N, C, L]` -> `[N, C * kinds.count]`,
/// the concatenation (in `kinds` order, each a block of C features) of the mean, the max and
/// the L2 norm over time (L2 = sqrt(mean over time of x^2), see the Tensor kernel).
public final class GlobalTemporalPool: Layer {
    public let kinds: [GlobalPoolKind]
    public var isTraining = true
    public init(_ kinds: [GlobalPoolKind] = [.mean, .max, .l2]) {
        precondition(!kinds.isEmpty, "GlobalTemporalPool: no pooling kind")
        self.kinds = kinds
    }
    public func callAsFunction(_ input: Tensor) -> Tensor {
        globalTemporalPool(input, kinds: kinds)
    }
}
