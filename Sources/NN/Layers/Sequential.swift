import Tensor

/// Layers applied in order; children are named "0", "1", ... as in PyTorch's `nn.Sequential`
/// (so a Sequential's state-dict keys are `0.weight`, `0.bias`, `2.weight`, ...).
///
/// ```swift
/// let mlp = Sequential([Linear(48, 32, using: &rng), ReLU(), Linear(32, 10, using: &rng)])
/// let logits = mlp(x)   // [N, 48] -> [N, 10]
/// ```
public final class Sequential: Layer {
    public let layers: [any Layer]
    public var isTraining = true
    public init(_ layers: [any Layer]) { self.layers = layers }
    public var children: [(name: String, module: any Module)] {
        layers.enumerated().map { (String($0.offset), $0.element) }
    }
    /// Applies the layers in order, fusing (same values and gradients, fewer passes over the
    /// activations): `Conv1d, ReLU, MaxPool1d` runs as one `conv1dReluMaxPool1d`,
    /// `Conv1d, ReLU, GlobalTemporalPool` as one `conv1dReluGlobalPool`, and a `ReLU`
    /// directly followed by a `MaxPool1d` as one `reluMaxPool1d`.
    public func callAsFunction(_ input: Tensor) -> Tensor {
        var x = input, i = 0
        while i < layers.count {
            if let conv = layers[i] as? Conv1d, i + 2 < layers.count, layers[i + 1] is ReLU,
               let pool = layers[i + 2] as? MaxPool1d {
                x = conv.thenReLUMaxPool(x, pool)
                i += 3
            } else if let conv = layers[i] as? Conv1d, i + 2 < layers.count, layers[i + 1] is ReLU,
                      let pool = layers[i + 2] as? GlobalTemporalPool {
                x = conv.thenReLUGlobalPool(x, pool)
                i += 3
            } else if layers[i] is ReLU, i + 1 < layers.count, let pool = layers[i + 1] as? MaxPool1d {
                x = pool.afterReLU(x)
                i += 2
            } else {
                x = layers[i](x)
                i += 1
            }
        }
        return x
    }
}
