import Tensor

/// ReLU: max(0, x), elementwise.
public final class ReLU: Layer {
    public var isTraining = true
    public init() {}
    public func callAsFunction(_ input: Tensor) -> Tensor { relu(input) }
}

/// Leaky ReLU: x for x > 0, slope * x otherwise (PyTorch default slope 0.01).
public final class LeakyReLU: Layer {
    public let slope: Float
    public var isTraining = true
    public init(slope: Float = 0.01) { self.slope = slope }
    public func callAsFunction(_ input: Tensor) -> Tensor { leakyRelu(input, slope: slope) }
}

/// ELU: x for x > 0, alpha * (exp(x) - 1) otherwise.
public final class ELU: Layer {
    public let alpha: Float
    public var isTraining = true
    public init(alpha: Float = 1) { self.alpha = alpha }
    public func callAsFunction(_ input: Tensor) -> Tensor { elu(input, alpha: alpha) }
}

/// Logistic sigmoid 1 / (1 + exp(-x)).
public final class Sigmoid: Layer {
    public var isTraining = true
    public init() {}
    public func callAsFunction(_ input: Tensor) -> Tensor { sigmoid(input) }
}

/// Hyperbolic tangent.
public final class Tanh: Layer {
    public var isTraining = true
    public init() {}
    public func callAsFunction(_ input: Tensor) -> Tensor { tanh(input) }
}

/// Softmax along `axis` (default: the last).
public final class Softmax: Layer {
    public let axis: Int
    public var isTraining = true
    public init(axis: Int = -1) { self.axis = axis }
    public func callAsFunction(_ input: Tensor) -> Tensor { softmax(input, axis: axis) }
}

/// Log-softmax along `axis` (default: the last).
public final class LogSoftmax: Layer {
    public let axis: Int
    public var isTraining = true
    public init(axis: Int = -1) { self.axis = axis }
    public func callAsFunction(_ input: Tensor) -> Tensor { logSoftmax(input, axis: axis) }
}

/// Dropout (Srivastava et al. 2014): in training, zeroes each element with probability p and
/// scales the rest by 1 / (1 - p); the identity in evaluation mode. Draws from its own
/// `generator`, seeded at construction, whose `state` a checkpoint can save and restore.
public final class Dropout: Layer {
    public let p: Float
    public var generator: SeededGenerator
    public var isTraining = true
    /// `p` must lie in [0, 1) (callers validate user configuration).
    public init(p: Float = 0.5, seed: UInt64 = 0) {
        precondition(p >= 0 && p < 1, "Dropout: p must lie in [0, 1)")
        self.p = p
        generator = SeededGenerator(seed: seed)
    }
    public func callAsFunction(_ input: Tensor) -> Tensor {
        dropout(input, p: p, training: isTraining, using: &generator)
    }
}
