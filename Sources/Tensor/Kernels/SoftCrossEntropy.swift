/// Cross-entropy against probability ("soft") targets, as used by mixup (Zhang et al. 2018).
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// PyTorch's `F.cross_entropy(logits, probs, label_smoothing=ε)` with `reduction='mean'`
/// and class-probability targets:
///
///     logp = logSoftmax(logits), K classes, q[i, c] = (1 - ε) t[i, c] + ε / K
///     loss = -(1 / N) Σ_i Σ_c q[i, c] logp[i, c]
///     d loss / d z[i, c] = (p[i, c] Σ_c' q[i, c'] - q[i, c]) / N
///
/// - logits: `[N, K]`
/// - targets: `N * K` row-major probabilities (rows usually sum to 1; not required)
/// - returns a 0-d tensor
public func softCrossEntropy(_ logits: Tensor, targets: [Float], labelSmoothing: Float = 0) -> Tensor {
    precondition(logits.rank == 2, "softCrossEntropy: logits must be [N, K], got \(logits.shape)")
    let (n, k) = (logits.shape[0], logits.shape[1])
    precondition(targets.count == n * k, "softCrossEntropy: \(targets.count) target values for [\(n), \(k)] logits")
    precondition(labelSmoothing >= 0 && labelSmoothing <= 1, "softCrossEntropy: labelSmoothing must be in [0, 1]")
    let eps = labelSmoothing
    let q = targets.map { (1 - eps) * $0 + eps / Float(k) }
    let logp = logSoftmaxRows(logits.data, n: n, k: k)
    var total: Double = 0
    for i in 0 ..< n * k { total -= Double(q[i] * logp[i]) }
    let result = Tensor(shape: [], data: [Float(total / Double(max(n, 1)))])
    guard Autograd.needsGrad(logits) else { return result }
    let invN = 1 / Float(max(n, 1))
    result.record([logits]) { g in
        var part = [Float](repeating: 0, count: n * k)
        for i in 0 ..< n {
            var qsum: Float = 0
            for c in 0 ..< k { qsum += q[i * k + c] }
            for c in 0 ..< k {
                part[i * k + c] = g[0] * invN * (expf(logp[i * k + c]) * qsum - q[i * k + c])
            }
        }
        logits.accumulateGrad(part)
    }
    return result
}
