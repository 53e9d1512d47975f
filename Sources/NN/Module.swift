import Tensor

/// A neural-network building block with named parameters, buffers and child modules,
/// PyTorch's `nn.Module` in Swift.
///
/// A module lists only its *own* parameters and buffers and its direct children; the
/// extension methods walk the tree and join names with dots, so a model with a child
/// `conv1` holding `weight` and `bias` has parameters `conv1.weight` and `conv1.bias`,
/// exactly the keys of PyTorch's `state_dict()` for the same architecture.
///
/// ```swift
/// final class Net: Layer {
///     var isTraining = true
///     let conv1: Conv1d, fc1: Linear
///     init(using rng: inout SeededGenerator) {
///         conv1 = Conv1d(16, 8, kernelSize: 4, using: &rng)
///         fc1 = Linear(8, 10, using: &rng)
///     }
///     var children: [(name: String, module: any Module)] { [("conv1", conv1), ("fc1", fc1)] }
///     func callAsFunction(_ x: Tensor) -> Tensor { fc1(globalMeanPool(relu(conv1(x)))) }
/// }
/// let names = Net(using: &rng).stateDict().names   // conv1.weight, conv1.bias, fc1.weight, fc1.bias
/// ```
public protocol Module: AnyObject {
    /// This module's own trainable tensors in registration order (not its children's).
    var ownParameters: [(name: String, tensor: Tensor)] { get }
    /// This module's own non-trainable state (e.g. batch-norm running statistics).
    var ownBuffers: [(name: String, tensor: Tensor)] { get }
    /// Direct sub-modules in registration order.
    var children: [(name: String, module: any Module)] { get }
    /// True in training mode (dropout active, batch norm uses batch statistics).
    var isTraining: Bool { get set }
}

/// A module with a forward pass from one tensor to one tensor.
public protocol Layer: Module {
    /// The forward pass.
    func callAsFunction(_ input: Tensor) -> Tensor
}

extension Module {
    public var ownParameters: [(name: String, tensor: Tensor)] { [] }
    public var ownBuffers: [(name: String, tensor: Tensor)] { [] }
    public var children: [(name: String, module: any Module)] { [] }

    /// Every parameter of the tree with its dotted name, in PyTorch's order
    /// (own parameters first, then each child's, depth first).
    public func namedParameters() -> [(name: String, tensor: Tensor)] {
        var out: [(name: String, tensor: Tensor)] = []
        walk(prefix: "") { prefix, module in
            for (name, t) in module.ownParameters { out.append((prefix + name, t)) }
        }
        return out
    }

    /// Every buffer of the tree with its dotted name.
    public func namedBuffers() -> [(name: String, tensor: Tensor)] {
        var out: [(name: String, tensor: Tensor)] = []
        walk(prefix: "") { prefix, module in
            for (name, t) in module.ownBuffers { out.append((prefix + name, t)) }
        }
        return out
    }

    /// All parameter tensors (for optimisers and gradient clipping).
    public func parameters() -> [Tensor] { namedParameters().map(\.tensor) }

    /// Number of trainable scalars.
    public var parameterCount: Int { parameters().reduce(0) { $0 + $1.count } }

    /// Parameters and buffers by name, in PyTorch's `state_dict()` order (per module:
    /// parameters, then buffers, then children). Values are copies.
    public func stateDict() -> StateDict {
        var dict = StateDict()
        walk(prefix: "") { prefix, module in
            for (name, t) in module.ownParameters + module.ownBuffers {
                dict[prefix + name] = NamedArray(shape: t.shape, values: t.data)
            }
        }
        return dict
    }

    /// Copies `state` into the parameters and buffers. Refuses (and changes nothing)
    /// when an entry is missing, unexpected or of another shape; the error names them.
    public func loadStateDict(_ state: StateDict) throws {
        var expected: [(String, Tensor)] = []
        walk(prefix: "") { prefix, module in
            for (name, t) in module.ownParameters + module.ownBuffers { expected.append((prefix + name, t)) }
        }
        let expectedNames = Set(expected.map(\.0))
        var missing: [String] = [], mismatched: [String] = []
        for (name, t) in expected {
            guard let array = state[name] else { missing.append(name); continue }
            if array.shape != t.shape || array.values.count != t.count {
                mismatched.append("\(name) expected \(t.shape) got \(array.shape)")
            }
        }
        let unexpected = state.names.filter { !expectedNames.contains($0) }
        guard missing.isEmpty, unexpected.isEmpty, mismatched.isEmpty else {
            throw NNError.stateDictMismatch(missing: missing, unexpected: unexpected, shapes: mismatched)
        }
        for (name, t) in expected { t.data = state[name]!.values }
    }

    /// Switches this module and all descendants to training (`true`) or evaluation mode.
    public func train(_ on: Bool = true) {
        walk(prefix: "") { _, module in module.isTraining = on }
    }

    /// Switches this module and all descendants to evaluation mode (`train(false)`).
    public func eval() { train(false) }

    /// Clears the gradients of all parameters.
    public func zeroGrad() {
        for t in parameters() { t.zeroGrad() }
    }

    /// Visits this module and its descendants depth first with their name prefixes
    /// ("" for the root, "conv1." for a child).
    func walk(prefix: String, _ visit: (String, any Module) -> Void) {
        visit(prefix, self)
        for (name, child) in children { child.walk(prefix: prefix + name + ".", visit) }
    }
}
