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
public func globalMeanPool(_ x: Tensor) -> Tensor { globalTemporalPool(x, kinds: [.mean]) }
/// Maximum over time: `[N, C, L]` -> `[N, C]`.
public func globalMaxPool(_ x: Tensor) -> Tensor { globalTemporalPool(x, kinds: [.max]) }
/// Root mean square over time, `sqrt(mean_t x²)`: `[N, C, L]` -> `[N, C]`.
public func globalL2Pool(_ x: Tensor) -> Tensor { globalTemporalPool(x, kinds: [.l2]) }

/// The statistics `kinds` concatenated along channels: `[N, C, L]` -> `[N, C · kinds.count]`,
/// kind-major (`[mean of C channels, max of C, L2 of C]` for the default, as
/// `torch.cat([x.mean(2), x.amax(2), x.pow(2).mean(2).sqrt()], dim=1)`).
/// All statistics of a row come from one pass over it, in parallel over the N·C rows.
public func globalTemporalPool(_ x: Tensor, kinds: [GlobalPoolKind] = [.mean, .max, .l2]) -> Tensor {
    precondition(!kinds.isEmpty, "globalTemporalPool: no kinds")
    precondition(x.rank == 3 && x.shape[2] > 0, "global pooling: x must be [N, C, L] with L > 0, got \(x.shape)")
    let (n, c, l) = (x.shape[0], x.shape[1], x.shape[2])
    let rows = n * c, width = kinds.count * c
    let (wantMean, wantMax, wantL2) = (kinds.contains(.mean), kinds.contains(.max), kinds.contains(.l2))
    let record = Autograd.needsGrad(x)
    let grain = max(1, 16_384 / l)
    // Per row: the first maximum's index (for backward) and the root mean square.
    var argmax = [Int32](unsafeUninitializedCapacity: wantMax && record ? rows : 0) { $1 = $0.count }
    var rms = [Float](unsafeUninitializedCapacity: wantL2 && record ? rows : 0) { $1 = $0.count }
    // global_pool_forward: y[b, j·C + ch] = kinds[j] over t of x[b, ch, t]
    let y = makeBuffer(n * width) { out in
        x.data.withUnsafeBufferPointer { xp in
            argmax.withUnsafeMutableBufferPointer { ap in
                rms.withUnsafeMutableBufferPointer { rp in
                    let (xp, ap, rp) = (xp.baseAddress!, ap.isEmpty ? nil : ap.baseAddress, rp.isEmpty ? nil : rp.baseAddress)
                    Threads.parallelRanges(rows, grain: grain) { range in
                        for r in range {
                            let src = xp + r * l
                            let mean = wantMean ? sumFloats(src, l) / Float(l) : 0
                            var best = src[0], index = 0
                            if wantMax {
                                // Branch-free running maximum; the first index of a tie.
                                for t in 1 ..< l {
                                    let better = src[t] > best
                                    best = better ? src[t] : best
                                    index = better ? t : index
                                }
                            }
                            let l2 = wantL2 ? (sumOfSquares(src, l) / Float(l)).squareRoot() : 0
                            ap?[r] = Int32(index)
                            rp?[r] = l2
                            let (b, ch) = r.quotientAndRemainder(dividingBy: c)
                            for (j, kind) in kinds.enumerated() {
                                out[b * width + j * c + ch] = kind == .mean ? mean : kind == .max ? best : l2
                            }
                        }
                    }
                }
            }
        }
    }
    let result = Tensor(shape: [n, width], data: y)
    guard record else { return result }
    let xv = x.data
    result.record([x]) { dy in
        // global_pool_backward, per row (dmean, dmax, dl2 summed over the kinds' columns):
        //   dx[t] += dmean / L + dl2 · x[t] / (L · l2) (0 where l2 = 0) + (t == argmax ? dmax : 0)
        x.accumulateGrad { dx, overwrite in
            xv.withUnsafeBufferPointer { xp in
                dy.withUnsafeBufferPointer { dyp in
                    argmax.withUnsafeBufferPointer { ap in
                        rms.withUnsafeBufferPointer { rp in
                            let (xp, dyp) = (xp.baseAddress!, dyp.baseAddress!)
                            Threads.parallelRanges(rows, grain: grain) { range in
                                for r in range {
                                    let (b, ch) = r.quotientAndRemainder(dividingBy: c)
                                    var dMean: Float = 0, dMax: Float = 0, dL2: Float = 0
                                    for (j, kind) in kinds.enumerated() {
                                        let v = dyp[b * width + j * c + ch]
                                        switch kind {
                                        case .mean: dMean += v
                                        case .max: dMax += v
                                        case .l2: dL2 += v
                                        }
                                    }
                                    let constant = dMean / Float(l)
                                    let scale = wantL2 && rp[r] > 0 ? dL2 / (Float(l) * rp[r]) : 0
                                    let (dst, src) = (dx + r * l, xp + r * l)
                                    simdLoop(0 ..< l) { t in
                                        let v = scale * load16(src + t) + constant
                                        store16(overwrite ? v : load16(dst + t) + v, dst + t)
                                    } scalar: { t in
                                        let v = scale * src[t] + constant
                                        dst[t] = overwrite ? v : dst[t] + v
                                    }
                                    if wantMax { dst[Int(ap[r])] += dMax }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    return result
}

/// Σ p[i]² for i < n with 16 partial sums.
@inline(__always)
private func sumOfSquares(_ p: UnsafePointer<Float>, _ n: Int) -> Float {
    var acc = SIMD16<Float>(repeating: 0)
    var tail: Float = 0
    simdLoop(0 ..< n) { i in let v = load16(p + i); acc += v * v } scalar: { i in tail += p[i] * p[i] }
    return acc.sum() + tail
}
