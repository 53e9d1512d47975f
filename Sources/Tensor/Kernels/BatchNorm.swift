/// Batch normalisation (Ioffe and Szegedy 2015), PyTorch's `F.batch_norm`.
///
/// For x `[N, C]`, `[N, C, L]` or `[N, C, H, W]`, per channel c over the M = N·L (N·H·W) values:
///
///     training: μ = mean, σ² = biased variance of the batch;
///               running_mean = (1 - momentum)·running_mean + momentum·μ
///               running_var  = (1 - momentum)·running_var  + momentum·σ²·M/(M - 1)   (unbiased)
///     eval:     μ, σ² = running_mean, running_var
///     y = (x - μ) / sqrt(σ² + eps) · weight + bias
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Batch normalisation; `runningMean` / `runningVar` (`[C]`) are updated in place in
/// training (pass nil for batch statistics only). weight (γ) and bias (β) are `[C]` or nil.
public func batchNorm(_ x: Tensor, weight: Tensor?, bias: Tensor?, runningMean: Tensor?, runningVar: Tensor?,
                      training: Bool, momentum: Float = 0.1, eps: Float = 1e-5) -> Tensor {
    precondition(x.rank >= 2, "batchNorm: x must be [N, C, ...], got \(x.shape)")
    let (n, c) = (x.shape[0], x.shape[1])
    let inner = product(x.shape[2...])
    let m = n * inner
    for t in [weight, bias, runningMean, runningVar] {
        precondition(t == nil || t!.shape == [c], "batchNorm: per-channel tensors must be [\(c)]")
    }
    let useBatch = training || runningMean == nil || runningVar == nil
    precondition(!useBatch || m > 1 || !training, "batchNorm: training needs more than one value per channel, got \(x.shape)")
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
                            if useBatch {
                                for s in 0 ..< n { let row = xp + (s * c + ch) * inner; for i in 0 ..< inner { mu += Double(row[i]) } }
                                mu /= Double(m)
                                for s in 0 ..< n {
                                    let row = xp + (s * c + ch) * inner
                                    for i in 0 ..< inner { let d = Double(row[i]) - mu; v += d * d }
                                }
                                v /= Double(m)
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
    if useBatch, training, let rm = runningMean, let rv = runningVar {
        for ch in 0 ..< c {
            rm.data[ch] = (1 - momentum) * rm.data[ch] + momentum * mean[ch]
            rv.data[ch] = (1 - momentum) * rv.data[ch] + momentum * Float(batchVar[ch] * Double(m) / Double(max(m - 1, 1)))
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
        x.accumulateGrad { dx, overwrite in
            dy.withUnsafeBufferPointer { dyp in
                xv.withUnsafeBufferPointer { xp in
                    let (dyp, xp) = (dyp.baseAddress!, xp.baseAddress!)
                    Threads.parallelRanges(n * c, grain: rowGrain) { rows in
                        for r in rows {
                            let ch = r % c, o = r * inner
                            let k = (gamma?[ch] ?? 1) * invStd[ch]
                            let (mu, inv, sd, sx, fm) = (mean[ch], invStd[ch], sumDy[ch], sumDyXhat[ch], Float(m))
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
