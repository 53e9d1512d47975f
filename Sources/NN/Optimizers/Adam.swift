import Tensor
#if canImport(Glibc)
import Glibc
#else
import Foundation
#endif

/// Adam (Kingma and Ba 2015) with PyTorch's exact update (`torch.optim.Adam`,
/// `_single_tensor_adam`), per parameter with its own step count t:
///
///     g = grad + weightDecay * p                  (Adam: L2 penalty in the gradient)
///     p = p * (1 - lr * weightDecay)              (AdamW: decoupled decay, instead)
///     m = lerp(m, g, 1 - beta1)
///     v = beta2 * v + (1 - beta2) * g * g
///     p = p - lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
///
/// Note `eps` is added after the bias correction of sqrt(v), as in PyTorch.
/// State: `exp_avg.<param>`, `exp_avg_sq.<param>`, `step.<param>` (0-d).
public class Adam: Optimizer {
    public let parameters: [(name: String, tensor: Tensor)]
    public var learningRate: Double
    public let beta1: Double, beta2: Double, eps: Double, weightDecay: Double
    /// AdamW (Loshchilov and Hutter 2019) when true.
    public let decoupledWeightDecay: Bool
    private var state: OptimizerState

    /// Refuses a negative learning rate, eps or weight decay and betas outside [0, 1).
    public init(_ parameters: [(name: String, tensor: Tensor)], learningRate: Double = 1e-3, beta1: Double = 0.9,
                beta2: Double = 0.999, eps: Double = 1e-8, weightDecay: Double = 0,
                decoupledWeightDecay: Bool = false) throws {
        if !(learningRate >= 0) { throw NNError.invalidHyperparameter("learning rate", "\(learningRate) is negative") }
        if !(eps >= 0) { throw NNError.invalidHyperparameter("eps", "\(eps) is negative") }
        if !(beta1 >= 0 && beta1 < 1) { throw NNError.invalidHyperparameter("beta1", "\(beta1) is not in [0, 1)") }
        if !(beta2 >= 0 && beta2 < 1) { throw NNError.invalidHyperparameter("beta2", "\(beta2) is not in [0, 1)") }
        if !(weightDecay >= 0) { throw NNError.invalidHyperparameter("weight decay", "\(weightDecay) is negative") }
        self.parameters = parameters
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.eps = eps
        self.weightDecay = weightDecay
        self.decoupledWeightDecay = decoupledWeightDecay
        state = OptimizerState(kinds: ["exp_avg", "exp_avg_sq", "step"], parameterCount: parameters.count)
    }

    /// Optimises all parameters of `module`.
    public convenience init(_ module: any Module, learningRate: Double = 1e-3, beta1: Double = 0.9,
                            beta2: Double = 0.999, eps: Double = 1e-8, weightDecay: Double = 0) throws {
        try self.init(module.namedParameters(), learningRate: learningRate, beta1: beta1, beta2: beta2,
                      eps: eps, weightDecay: weightDecay)
    }

    public func step() {
        for (i, (_, p)) in parameters.enumerated() {
            guard var g = p.grad else { continue }
            let n = g.count
            let t = (state.slots["step"]![i]?[0] ?? 0) + 1
            state.slots["step"]![i] = [t]
            if weightDecay != 0 {
                if decoupledWeightDecay {
                    let keep = Float(1 - learningRate * weightDecay)
                    p.data.withUnsafeMutableBufferPointer { w in for j in 0 ..< n { w[j] *= keep } }
                } else {
                    let wd = Float(weightDecay)
                    p.data.withUnsafeBufferPointer { w in for j in 0 ..< n { g[j] += wd * w[j] } }
                }
            }
            var m = state.slots["exp_avg"]![i] ?? [Float](repeating: 0, count: n)
            var v = state.slots["exp_avg_sq"]![i] ?? [Float](repeating: 0, count: n)
            state.slots["exp_avg"]![i] = nil   // unique ownership while updating in place
            state.slots["exp_avg_sq"]![i] = nil
            // torch.lerp: start + w * (end - start) for w < 0.5, else end - (end - start) * (1 - w).
            let w1 = Float(1 - beta1), b2 = Float(beta2), w2 = Float(1 - beta2)
            let bc1 = 1 - pow(beta1, Double(t)), bc2Sqrt = (1 - pow(beta2, Double(t))).squareRoot()
            let stepSize = Float(learningRate / bc1), bc2 = Float(bc2Sqrt), e = Float(eps)
            p.data.withUnsafeMutableBufferPointer { w in
                m.withUnsafeMutableBufferPointer { m in
                    v.withUnsafeMutableBufferPointer { v in
                        g.withUnsafeBufferPointer { g in
                            ParameterUpdate.adam(weights: w.baseAddress!, grad: g.baseAddress!, expAvg: m.baseAddress!,
                                                 expAvgSq: v.baseAddress!, count: n, w1: w1, beta2: b2, w2: w2,
                                                 stepSize: stepSize, bc2Sqrt: bc2, eps: e)
                        }
                    }
                }
            }
            state.slots["exp_avg"]![i] = m
            state.slots["exp_avg_sq"]![i] = v
        }
    }

    public func stateDict() -> StateDict { state.export(parameters) }

    public func loadStateDict(_ dict: StateDict) throws { try state.load(dict, parameters) }
}

/// AdamW: Adam with decoupled weight decay (PyTorch's `torch.optim.AdamW`, default
/// weight decay 0.01): `p *= 1 - lr * weightDecay` before the Adam update.
public final class AdamW: Adam {
    public init(_ parameters: [(name: String, tensor: Tensor)], learningRate: Double = 1e-3, beta1: Double = 0.9,
                beta2: Double = 0.999, eps: Double = 1e-8, weightDecay: Double = 1e-2) throws {
        try super.init(parameters, learningRate: learningRate, beta1: beta1, beta2: beta2, eps: eps,
                       weightDecay: weightDecay, decoupledWeightDecay: true)
    }

    /// Optimises all parameters of `module`.
    public convenience init(_ module: any Module, learningRate: Double = 1e-3, beta1: Double = 0.9,
                            beta2: Double = 0.999, eps: Double = 1e-8, weightDecay: Double = 1e-2) throws {
        try self.init(module.namedParameters(), learningRate: learningRate, beta1: beta1, beta2: beta2,
                      eps: eps, weightDecay: weightDecay)
    }
}
