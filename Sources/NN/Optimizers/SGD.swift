import Tensor

/// Stochastic gradient descent with momentum, dampening, Nesterov momentum and L2
/// weight decay, PyTorch's `torch.optim.SGD` update (`_single_tensor_sgd`):
///
///     g = grad + weightDecay * p
///     b = g                                        (first step)
///     b = momentum * b + (1 - dampening) * g       (later steps)
///     g = nesterov ? g + momentum * b : b          (when momentum != 0)
///     p = p - lr * g
///
/// State: `momentum_buffer.<param>` (when momentum != 0).
public final class SGD: Optimizer {
    public let parameters: [(name: String, tensor: Tensor)]
    public var learningRate: Double
    public let momentum: Double, dampening: Double, weightDecay: Double
    public let nesterov: Bool
    private var state: OptimizerState

    /// Refuses negative values and Nesterov without momentum or with dampening (as PyTorch).
    public init(_ parameters: [(name: String, tensor: Tensor)], learningRate: Double, momentum: Double = 0,
                dampening: Double = 0, nesterov: Bool = false, weightDecay: Double = 0) throws {
        if !(learningRate >= 0) { throw NNError.invalidHyperparameter("learning rate", "\(learningRate) is negative") }
        if !(momentum >= 0) { throw NNError.invalidHyperparameter("momentum", "\(momentum) is negative") }
        if !(weightDecay >= 0) { throw NNError.invalidHyperparameter("weight decay", "\(weightDecay) is negative") }
        if nesterov && (momentum <= 0 || dampening != 0) {
            throw NNError.invalidHyperparameter("nesterov", "needs momentum > 0 and dampening 0")
        }
        self.parameters = parameters
        self.learningRate = learningRate
        self.momentum = momentum
        self.dampening = dampening
        self.nesterov = nesterov
        self.weightDecay = weightDecay
        state = OptimizerState(kinds: ["momentum_buffer"], parameterCount: parameters.count)
    }

    /// Optimises all parameters of `module`.
    public convenience init(_ module: any Module, learningRate: Double, momentum: Double = 0, dampening: Double = 0,
                            nesterov: Bool = false, weightDecay: Double = 0) throws {
        try self.init(module.namedParameters(), learningRate: learningRate, momentum: momentum,
                      dampening: dampening, nesterov: nesterov, weightDecay: weightDecay)
    }

    public func step() {
        let lr = Float(learningRate), wd = Float(weightDecay), mu = Float(momentum)
        let keep = Float(1 - dampening)
        for (i, (_, p)) in parameters.enumerated() {
            guard let g = p.grad else { continue }
            let n = g.count
            var buffer: [Float]? = nil
            if mu != 0 {
                buffer = state.slots["momentum_buffer"]![i]
                state.slots["momentum_buffer"]![i] = nil   // unique ownership: update in place
            }
            let first = buffer == nil
            if mu != 0 && first { buffer = [Float](repeating: 0, count: n) }
            var buf = buffer ?? []
            p.data.withUnsafeMutableBufferPointer { w in
                g.withUnsafeBufferPointer { g in
                    buf.withUnsafeMutableBufferPointer { b in
                        for j in 0 ..< n {
                            var d = g[j]
                            if wd != 0 { d += wd * w[j] }
                            if mu != 0 {
                                b[j] = first ? d : b[j] * mu + keep * d
                                d = nesterov ? d + mu * b[j] : b[j]
                            }
                            w[j] += -lr * d
                        }
                    }
                }
            }
            if mu != 0 { state.slots["momentum_buffer"]![i] = buf }
        }
    }

    public func stateDict() -> StateDict { state.export(parameters) }

    public func loadStateDict(_ dict: StateDict) throws { try state.load(dict, parameters) }
}
