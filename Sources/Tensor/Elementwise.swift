/// Elementwise arithmetic with NumPy/PyTorch broadcasting, and elementwise math.
///
/// Shapes broadcast right-aligned: each pair of dimensions must be equal or one of
/// them 1 (or missing). The gradient of a broadcast input is the output gradient
/// summed over the broadcast dimensions.

/// The broadcast of two shapes (NumPy rules); nil if they are incompatible.
public func broadcastShape(_ a: [Int], _ b: [Int]) -> [Int]? {
    let rank = max(a.count, b.count)
    var out = [Int](repeating: 1, count: rank)
    for i in 0 ..< rank {
        let da = i < rank - a.count ? 1 : a[i - (rank - a.count)]
        let db = i < rank - b.count ? 1 : b[i - (rank - b.count)]
        guard da == db || da == 1 || db == 1 else { return nil }
        out[i] = da == 1 ? db : da
    }
    return out
}

/// An iteration plan over a broadcast output: collapsed dimensions and, per operand,
/// the element stride of each dimension (0 where the operand is broadcast).
struct BroadcastPlan {
    var dims: [Int]
    var strides: [[Int]]

    init(out: [Int], operands: [[Int]]) {
        var dims: [Int] = []
        var strides: [[Int]] = Array(repeating: [], count: operands.count)
        // Row-major strides of each operand aligned to `out`, 0 on broadcast dims.
        let full: [[Int]] = operands.map { shape in
            var s = [Int](repeating: 0, count: out.count)
            var step = 1
            for i in stride(from: out.count - 1, through: 0, by: -1) {
                let j = i - (out.count - shape.count)
                if j >= 0 {
                    s[i] = shape[j] == 1 ? 0 : step
                    step *= shape[j]
                }
            }
            return s
        }
        for i in 0 ..< out.count where out[i] != 1 {
            // Merge with the previous kept dimension when every operand is contiguous across both.
            if let last = dims.indices.last,
               (0 ..< operands.count).allSatisfy({ strides[$0][last] == full[$0][i] * out[i] }) {
                dims[last] *= out[i]
                for k in 0 ..< operands.count { strides[k][last] = full[k][i] }
            } else {
                dims.append(out[i])
                for k in 0 ..< operands.count { strides[k].append(full[k][i]) }
            }
        }
        if dims.isEmpty { dims = [1]; for k in 0 ..< operands.count { strides[k] = [0] } }
        self.dims = dims
        self.strides = strides
    }

    /// Calls `body(outOffset, offsets of each operand)` at the start of every innermost
    /// row; the row has `dims.last` elements with operand strides `strides[k].last`.
    @inline(__always)
    func forEachRow(_ body: (_ out: Int, _ a: Int, _ b: Int) -> Void) {
        let n = dims[dims.count - 1]
        let outer = dims.count - 1
        let rows = product(dims.prefix(outer))
        let sa = strides[0], sb = strides.count > 1 ? strides[1] : sa
        var idx = [Int](repeating: 0, count: max(outer, 1))
        var ao = 0, bo = 0
        for row in 0 ..< rows {
            body(row * n, ao, bo)
            var d = outer - 1
            while d >= 0 {
                idx[d] += 1; ao += sa[d]; bo += sb[d]
                if idx[d] < dims[d] { break }
                ao -= sa[d] * dims[d]; bo -= sb[d] * dims[d]
                idx[d] = 0
                d -= 1
            }
        }
    }
}

/// Shared forward and backward of the four broadcasting binary ops.
@inline(__always)
private func binary(_ a: Tensor, _ b: Tensor, _ name: String,
                    _ f: (Float, Float) -> Float,
                    dA: @escaping (_ g: Float, _ a: Float, _ b: Float) -> Float,
                    dB: @escaping (_ g: Float, _ a: Float, _ b: Float) -> Float,
                    linear: Bool, identityB: Bool = false) -> Tensor {
    guard let shape = broadcastShape(a.shape, b.shape) else {
        preconditionFailure("\(name): shapes \(a.shape) and \(b.shape) do not broadcast")
    }
    let n = product(shape)
    let out: [Float]
    if a.shape == b.shape {
        out = makeBuffer(n) { o in
            a.data.withUnsafeBufferPointer { x in
                b.data.withUnsafeBufferPointer { y in
                    let (x, y) = (x.baseAddress!, y.baseAddress!)
                    Threads.parallelRanges(n) { r in for i in r { o[i] = f(x[i], y[i]) } }
                }
            }
        }
    } else {
        let plan = BroadcastPlan(out: shape, operands: [a.shape, b.shape])
        let inner = plan.dims.last!, ia = plan.strides[0].last!, ib = plan.strides[1].last!
        out = makeBuffer(n) { o in
            a.data.withUnsafeBufferPointer { x in
                b.data.withUnsafeBufferPointer { y in
                    let (x, y) = (x.baseAddress!, y.baseAddress!)
                    plan.forEachRow { oo, ao, bo in
                        for j in 0 ..< inner { o[oo + j] = f(x[ao + j * ia], y[bo + j * ib]) }
                    }
                }
            }
        }
    }
    let result = Tensor(shape: shape, data: out)
    guard Autograd.needsGrad(a, b) else { return result }
    let (av, bv) = (a.data, b.data)
    result.record([a, b]) { g in
        let plan = BroadcastPlan(out: shape, operands: [a.shape, b.shape])
        let inner = plan.dims.last!, ia = plan.strides[0].last!, ib = plan.strides[1].last!
        for (t, isA) in [(a, true), (b, false)] where t.requiresGrad {
            // Same shape and d/dx = ±g: pass g on without a loop when it is the identity.
            if t.shape == shape && linear && (isA || identityB) { t.accumulateGrad(g); continue }
            var part = [Float](repeating: 0, count: t.count)
            part.withUnsafeMutableBufferPointer { p in
                g.withUnsafeBufferPointer { g in
                    av.withUnsafeBufferPointer { x in
                        bv.withUnsafeBufferPointer { y in
                            let (p, g, x, y) = (p.baseAddress!, g.baseAddress!, x.baseAddress!, y.baseAddress!)
                            plan.forEachRow { oo, ao, bo in
                                if isA {
                                    for j in 0 ..< inner { p[ao + j * ia] += dA(g[oo + j], x[ao + j * ia], y[bo + j * ib]) }
                                } else {
                                    for j in 0 ..< inner { p[bo + j * ib] += dB(g[oo + j], x[ao + j * ia], y[bo + j * ib]) }
                                }
                            }
                        }
                    }
                }
            }
            t.accumulateGrad(part)
        }
    }
    return result
}

/// Elementwise `a + b` with broadcasting.
public func + (a: Tensor, b: Tensor) -> Tensor {
    binary(a, b, "+", { $0 + $1 }, dA: { g, _, _ in g }, dB: { g, _, _ in g }, linear: true, identityB: true)
}
/// Elementwise `a - b` with broadcasting.
public func - (a: Tensor, b: Tensor) -> Tensor {
    binary(a, b, "-", { $0 - $1 }, dA: { g, _, _ in g }, dB: { g, _, _ in -g }, linear: true)
}
/// Elementwise `a * b` with broadcasting.
public func * (a: Tensor, b: Tensor) -> Tensor {
    binary(a, b, "*", { $0 * $1 }, dA: { g, _, y in g * y }, dB: { g, x, _ in g * x }, linear: false)
}
/// Elementwise `a / b` with broadcasting.
public func / (a: Tensor, b: Tensor) -> Tensor {
    binary(a, b, "/", { $0 / $1 }, dA: { g, _, y in g / y }, dB: { g, x, y in -g * x / (y * y) }, linear: false)
}

/// Shared forward and backward of a differentiable elementwise function `y = f(x)`;
/// `derivative(x, y)` is dy/dx.
@inline(__always)
func unary(_ x: Tensor, _ f: (Float) -> Float, derivative: @escaping (_ x: Float, _ y: Float) -> Float) -> Tensor {
    let n = x.count
    let y = makeBuffer(n) { o in
        x.data.withUnsafeBufferPointer { xs in
            let xs = xs.baseAddress!
            Threads.parallelRanges(n) { r in for i in r { o[i] = f(xs[i]) } }
        }
    }
    let result = Tensor(shape: x.shape, data: y)
    guard Autograd.needsGrad(x) else { return result }
    let xv = x.data
    result.record([x]) { g in
        x.accumulateGrad { p, overwrite in
            g.withUnsafeBufferPointer { g in
                xv.withUnsafeBufferPointer { xs in
                    y.withUnsafeBufferPointer { ys in
                        let (g, xs, ys) = (g.baseAddress!, xs.baseAddress!, ys.baseAddress!)
                        Threads.parallelRanges(n) { r in
                            if overwrite {
                                for i in r { p[i] = g[i] * derivative(xs[i], ys[i]) }
                            } else {
                                for i in r { p[i] += g[i] * derivative(xs[i], ys[i]) }
                            }
                        }
                    }
                }
            }
        }
    }
    return result
}

/// `x + s`.
public func + (x: Tensor, s: Float) -> Tensor { unary(x, { $0 + s }, derivative: { _, _ in 1 }) }
/// `s + x`.
public func + (s: Float, x: Tensor) -> Tensor { x + s }
/// `x - s`.
public func - (x: Tensor, s: Float) -> Tensor { unary(x, { $0 - s }, derivative: { _, _ in 1 }) }
/// `s - x`.
public func - (s: Float, x: Tensor) -> Tensor { unary(x, { s - $0 }, derivative: { _, _ in -1 }) }
/// `x * s`.
public func * (x: Tensor, s: Float) -> Tensor { unary(x, { $0 * s }, derivative: { _, _ in s }) }
/// `s * x`.
public func * (s: Float, x: Tensor) -> Tensor { x * s }
/// `x / s`.
public func / (x: Tensor, s: Float) -> Tensor { x * (1 / s) }
/// `-x`.
public prefix func - (x: Tensor) -> Tensor { x * -1 }

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Tensor {
    /// Elementwise e^x.
    public func exp() -> Tensor { unary(self, { expf($0) }, derivative: { _, y in y }) }
    /// Elementwise natural logarithm.
    public func log() -> Tensor { unary(self, { logf($0) }, derivative: { x, _ in 1 / x }) }
    /// Elementwise square root.
    public func sqrt() -> Tensor { unary(self, { $0.squareRoot() }, derivative: { _, y in 0.5 / y }) }
    /// Elementwise x^2.
    public func squared() -> Tensor { unary(self, { $0 * $0 }, derivative: { x, _ in 2 * x }) }
    /// Elementwise x^p.
    public func pow(_ p: Float) -> Tensor {
        unary(self, { powf($0, p) }, derivative: { x, _ in p * powf(x, p - 1) })
    }
    /// Elementwise |x| (gradient 0 at 0, like PyTorch).
    public func abs() -> Tensor { unary(self, { Swift.abs($0) }, derivative: { x, _ in x > 0 ? 1 : (x < 0 ? -1 : 0) }) }
}
