/// Global temporal pooling (Dieleman 2014, "Recommending music on Spotify with deep
/// learning"): statistics of each channel over the whole time axis.
///
/// For x `[N, C, L]` and each (n, c):
/// - mean: `(1/L) Σ_t x[n, c, t]`
/// - max:  `max_t x[n, c, t]` (gradient to the first maximum)
/// - L2:   `sqrt((1/L) Σ_t x[n, c, t]²)` — the root mean square over time (the L2 norm
///   divided by √L), gradient `x / (L · l2)` (0 where l2 = 0)
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A statistic of `globalTemporalPool`.
public enum GlobalPoolKind: String, CaseIterable, Sendable {
    case mean, max, l2
}

/// Mean over time: `[N, C, L]` -> `[N, C]`.
public func globalMeanPool(_ x: Tensor) -> Tensor { globalPool(x, .mean) }
/// Maximum over time: `[N, C, L]` -> `[N, C]`.
public func globalMaxPool(_ x: Tensor) -> Tensor { globalPool(x, .max) }
/// Root mean square over time, `sqrt(mean_t x²)`: `[N, C, L]` -> `[N, C]`.
public func globalL2Pool(_ x: Tensor) -> Tensor { globalPool(x, .l2) }

/// The statistics `kinds` concatenated along channels: `[N, C, L]` -> `[N, C · kinds.count]`,
/// kind-major (`[mean of C channels, max of C, L2 of C]` for the default, as
/// `torch.cat([x.mean(2), x.amax(2), x.pow(2).mean(2).sqrt()], dim=1)`).
public func globalTemporalPool(_ x: Tensor, kinds: [GlobalPoolKind] = [.mean, .max, .l2]) -> Tensor {
    precondition(!kinds.isEmpty, "globalTemporalPool: no kinds")
    return concat(kinds.map { globalPool(x, $0) }, axis: 1)
}

/// global_pool_forward: y (N, C) = stat over L of x (N, C, L); backward: dx (N, C, L) from dy (N, C)
private func globalPool(_ x: Tensor, _ kind: GlobalPoolKind) -> Tensor {
    precondition(x.rank == 3 && x.shape[2] > 0, "global pooling: x must be [N, C, L] with L > 0, got \(x.shape)")
    let (rows, l) = (x.shape[0] * x.shape[1], x.shape[2])
    var argmax = [Int32](repeating: 0, count: kind == .max ? rows : 0)
    let y = makeBuffer(rows) { out in
        x.data.withUnsafeBufferPointer { xp in
            for r in 0 ..< rows {
                let src = xp.baseAddress! + r * l
                switch kind {
                case .mean:
                    var s: Float = 0
                    for t in 0 ..< l { s += src[t] }
                    out[r] = s / Float(l)
                case .max:
                    var best = src[0], index = 0
                    for t in 1 ..< l where src[t] > best { best = src[t]; index = t }
                    out[r] = best
                    argmax[r] = Int32(index)
                case .l2:
                    var s: Float = 0
                    for t in 0 ..< l { s += src[t] * src[t] }
                    out[r] = (s / Float(l)).squareRoot()
                }
            }
        }
    }
    let result = Tensor(shape: [x.shape[0], x.shape[1]], data: y)
    guard Autograd.needsGrad(x) else { return result }
    let xv = x.data
    result.record([x]) { dy in
        x.accumulateGrad { dx, overwrite in
            if overwrite { dx.initialize(repeating: 0, count: rows * l) }
            xv.withUnsafeBufferPointer { xp in
                for r in 0 ..< rows {
                    let dst = dx + r * l
                    switch kind {
                    case .mean:
                        let v = dy[r] / Float(l)
                        for t in 0 ..< l { dst[t] += v }
                    case .max:
                        dst[Int(argmax[r])] += dy[r]
                    case .l2:
                        guard y[r] > 0 else { continue }
                        let v = dy[r] / (Float(l) * y[r])
                        let src = xp.baseAddress! + r * l
                        for t in 0 ..< l { dst[t] += v * src[t] }
                    }
                }
            }
        }
    }
    return result
}
