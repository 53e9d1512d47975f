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
            // Take the momentum buffer out of the state so that it is uniquely referenced
            // (updated in place, no copy-on-write copy).
            var buffer: [Float] = []
            var first = false
            if mu != 0 {
                if state.slots["momentum_buffer"]![i] != nil {
                    buffer = state.slots["momentum_buffer"]![i]!
                    state.slots["momentum_buffer"]![i] = nil
                } else {
                    first = true
                    buffer = [Float](unsafeUninitializedCapacity: n) { $1 = n }   // fully written on the first step
                }
            }
            p.data.withUnsafeMutableBufferPointer { w in
                g.withUnsafeBufferPointer { g in
                    buffer.withUnsafeMutableBufferPointer { b in
                        ParameterUpdate.sgd(weights: w.baseAddress!, grad: g.baseAddress!, buffer: mu != 0 ? b.baseAddress : nil,
                                            count: n, lr: lr, weightDecay: wd, momentum: mu, dampeningKeep: keep,
                                            nesterov: nesterov, first: first)
                    }
                }
            }
            if mu != 0 { state.slots["momentum_buffer"]![i] = buffer }
        }
    }

    public func stateDict() -> StateDict { state.export(parameters) }

    public func loadStateDict(_ dict: StateDict) throws { try state.load(dict, parameters) }
}
