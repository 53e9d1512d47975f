/// Binary cross-entropy on logits: one sigmoid per output, for multi-label tagging.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// PyTorch's `F.binary_cross_entropy_with_logits(logits, targets, pos_weight=w)` with
/// `reduction='mean'` (`torch.nn.BCEWithLogitsLoss`), in its numerically stable form:
///
///     l[i, c] = (1 - y) x + (1 + (w_c - 1) y) (log(1 + exp(-|x|)) + max(-x, 0))
///             = -[w_c y log σ(x) + (1 - y) log(1 - σ(x))]
///     loss    = (1 / (N K)) Σ l[i, c]
///     d loss / d x[i, c] = ((1 - y) - (1 + (w_c - 1) y) σ(-x)) / (N K)
///
/// - logits: `[N, K]`
/// - targets: `N * K` row-major values in [0, 1] (1 = the item has tag c; mixup makes them soft)
/// - posWeight: `K` weights of the positive term (nil: all 1)
/// - returns a 0-d tensor
public func binaryCrossEntropyWithLogits(_ logits: Tensor, targets: [Float], posWeight: [Float]? = nil) -> Tensor {
    precondition(logits.rank == 2, "binaryCrossEntropyWithLogits: logits must be [N, K], got \(logits.shape)")
    let (n, k) = (logits.shape[0], logits.shape[1])
    precondition(targets.count == n * k, "binaryCrossEntropyWithLogits: \(targets.count) target values for [\(n), \(k)] logits")
    precondition(posWeight == nil || posWeight!.count == k, "binaryCrossEntropyWithLogits: posWeight must have \(k) values")
    let x = logits.data
    var total: Double = 0
    var grad = [Float](repeating: 0, count: n * k)
    let invCount = 1 / Float(max(n * k, 1))
    for i in 0 ..< n {
        for c in 0 ..< k {
            let v = x[i * k + c], y = targets[i * k + c]
            let logWeight = 1 + ((posWeight?[c] ?? 1) - 1) * y
            let softplusNeg = log1pf(expf(-abs(v))) + max(-v, 0)   // log(1 + exp(-x)) = -log σ(x)
            total += Double((1 - y) * v + logWeight * softplusNeg)
            let sigmoidNeg = v >= 0 ? expf(-v) / (1 + expf(-v)) : 1 / (1 + expf(v))   // σ(-x)
            grad[i * k + c] = ((1 - y) - logWeight * sigmoidNeg) * invCount
        }
    }
    let result = Tensor(shape: [], data: [Float(total / Double(max(n * k, 1)))])
    guard Autograd.needsGrad(logits) else { return result }
    result.record([logits]) { g in
        logits.accumulateGrad(grad.map { $0 * g[0] })
    }
    return result
}
