/// Activation functions, elementwise and along an axis (softmax, log-softmax).
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// ReLU: `max(x, 0)`; gradient 0 for x <= 0 (as PyTorch). Any shape.
public func relu(_ x: Tensor) -> Tensor {
    let n = x.count
    // relu_forward: y = max(x, 0)
    let y = makeBuffer(n) { o in
        x.data.withUnsafeBufferPointer { xp in
            let xp = xp.baseAddress!
            Threads.parallelRanges(n) { r in
                simdLoop(r) { i in
                    let v = load16(xp + i)
                    store16(v.replacing(with: 0, where: v .< 0), o + i)
                } scalar: { i in o[i] = xp[i] > 0 ? xp[i] : 0 }
            }
        }
    }
    let result = Tensor(shape: x.shape, data: y)
    guard Autograd.needsGrad(x) else { return result }
    result.record([x]) { g in
        // relu_backward: dx += dy * (y > 0)
        x.accumulateGrad { gx, overwrite in
            g.withUnsafeBufferPointer { gp in
                y.withUnsafeBufferPointer { yp in
                    let (gp, yp) = (gp.baseAddress!, yp.baseAddress!)
                    Threads.parallelRanges(n) { r in
                        simdLoop(r) { i in
                            let masked = load16(gp + i).replacing(with: 0, where: load16(yp + i) .<= 0)
                            store16(overwrite ? masked : load16(gx + i) + masked, gx + i)
                        } scalar: { i in
                            let v = yp[i] > 0 ? gp[i] : 0
                            gx[i] = overwrite ? v : gx[i] + v
                        }
                    }
                }
            }
        }
    }
    return result
}

/// Leaky ReLU: `x` for x > 0, else `slope * x` (PyTorch default slope 0.01).
public func leakyRelu(_ x: Tensor, slope: Float = 0.01) -> Tensor {
    unary(x, { $0 > 0 ? $0 : slope * $0 }, derivative: { x, _ in x > 0 ? 1 : slope })
}

/// ELU: `x` for x > 0, else `alpha * (e^x - 1)` (Clevert et al. 2015; PyTorch default alpha 1).
public func elu(_ x: Tensor, alpha: Float = 1) -> Tensor {
    unary(x, { $0 > 0 ? $0 : alpha * (expf($0) - 1) }, derivative: { x, y in x > 0 ? 1 : y + alpha })
}

/// Logistic sigmoid `1 / (1 + e^-x)`.
public func sigmoid(_ x: Tensor) -> Tensor {
    unary(x, { v in v >= 0 ? 1 / (1 + expf(-v)) : expf(v) / (1 + expf(v)) }, derivative: { _, y in y * (1 - y) })
}

/// Hyperbolic tangent.
public func tanh(_ x: Tensor) -> Tensor {
    unary(x, { tanhf($0) }, derivative: { _, y in 1 - y * y })
}

/// Softmax along `axis`: `e^x / Σ e^x` (max-subtracted for stability).
public func softmax(_ x: Tensor, axis: Int = -1) -> Tensor {
    softmaxFamily(x, axis: axis, log: false)
}

/// Log-softmax along `axis`: `x - log Σ e^x`.
public func logSoftmax(_ x: Tensor, axis: Int = -1) -> Tensor {
    softmaxFamily(x, axis: axis, log: true)
}

/// Shared kernels of softmax and log-softmax; x viewed as (outer, n, inner), reduced over n.
private func softmaxFamily(_ x: Tensor, axis: Int, log: Bool) -> Tensor {
    let axis = x.normalizedAxis(axis, log ? "logSoftmax" : "softmax")
    let (outer, n, inner, _) = x.reductionGeometry(axis, keepDims: true)
    // softmax_forward: y[o, :, i] = e^(x - max) / Σ e^(x - max)   (log: x - max - log Σ)
    let y = makeBuffer(x.count) { y in
        x.data.withUnsafeBufferPointer { xp in
            let xp = xp.baseAddress!
            Threads.parallelFor(outer) { a in
                for i in 0 ..< inner {
                    let base = a * n * inner + i
                    var m = -Float.infinity
                    for k in 0 ..< n { m = max(m, xp[base + k * inner]) }
                    var s: Float = 0
                    for k in 0 ..< n {
                        let e = expf(xp[base + k * inner] - m)
                        y[base + k * inner] = e
                        s += e
                    }
                    if log {
                        let lse = m + logf(s)
                        for k in 0 ..< n { y[base + k * inner] = xp[base + k * inner] - lse }
                    } else {
                        let r = 1 / s
                        for k in 0 ..< n { y[base + k * inner] *= r }
                    }
                }
            }
        }
    }
    let result = Tensor(shape: x.shape, data: y)
    guard Autograd.needsGrad(x) else { return result }
    result.record([x]) { g in
        // softmax_backward:    dx = y * (dy - Σ dy * y)
        // logSoftmax_backward: dx = dy - e^y * Σ dy
        var part = [Float](repeating: 0, count: x.count)
        for a in 0 ..< outer {
            for i in 0 ..< inner {
                let base = a * n * inner + i
                var s: Float = 0
                for k in 0 ..< n { s += log ? g[base + k * inner] : g[base + k * inner] * y[base + k * inner] }
                for k in 0 ..< n {
                    let j = base + k * inner
                    part[j] = log ? g[j] - expf(y[j]) * s : y[j] * (g[j] - s)
                }
            }
        }
        x.accumulateGrad(part)
    }
    return result
}
