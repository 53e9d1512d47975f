import Tensor

/// One-layer gated recurrent unit (Cho et al. 2014), PyTorch's `nn.GRU(batch_first=True)`:
///
///     r_t = σ(W_ir x_t + b_ir + W_hr h_{t-1} + b_hr)
///     z_t = σ(W_iz x_t + b_iz + W_hz h_{t-1} + b_hz)
///     n_t = tanh(W_in x_t + b_in + r_t ⊙ (W_hn h_{t-1} + b_hn))
///     h_t = (1 - z_t) ⊙ n_t + z_t ⊙ h_{t-1},   h_0 = 0
///
/// Shapes: input `[N, T, inputSize]` -> outputs `[N, T, hiddenSize]` (every h_t) and the last
/// state `[N, hiddenSize]`. Parameters under PyTorch's names, gates stacked in the order r, z, n:
/// `weight_ih_l0 [3H, inputSize]`, `weight_hh_l0 [3H, H]`, `bias_ih_l0 [3H]`, `bias_hh_l0 [3H]`,
/// initialised U(-1/sqrt(H), 1/sqrt(H)) as PyTorch. Built from the Tensor module's
/// differentiable ops (linear, slice, sigmoid, tanh, elementwise), so backpropagation through
/// time comes from the tape.
public final class GRU: Layer {
    public let inputSize: Int, hiddenSize: Int
    public let weightIH: Tensor, weightHH: Tensor, biasIH: Tensor, biasHH: Tensor
    public var isTraining = true

    /// Sizes must be positive (callers validate user configuration).
    public init(inputSize: Int, hiddenSize: Int, using generator: inout SeededGenerator) {
        precondition(inputSize > 0 && hiddenSize > 0, "GRU: sizes must be positive")
        self.inputSize = inputSize
        self.hiddenSize = hiddenSize
        let bound = 1 / Float(hiddenSize).squareRoot()
        weightIH = Tensor.uniform([3 * hiddenSize, inputSize], low: -bound, high: bound, using: &generator, requiresGrad: true)
        weightHH = Tensor.uniform([3 * hiddenSize, hiddenSize], low: -bound, high: bound, using: &generator, requiresGrad: true)
        biasIH = Tensor.uniform([3 * hiddenSize], low: -bound, high: bound, using: &generator, requiresGrad: true)
        biasHH = Tensor.uniform([3 * hiddenSize], low: -bound, high: bound, using: &generator, requiresGrad: true)
    }

    public var ownParameters: [(name: String, tensor: Tensor)] {
        [("weight_ih_l0", weightIH), ("weight_hh_l0", weightHH), ("bias_ih_l0", biasIH), ("bias_hh_l0", biasHH)]
    }

    /// Every hidden state `[N, T, H]` and the last one `[N, H]` for input `[N, T, inputSize]`.
    public func forward(_ input: Tensor) -> (outputs: Tensor, last: Tensor) {
        precondition(input.rank == 3 && input.shape[2] == inputSize && input.shape[1] > 0,
                     "GRU: input must be [N, T > 0, \(inputSize)], got \(input.shape)")
        let (n, steps, h3) = (input.shape[0], input.shape[1], 3 * hiddenSize)
        // Input projections of all steps in one product: [N·T, 3H] -> [N, T, 3H].
        let gi = linear(input.reshaped([n * steps, inputSize]), weight: weightIH, bias: biasIH).reshaped([n, steps, h3])
        var h = Tensor.zeros([n, hiddenSize])
        var outputs: [Tensor] = []
        let (r, z, c) = (0 ..< hiddenSize, hiddenSize ..< 2 * hiddenSize, 2 * hiddenSize ..< h3)
        for t in 0 ..< steps {
            let x = gi.slice(axis: 1, t ..< t + 1).reshaped([n, h3])
            let gh = linear(h, weight: weightHH, bias: biasHH)
            let reset = sigmoid(x.slice(axis: 1, r) + gh.slice(axis: 1, r))
            let update = sigmoid(x.slice(axis: 1, z) + gh.slice(axis: 1, z))
            let candidate = tanh(x.slice(axis: 1, c) + reset * gh.slice(axis: 1, c))
            h = (1 - update) * candidate + update * h
            outputs.append(h.reshaped([n, 1, hiddenSize]))
        }
        return (concat(outputs, axis: 1), h)
    }

    /// Every hidden state `[N, T, H]` (PyTorch's `output`).
    public func callAsFunction(_ input: Tensor) -> Tensor { forward(input).outputs }
}
