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
    var mean = [Float](repeating: 0, count: c), invStd = [Float](repeating: 0, count: c)
    x.data.withUnsafeBufferPointer { xp in
        for ch in 0 ..< c {
            var mu: Double = 0, v: Double = 0
            if useBatch {
                for s in 0 ..< n { let row = xp.baseAddress! + (s * c + ch) * inner; for i in 0 ..< inner { mu += Double(row[i]) } }
                mu /= Double(m)
                for s in 0 ..< n {
                    let row = xp.baseAddress! + (s * c + ch) * inner
                    for i in 0 ..< inner { let d = Double(row[i]) - mu; v += d * d }
                }
                v /= Double(m)
                if training, let rm = runningMean, let rv = runningVar {
                    rm.data[ch] = (1 - momentum) * rm.data[ch] + momentum * Float(mu)
                    rv.data[ch] = (1 - momentum) * rv.data[ch] + momentum * Float(v * Double(m) / Double(max(m - 1, 1)))
                }
            } else {
                mu = Double(runningMean!.data[ch]); v = Double(runningVar!.data[ch])
            }
            mean[ch] = Float(mu)
            invStd[ch] = Float(1 / (v + Double(eps)).squareRoot())
        }
    }
    let gamma = weight?.data, beta = bias?.data
    // batchnorm_forward: y = (x - μ_c)·invstd_c·γ_c + β_c
    let y = makeBuffer(x.count) { out in
        x.data.withUnsafeBufferPointer { xp in
            for s in 0 ..< n {
                for ch in 0 ..< c {
                    let a = invStd[ch] * (gamma?[ch] ?? 1), b = (beta?[ch] ?? 0) - mean[ch] * a
                    let o = (s * c + ch) * inner
                    for i in 0 ..< inner { out[o + i] = xp[o + i] * a + b }
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
        for s in 0 ..< n {
            for ch in 0 ..< c {
                let o = (s * c + ch) * inner
                var a: Float = 0, b: Float = 0
                for i in 0 ..< inner { a += dy[o + i]; b += dy[o + i] * (xv[o + i] - mean[ch]) * invStd[ch] }
                sumDy[ch] += a; sumDyXhat[ch] += b
            }
        }
        if let bias, bias.requiresGrad { bias.accumulateGrad(sumDy) }
        if let weight, weight.requiresGrad { weight.accumulateGrad(sumDyXhat) }
        guard x.requiresGrad else { return }
        x.accumulateGrad { dx, overwrite in
            for s in 0 ..< n {
                for ch in 0 ..< c {
                    let k = (gamma?[ch] ?? 1) * invStd[ch]
                    let o = (s * c + ch) * inner
                    for i in 0 ..< inner {
                        var v = k * dy[o + i]
                        if useBatch {
                            let xhat = (xv[o + i] - mean[ch]) * invStd[ch]
                            v = k / Float(m) * (Float(m) * dy[o + i] - sumDy[ch] - xhat * sumDyXhat[ch])
                        }
                        dx[o + i] = overwrite ? v : dx[o + i] + v
                    }
                }
            }
        }
    }
    return result
}
