import Tensor
#if canImport(Glibc)
import Glibc
#endif

/// Weight initialisers with PyTorch's `torch.nn.init` conventions. Each fills a tensor
/// in place from a `SeededGenerator` (row-major draw order) and returns nothing.
///
/// Fans follow `torch.nn.init._calculate_fan_in_and_fan_out`: for a weight of shape
/// `[out, in, k...]`, `fanIn = in * prod(k)` and `fanOut = out * prod(k)`.
public enum Init {
    /// Which fan scales the variance (Kaiming): `fanIn` keeps the forward variance,
    /// `fanOut` the backward one.
    public enum FanMode: Sendable { case fanIn, fanOut }

    /// The non-linearity after the layer, for the recommended gain
    /// (`torch.nn.init.calculate_gain`).
    public enum Nonlinearity: Sendable {
        case linear, sigmoid, tanh, relu
        /// Leaky ReLU with negative slope `a` (gain sqrt(2 / (1 + a^2))).
        case leakyRelu(Double)
    }

    /// `calculate_gain`: 1 for linear and sigmoid, 5/3 for tanh, sqrt(2) for ReLU,
    /// sqrt(2 / (1 + a^2)) for leaky ReLU.
    public static func gain(_ nonlinearity: Nonlinearity) -> Double {
        switch nonlinearity {
        case .linear, .sigmoid: return 1
        case .tanh: return 5.0 / 3.0
        case .relu: return 2.0.squareRoot()
        case let .leakyRelu(a): return (2.0 / (1 + a * a)).squareRoot()
        }
    }

    /// `(fanIn, fanOut)` of a weight shape (rank >= 2; a rank-1 shape has fanIn = fanOut = its size).
    public static func fans(_ shape: [Int]) -> (fanIn: Int, fanOut: Int) {
        guard shape.count >= 2 else { let n = shape.first ?? 1; return (n, n) }
        let receptive = shape.dropFirst(2).reduce(1, *)
        return (shape[1] * receptive, shape[0] * receptive)
    }

    /// U(-bound, bound) with bound = gain * sqrt(3 / fan) (He et al. 2015; `kaiming_uniform_`).
    /// PyTorch's default is `a = 0, mode = fanIn, nonlinearity = leakyRelu(a)`.
    public static func kaimingUniform(_ tensor: Tensor, a: Double = 0, mode: FanMode = .fanIn,
                                      nonlinearity: Nonlinearity? = nil, using generator: inout SeededGenerator) {
        let std = kaimingStd(tensor.shape, a: a, mode: mode, nonlinearity: nonlinearity)
        uniform(tensor, bound: Float(3.0.squareRoot() * std), using: &generator)
    }

    /// N(0, std^2) with std = gain / sqrt(fan) (He et al. 2015; `kaiming_normal_`).
    public static func kaimingNormal(_ tensor: Tensor, a: Double = 0, mode: FanMode = .fanIn,
                                     nonlinearity: Nonlinearity? = nil, using generator: inout SeededGenerator) {
        let std = kaimingStd(tensor.shape, a: a, mode: mode, nonlinearity: nonlinearity)
        normal(tensor, std: Float(std), using: &generator)
    }

    /// U(-bound, bound) with bound = gain * sqrt(6 / (fanIn + fanOut)) (Glorot and Bengio 2010).
    public static func xavierUniform(_ tensor: Tensor, gain: Double = 1, using generator: inout SeededGenerator) {
        let (fanIn, fanOut) = fans(tensor.shape)
        uniform(tensor, bound: Float(gain * (6.0 / Double(fanIn + fanOut)).squareRoot()), using: &generator)
    }

    /// N(0, std^2) with std = gain * sqrt(2 / (fanIn + fanOut)) (Glorot and Bengio 2010).
    public static func xavierNormal(_ tensor: Tensor, gain: Double = 1, using generator: inout SeededGenerator) {
        let (fanIn, fanOut) = fans(tensor.shape)
        normal(tensor, std: Float(gain * (2.0 / Double(fanIn + fanOut)).squareRoot()), using: &generator)
    }

    /// U(-bound, bound).
    public static func uniform(_ tensor: Tensor, bound: Float, using generator: inout SeededGenerator) {
        tensor.data = Tensor.uniform(tensor.shape, low: -bound, high: bound, using: &generator).data
    }

    /// N(0, std^2).
    public static func normal(_ tensor: Tensor, std: Float, using generator: inout SeededGenerator) {
        tensor.data = Tensor.normal(tensor.shape, mean: 0, std: std, using: &generator).data
    }

    /// PyTorch's default for `Linear` and `ConvNd` (`reset_parameters`): weight from
    /// `kaiming_uniform_(a = sqrt(5))`, i.e. U(-1/sqrt(fanIn), 1/sqrt(fanIn)), and the
    /// bias from U(-1/sqrt(fanIn), 1/sqrt(fanIn)).
    public static func pytorchDefault(weight: Tensor, bias: Tensor?, using generator: inout SeededGenerator) {
        kaimingUniform(weight, a: 5.0.squareRoot(), using: &generator)
        if let bias {
            let fanIn = fans(weight.shape).fanIn
            uniform(bias, bound: fanIn > 0 ? Float(1 / Double(fanIn).squareRoot()) : 0, using: &generator)
        }
    }

    private static func kaimingStd(_ shape: [Int], a: Double, mode: FanMode, nonlinearity: Nonlinearity?) -> Double {
        let (fanIn, fanOut) = fans(shape)
        let fan = Double(max(1, mode == .fanIn ? fanIn : fanOut))
        return gain(nonlinearity ?? .leakyRelu(a)) / fan.squareRoot()
    }
}
