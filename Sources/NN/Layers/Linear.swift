import Tensor

/// Fully connected layer: y = x W^T + b, PyTorch's `nn.Linear`.
///
/// Shapes: input `[N, inFeatures]` -> output `[N, outFeatures]`; parameters
/// `weight [outFeatures, inFeatures]` and `bias [outFeatures]`. Default initialisation
/// as PyTorch (`Init.pytorchDefault`: U(-1/sqrt(in), 1/sqrt(in)) for both).
///
/// ```swift
/// let fc = Linear(1536, 2048, using: &rng)
/// let y = fc(x)   // [32, 1536] -> [32, 2048]
/// ```
public final class Linear: Layer {
    public let weight: Tensor
    public let bias: Tensor?
    public var isTraining = true

    /// Sizes must be positive (callers validate user configuration first).
    public init(_ inFeatures: Int, _ outFeatures: Int, bias: Bool = true, using generator: inout SeededGenerator) {
        precondition(inFeatures > 0 && outFeatures > 0, "Linear: sizes must be positive")
        weight = Tensor.zeros([outFeatures, inFeatures], requiresGrad: true)
        self.bias = bias ? Tensor.zeros([outFeatures], requiresGrad: true) : nil
        Init.pytorchDefault(weight: weight, bias: self.bias, using: &generator)
    }

    public var ownParameters: [(name: String, tensor: Tensor)] {
        [("weight", weight)] + (bias.map { [("bias", $0)] } ?? [])
    }

    public func callAsFunction(_ input: Tensor) -> Tensor {
        linear(input, weight: weight, bias: bias)
    }
}
