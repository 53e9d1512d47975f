/// Loss functions: cross-entropy from logits and mean squared error.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Cross-entropy of `logits` against class indices, PyTorch's `F.cross_entropy` with
/// `reduction='mean'` (exact semantics, including the weighted mean):
///
///     logp = logSoftmax(logits), K classes, w = weight (or all ones), ε = labelSmoothing
///     W    = Σ_i w[y_i]                                   (N when unweighted)
///     loss = (1 - ε) · Σ_i -w[y_i] logp[i, y_i] / W  +  (ε / K) · Σ_i Σ_c -w[c] logp[i, c] / W
///
/// - logits: `[N, K]`
/// - targets: N class indices in `0 ..< K`
/// - weight: K per-class weights, or nil
/// - returns a 0-d tensor
public func crossEntropy(_ logits: Tensor, targets: [Int], weight: [Float]? = nil, labelSmoothing: Float = 0) -> Tensor {
    precondition(logits.rank == 2, "crossEntropy: logits must be [N, K], got \(logits.shape)")
    let (n, k) = (logits.shape[0], logits.shape[1])
    precondition(targets.count == n, "crossEntropy: \(targets.count) targets for \(n) rows")
    precondition(targets.allSatisfy { $0 >= 0 && $0 < k }, "crossEntropy: a target is outside 0..<\(k)")
    precondition(weight == nil || weight!.count == k, "crossEntropy: weight must have \(k) entries")
    precondition(labelSmoothing >= 0 && labelSmoothing <= 1, "crossEntropy: labelSmoothing must be in [0, 1]")
    let w = weight ?? [Float](repeating: 1, count: k)
    let eps = labelSmoothing
    // q[i, c] = (1 - ε) w[y_i] [c == y_i] + (ε / K) w[c]: loss = -Σ q · logp / W
    let logp = logSoftmaxRows(logits.data, n: n, k: k)
    var total: Double = 0, wsum: Double = 0
    for i in 0 ..< n {
        let y = targets[i]
        for c in 0 ..< k {
            let q = (c == y ? (1 - eps) * w[y] : 0) + eps / Float(k) * w[c]
            total -= Double(q * logp[i * k + c])
        }
        wsum += Double(w[y])
    }
    let result = Tensor(shape: [], data: [Float(total / wsum)])
    guard Autograd.needsGrad(logits) else { return result }
    let invW = Float(1 / wsum)
    result.record([logits]) { g in
        // d loss / d z[i, c] = (p[i, c] Σ_c' q[i, c'] - q[i, c]) / W
        var part = [Float](repeating: 0, count: n * k)
        for i in 0 ..< n {
            let y = targets[i]
            var qsum: Float = 0
            for c in 0 ..< k { qsum += (c == y ? (1 - eps) * w[y] : 0) + eps / Float(k) * w[c] }
            for c in 0 ..< k {
                let q = (c == y ? (1 - eps) * w[y] : 0) + eps / Float(k) * w[c]
                part[i * k + c] = g[0] * invW * (expf(logp[i * k + c]) * qsum - q)
            }
        }
        logits.accumulateGrad(part)
    }
    return result
}

/// Mean squared error `mean((a - b)^2)` over all elements (`F.mse_loss`); same shapes.
public func mseLoss(_ a: Tensor, _ b: Tensor) -> Tensor {
    precondition(a.shape == b.shape, "mseLoss: shapes differ: \(a.shape) and \(b.shape)")
    return (a - b).squared().mean()
}

/// Row-wise log-softmax of `z` `[n, k]`: `z[i, c] - (m_i + log Σ_c exp(z[i, c] - m_i))` with
/// `m_i` the row maximum (the shared first step of the cross-entropy losses).
func logSoftmaxRows(_ z: [Float], n: Int, k: Int) -> [Float] {
    var logp = [Float](repeating: 0, count: n * k)
    z.withUnsafeBufferPointer { z in
        for i in 0 ..< n {
            let row = z.baseAddress! + i * k
            var m = -Float.infinity
            for c in 0 ..< k { m = max(m, row[c]) }
            var s: Float = 0
            for c in 0 ..< k { s += expf(row[c] - m) }
            let lse = m + logf(s)
            for c in 0 ..< k { logp[i * k + c] = row[c] - lse }
        }
    }
    return logp
}
