import Tensor

/// Updates parameters from their accumulated gradients (`Tensor.grad`), PyTorch's
/// `torch.optim.Optimizer`. Parameters without a gradient are skipped, as in PyTorch.
///
/// ```swift
/// let opt = try SGD(model, learningRate: 0.01, momentum: 0.9, nesterov: true)
/// model.zeroGrad(); crossEntropy(model(x), targets: y).backward(); opt.step()
/// ```
///
/// `stateDict()` exports the per-parameter state as named arrays (`momentum_buffer.<param>`,
/// `exp_avg.<param>`, `exp_avg_sq.<param>`, `step.<param>`, where `<param>` is the
/// parameter's state-dict name) so that a checkpoint resumes bit for bit;
/// hyper-parameters (including the learning rate) are configuration, not state.
public protocol Optimizer: AnyObject {
    /// The parameters being optimised, with their state-dict names.
    var parameters: [(name: String, tensor: Tensor)] { get }
    /// The learning rate of the next `step()` (set it from an `LRSchedule`).
    var learningRate: Double { get set }
    /// One update of every parameter that has a gradient.
    func step()
    /// The optimiser's state as named arrays.
    func stateDict() -> StateDict
    /// Restores the state exported by `stateDict()`. Refuses unexpected names and wrong
    /// shapes (names the entries); absent entries mean "not yet initialised", as in PyTorch.
    func loadStateDict(_ state: StateDict) throws
}

extension Optimizer {
    /// Clears the gradients of all optimised parameters.
    public func zeroGrad() {
        for (_, t) in parameters { t.zeroGrad() }
    }
}

/// Per-parameter state slots shared by the optimisers: `slots[kind][paramIndex]`.
struct OptimizerState {
    let kinds: [String]
    var slots: [String: [[Float]?]]

    init(kinds: [String], parameterCount: Int) {
        self.kinds = kinds
        slots = Dictionary(uniqueKeysWithValues: kinds.map { ($0, [[Float]?](repeating: nil, count: parameterCount)) })
    }

    /// `<kind>.<param>` arrays for every initialised slot (`step` slots are 0-d).
    func export(_ parameters: [(name: String, tensor: Tensor)]) -> StateDict {
        var dict = StateDict()
        for (i, (name, tensor)) in parameters.enumerated() {
            for kind in kinds {
                guard let values = slots[kind]![i] else { continue }
                let shape = kind == "step" ? [] : tensor.shape
                dict["\(kind).\(name)"] = NamedArray(shape: shape, values: values)
            }
        }
        return dict
    }

    /// Replaces the slots from `state` after checking every name and shape.
    mutating func load(_ state: StateDict, _ parameters: [(name: String, tensor: Tensor)]) throws {
        var index: [String: Int] = [:]
        for (i, (name, _)) in parameters.enumerated() { index[name] = i }
        var unexpected: [String] = [], mismatched: [String] = []
        var fresh = OptimizerState(kinds: kinds, parameterCount: parameters.count)
        for (key, array) in state {
            guard let dot = key.firstIndex(of: "."),
                  kinds.contains(String(key[..<dot])),
                  let i = index[String(key[key.index(after: dot)...])]
            else { unexpected.append(key); continue }
            let kind = String(key[..<dot])
            let shape = kind == "step" ? [] : parameters[i].tensor.shape
            guard array.shape == shape, array.values.count == shape.reduce(1, *) else {
                mismatched.append("\(key) expected \(shape) got \(array.shape)")
                continue
            }
            fresh.slots[kind]![i] = array.values
        }
        guard unexpected.isEmpty, mismatched.isEmpty else {
            throw NNError.stateDictMismatch(missing: [], unexpected: unexpected, shapes: mismatched)
        }
        self = fresh
    }
}
