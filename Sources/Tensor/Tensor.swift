/// A Float32 n-dimensional array with reverse-mode automatic differentiation.
///
/// Storage is one contiguous row-major `[Float]` (`data`) of `shape.product` elements;
/// a 0-d shape `[]` is a scalar with one element. Ops that involve a tensor with
/// `requiresGrad` (while `Autograd.isGradEnabled`) record a backward closure on their
/// result; `backward()` on a scalar walks that tape in reverse topological order and
/// accumulates `grad` into every tensor that requires it (micrograd's design, on arrays).
///
/// ```swift
/// var rng = SeededGenerator(seed: 0)
/// let w = Tensor.normal([3, 2], mean: 0, std: 1, using: &rng, requiresGrad: true)
/// let x = Tensor(shape: [4, 2], data: (0 ..< 8).map(Float.init))
/// let loss = relu(linear(x, weight: w)).sum()
/// loss.backward()            // w.grad now holds d loss / d w, shape [3, 2]
/// ```
public final class Tensor {
    /// The sizes of the dimensions, outermost first.
    public internal(set) var shape: [Int]
    /// The elements in row-major order; `data.count == count`.
    public var data: [Float]
    /// The gradient of the last `backward()` root with respect to this tensor, same
    /// layout as `data`; accumulated across calls until `zeroGrad()`; nil until then.
    public var grad: [Float]?
    /// Whether ops on this tensor are recorded for `backward()`.
    public var requiresGrad: Bool

    /// Tensors this one was computed from (empty for leaves and released nodes).
    var parents: [Tensor] = []
    /// Receives this tensor's gradient and adds the parents' contributions to their `grad`.
    var backwardFn: ((_ grad: [Float]) -> Void)?

    /// A tensor over `data` (row-major, `data.count` must equal the product of `shape`).
    public init(shape: [Int], data: [Float], requiresGrad: Bool = false) {
        precondition(shape.allSatisfy { $0 >= 0 }, "Tensor: negative dimension in \(shape)")
        precondition(data.count == shape.reduce(1, *), "Tensor: \(data.count) elements for shape \(shape)")
        self.shape = shape
        self.data = data
        self.requiresGrad = requiresGrad
        _ = Memory.configured
    }

    /// A 1-d tensor holding `values`.
    public convenience init(_ values: [Float], requiresGrad: Bool = false) {
        self.init(shape: [values.count], data: values, requiresGrad: requiresGrad)
    }

    /// A 0-d (scalar) tensor.
    public convenience init(scalar: Float, requiresGrad: Bool = false) {
        self.init(shape: [], data: [scalar], requiresGrad: requiresGrad)
    }

    /// Number of elements (the product of `shape`).
    public var count: Int { data.count }
    /// Number of dimensions.
    public var rank: Int { shape.count }
    /// The value of a one-element tensor.
    public var item: Float {
        precondition(data.count == 1, "item: tensor of shape \(shape) has \(data.count) elements")
        return data[0]
    }
    /// True for tensors not produced by a recorded op (their `grad` is kept after backward).
    public var isLeaf: Bool { backwardFn == nil }

    /// The same values without any graph (a copy-on-write share of `data`).
    public func detached() -> Tensor { Tensor(shape: shape, data: data) }

    /// Clears the accumulated gradient.
    public func zeroGrad() { grad = nil }

    // MARK: Creation

    /// All zeros.
    public static func zeros(_ shape: [Int], requiresGrad: Bool = false) -> Tensor {
        full(shape, 0, requiresGrad: requiresGrad)
    }

    /// All ones.
    public static func ones(_ shape: [Int], requiresGrad: Bool = false) -> Tensor {
        full(shape, 1, requiresGrad: requiresGrad)
    }

    /// Every element equal to `value`.
    public static func full(_ shape: [Int], _ value: Float, requiresGrad: Bool = false) -> Tensor {
        Tensor(shape: shape, data: [Float](repeating: value, count: shape.reduce(1, *)), requiresGrad: requiresGrad)
    }

    /// `[start, start + step, ...]` below `end` (numpy's / PyTorch's `arange`), 1-d.
    public static func arange(_ start: Float = 0, _ end: Float, step: Float = 1) -> Tensor {
        precondition(step != 0, "arange: step must not be 0")
        let n = Swift.max(0, Int(((end - start) / step).rounded(.up)))
        return Tensor((0 ..< n).map { start + Float($0) * step })
    }

    /// Uniform on `[low, high)` from `generator` (row-major draw order).
    public static func uniform(_ shape: [Int], low: Float, high: Float, using generator: inout SeededGenerator,
                               requiresGrad: Bool = false) -> Tensor {
        let n = shape.reduce(1, *)
        var values = [Float](repeating: 0, count: n)
        for i in 0 ..< n { values[i] = low + (high - low) * generator.nextUniform() }
        return Tensor(shape: shape, data: values, requiresGrad: requiresGrad)
    }

    /// Normal with `mean` and standard deviation `std` from `generator` (row-major draw order).
    public static func normal(_ shape: [Int], mean: Float, std: Float, using generator: inout SeededGenerator,
                              requiresGrad: Bool = false) -> Tensor {
        let n = shape.reduce(1, *)
        var values = [Float](repeating: 0, count: n)
        for i in 0 ..< n { values[i] = mean + std * generator.nextNormal() }
        return Tensor(shape: shape, data: values, requiresGrad: requiresGrad)
    }
}

extension Tensor: CustomStringConvertible {
    public var description: String {
        let shown = data.prefix(8).map { String($0) }.joined(separator: ", ")
        return "Tensor(shape: \(shape), data: [\(shown)\(data.count > 8 ? ", ..." : "")]\(requiresGrad ? ", requiresGrad" : ""))"
    }
}

/// An uninitialised `[Float]` of `count` elements filled by `body` (which must write all of them).
@inline(__always)
func makeBuffer(_ count: Int, _ body: (UnsafeMutablePointer<Float>) -> Void) -> [Float] {
    [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
        if count > 0 { body(buffer.baseAddress!) }
        initialized = count
    }
}

/// Product of the dimensions.
@inline(__always)
func product(_ dims: some Sequence<Int>) -> Int { dims.reduce(1, *) }
