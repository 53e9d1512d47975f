/// One named array of a state dict: a shape and its row-major Float32 values.
public struct NamedArray: Equatable, Sendable {
    public var shape: [Int]
    public var values: [Float]

    /// An array of `shape` holding `values` (`values.count` should equal the shape product).
    public init(shape: [Int], values: [Float]) {
        self.shape = shape
        self.values = values
    }

    /// A one-element, 0-d array (PyTorch's scalar tensors such as `num_batches_tracked`).
    public init(scalar: Float) { self.init(shape: [], values: [scalar]) }
}

/// An ordered name -> array map: PyTorch's `state_dict()` for modules, and the
/// exported state of optimisers. Iterates in insertion order.
///
/// Checkpoints store each entry as one float32 dataset named by its key, so a file
/// written from a `Module.stateDict()` loads into a PyTorch model of the same
/// architecture with `model.load_state_dict({k: torch.from_numpy(f[k][()]) ...})`.
public struct StateDict: Equatable, Sendable, Sequence {
    /// Keys in insertion order.
    public private(set) var names: [String] = []
    private var arrays: [String: NamedArray] = [:]

    public init() {}

    /// A dict of `entries` in their order (later duplicates replace earlier values).
    public init(_ entries: [(String, NamedArray)]) {
        for (name, array) in entries { self[name] = array }
    }

    /// The array stored under `name`; assigning nil removes it.
    public subscript(name: String) -> NamedArray? {
        get { arrays[name] }
        set {
            if let newValue {
                if arrays.updateValue(newValue, forKey: name) == nil { names.append(name) }
            } else if arrays.removeValue(forKey: name) != nil {
                names.removeAll { $0 == name }
            }
        }
    }

    /// Number of entries.
    public var count: Int { names.count }

    public func makeIterator() -> some IteratorProtocol<(name: String, array: NamedArray)> {
        var index = 0
        let names = names, arrays = arrays
        return AnyIterator {
            guard index < names.count else { return nil }
            defer { index += 1 }
            return (names[index], arrays[names[index]]!)
        }
    }

    public static func == (lhs: StateDict, rhs: StateDict) -> Bool {
        lhs.names == rhs.names && lhs.arrays == rhs.arrays
    }
}
