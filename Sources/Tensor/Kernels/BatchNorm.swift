/// Batch normalisation (Ioffe and Szegedy 2015), PyTorch's `F.batch_norm`.
///
/// For x `[N, C]`, `[N, C, L]` or `[N, C, H, W]`, per channel c over the M = N·L (N·H·W) values:
///
///     training: μ = mean, σ² = biased variance of the batch;
///               running_mean = (1 - momentum)·running_mean + momentum·μ
///               running_var  = (1 - momentum)·running_var  + momentum·σ²·M/(M - 1)   (unbiased)
///     eval:     μ, σ² = running_mean, running_var
///     y = (x - μ) / sqrt(σ² + eps) · weight + bias
///
/// With a `reducer` (synchronised batch norm, PyTorch's `SyncBatchNorm`), the batch is spread
/// over several replicas: M, the per-channel sums behind μ and σ² and, in the backward pass,
/// Σ dy and Σ dy·x̂ are summed over the replicas, so every replica normalises with the
/// statistics of the whole batch and computes its inputs' gradients as one process would
/// (given that every replica's loss gradient carries the same scale).
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Batch normalisation; `runningMean` / `runningVar` (`[C]`) are updated in place in
/// training (pass nil for batch statistics only). weight (γ) and bias (β) are `[C]` or nil.
public func batchNorm(_ x: Tensor, weight: Tensor?, bias: Tensor?, runningMean: Tensor?, runningVar: Tensor?,
                      training: Bool, momentum: Float = 0.1, eps: Float = 1e-5,
                      reducer: BatchStatisticsReducer? = nil) -> Tensor {
    precondition(x.rank >= 2, "batchNorm: x must be [N, C, ...], got \(x.shape)")
    let (n, c) = (x.shape[0], x.shape[1])
    let inner = product(x.shape[2...])
    let m = n * inner
    for t in [weight, bias, runningMean, runningVar] {
        precondition(t == nil || t!.shape == [c], "batchNorm: per-channel tensors must be [\(c)]")
    }
    let useBatch = training || runningMean == nil || runningVar == nil
    let reducer = useBatch ? reducer : nil
    // The values per channel over the whole batch (every replica's, with a reducer).
    var total = [Double(m)]
    reducer?.sum(&total)
    let mTotal = Int(total[0].rounded())
    precondition(!useBatch || mTotal > 1 || !training, "batchNorm: training needs more than one value per channel, got \(x.shape)")
    // Channels run in parallel; within a channel every sum keeps the serial order (samples,
    // then positions), so the results do not depend on the thread count.
    var mean = [Float](repeating: 0, count: c), invStd = [Float](repeating: 0, count: c)
    var batchVar = [Double](repeating: 0, count: c)
    let channelGrain = max(1, (1 << 16) / max(1, m))
    x.data.withUnsafeBufferPointer { xp in
        mean.withUnsafeMutableBufferPointer { meanp in
            invStd.withUnsafeMutableBufferPointer { invp in
                batchVar.withUnsafeMutableBufferPointer { varp in
                    let (xp, meanp, invp, varp) = (xp.baseAddress!, meanp.baseAddress!, invp.baseAddress!, varp.baseAddress!)
                    let (rm, rv) = (runningMean?.data, runningVar?.data)
                    Threads.parallelRanges(c, grain: channelGrain) { channels in
                        for ch in channels {
                            var mu: Double = 0, v: Double = 0
                            if useBatch, reducer == nil {
                                for s in 0 ..< n { let row = xp + (s * c + ch) * inner; for i in 0 ..< inner { mu += Double(row[i]) } }
                                mu /= Double(m)
                                for s in 0 ..< n {
                                    let row = xp + (s * c + ch) * inner
                                    for i in 0 ..< inner { let d = Double(row[i]) - mu; v += d * d }
                                }
                                v /= Double(m)
                            } else if useBatch {
                                continue   // with a reducer: below, in two summed passes
                            } else {
                                mu = Double(rm![ch]); v = Double(rv![ch])
                            }
                            meanp[ch] = Float(mu)
                            varp[ch] = v
                            invp[ch] = Float(1 / (v + Double(eps)).squareRoot())
                        }
                    }
                }
            }
        }
    }
    if let reducer {
        // Two passes as above, each channel's partial sum summed over the replicas.
        var sums = [Double](repeating: 0, count: c)
        channelSums(x, n: n, c: c, inner: inner, into: &sums) { v, _ in Double(v) }
        reducer.sum(&sums)
        let mu = sums.map { $0 / Double(mTotal) }
        sums = [Double](repeating: 0, count: c)
        channelSums(x, n: n, c: c, inner: inner, into: &sums) { v, ch in let d = Double(v) - mu[ch]; return d * d }
        reducer.sum(&sums)
        for ch in 0 ..< c {
            let v = sums[ch] / Double(mTotal)
            mean[ch] = Float(mu[ch])
            batchVar[ch] = v
            invStd[ch] = Float(1 / (v + Double(eps)).squareRoot())
        }
    }
    if useBatch, training, let rm = runningMean, let rv = runningVar {
        for ch in 0 ..< c {
            rm.data[ch] = (1 - momentum) * rm.data[ch] + momentum * mean[ch]
            rv.data[ch] = (1 - momentum) * rv.data[ch] + momentum * Float(batchVar[ch] * Double(mTotal) / Double(max(mTotal - 1, 1)))
        }
    }
    let gamma = weight?.data, beta = bias?.data
    let rowGrain = max(1, (1 << 16) / max(1, inner))
    // batchnorm_forward: y = (x - μ_c)·invstd_c·γ_c + β_c, rows (sample, channel) in parallel
    let y = makeBuffer(x.count) { out in
        x.data.withUnsafeBufferPointer { xp in
            let xp = xp.baseAddress!
            Threads.parallelRanges(n * c, grain: rowGrain) { rows in
                for r in rows {
                    let ch = r % c
                    let a = invStd[ch] * (gamma?[ch] ?? 1), b = (beta?[ch] ?? 0) - mean[ch] * a
                    let (src, dst) = (xp + r * inner, out + r * inner)
                    for i in 0 ..< inner { dst[i] = src[i] * a + b }
                }
            }
        }
    }
    let result = Tensor(shape: x.shape, data: y)
    guard Autograd.needsGrad(x, weight, bias) else { return result }
    let xv = x.data
    result.record([x] + [weight, bias].compactMap { $0 }) { dy in
        // batchnorm_backward per channel, x̂ = (x - μ)·invstd:
        //   dβ += Σ dy;  dγ += Σ dy·x̂
        //   batch stats: dx += γ·invstd/M · (M·dy - Σ dy - x̂ Σ dy·x̂);  running stats: dx += γ·invstd·dy
        var sumDy = [Float](repeating: 0, count: c), sumDyXhat = [Float](repeating: 0, count: c)
        dy.withUnsafeBufferPointer { dyp in
            xv.withUnsafeBufferPointer { xp in
                sumDy.withUnsafeMutableBufferPointer { sdp in
                    sumDyXhat.withUnsafeMutableBufferPointer { sxp in
                        let (dyp, xp, sdp, sxp) = (dyp.baseAddress!, xp.baseAddress!, sdp.baseAddress!, sxp.baseAddress!)
                        Threads.parallelRanges(c, grain: channelGrain) { channels in
                            for ch in channels {
                                let (mu, inv) = (mean[ch], invStd[ch])
                                for s in 0 ..< n {
                                    let o = (s * c + ch) * inner
                                    var a: Float = 0, b: Float = 0
                                    for i in 0 ..< inner { a += dyp[o + i]; b += dyp[o + i] * (xp[o + i] - mu) * inv }
                                    sdp[ch] += a; sxp[ch] += b
                                }
                            }
                        }
                    }
                }
            }
        }
        if let bias, bias.requiresGrad { bias.accumulateGrad(sumDy) }
        if let weight, weight.requiresGrad { weight.accumulateGrad(sumDyXhat) }
        guard x.requiresGrad else { return }
        if let reducer {   // the input gradient needs the sums over the whole batch
            var both = sumDy.map(Double.init) + sumDyXhat.map(Double.init)
            reducer.sum(&both)
            for ch in 0 ..< c { sumDy[ch] = Float(both[ch]); sumDyXhat[ch] = Float(both[c + ch]) }
        }
        x.accumulateGrad { dx, overwrite in
            dy.withUnsafeBufferPointer { dyp in
                xv.withUnsafeBufferPointer { xp in
                    let (dyp, xp) = (dyp.baseAddress!, xp.baseAddress!)
                    Threads.parallelRanges(n * c, grain: rowGrain) { rows in
                        for r in rows {
                            let ch = r % c, o = r * inner
                            let k = (gamma?[ch] ?? 1) * invStd[ch]
                            let (mu, inv, sd, sx, fm) = (mean[ch], invStd[ch], sumDy[ch], sumDyXhat[ch], Float(mTotal))
                            for i in 0 ..< inner {
                                var v = k * dyp[o + i]
                                if useBatch {
                                    let xhat = (xp[o + i] - mu) * inv
                                    v = k / fm * (fm * dyp[o + i] - sd - xhat * sx)
                                }
                                dx[o + i] = overwrite ? v : dx[o + i] + v
                            }
                        }
                    }
                }
            }
        }
    }
    return result
}

/// Sums per-channel statistics over the replicas of a synchronised batch norm (one process
/// per share of the batch); `batchNorm(reducer:)` calls it on the calling thread, in the same
/// order on every replica.
public protocol BatchStatisticsReducer: AnyObject {
    /// Replaces `values` by their element-wise sum over all replicas.
    func sum(_ values: inout [Double])
}

/// `sums[ch] += term(x, ch)` over every value of channel ch, channels in parallel, each in the
/// serial order (samples, then positions).
private func channelSums(_ x: Tensor, n: Int, c: Int, inner: Int, into sums: inout [Double],
                         _ term: @escaping (Float, Int) -> Double) {
    x.data.withUnsafeBufferPointer { xp in
        sums.withUnsafeMutableBufferPointer { sp in
            let (xp, sp) = (xp.baseAddress!, sp.baseAddress!)
            Threads.parallelRanges(c, grain: max(1, (1 << 16) / max(1, n * inner))) { channels in
                for ch in channels {
                    var acc: Double = 0
                    for s in 0 ..< n { let row = xp + (s * c + ch) * inner; for i in 0 ..< inner { acc += term(row[i], ch) } }
                    sp[ch] += acc
                }
            }
        }
    }
}
