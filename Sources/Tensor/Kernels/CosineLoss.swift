/// Cosine distance between predicted and target vectors, for regressing latent factors.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// PyTorch's `1 - F.cosine_similarity(x, y, dim=1, eps=1e-8).mean()`:
///
///     c_i  = x_i . y_i / (max(|x_i|, eps) max(|y_i|, eps))
///     loss = (1 / N) Σ_i (1 - c_i)
///     d loss / d x_i = -(1 / N) (y_i / (max(|x_i|, eps) max(|y_i|, eps)) - c_i x_i / |x_i|^2)
///                    (the second term only where |x_i| > eps)
///
/// - predictions: `[N, K]`
/// - targets: `N * K` row-major values
/// - returns a 0-d tensor
public func cosineDistanceLoss(_ predictions: Tensor, targets: [Float], eps: Float = 1e-8) -> Tensor {
    precondition(predictions.rank == 2, "cosineDistanceLoss: predictions must be [N, K], got \(predictions.shape)")
    let (n, k) = (predictions.shape[0], predictions.shape[1])
    precondition(targets.count == n * k, "cosineDistanceLoss: \(targets.count) target values for [\(n), \(k)] predictions")
    let x = predictions.data
    var total: Double = 0
    var grad = [Float](repeating: 0, count: n * k)
    let invN = 1 / Float(max(n, 1))
    x.withUnsafeBufferPointer { x in
        targets.withUnsafeBufferPointer { y in
            for i in 0 ..< n {
                var dot: Double = 0, xx: Double = 0, yy: Double = 0
                for c in 0 ..< k {
                    let a = Double(x[i * k + c]), b = Double(y[i * k + c])
                    dot += a * b; xx += a * a; yy += b * b
                }
                let nx = max(xx.squareRoot(), Double(eps)), ny = max(yy.squareRoot(), Double(eps))
                let cos = dot / (nx * ny)
                total += 1 - cos
                let selfTerm = xx.squareRoot() > Double(eps) ? cos / xx : 0
                for c in 0 ..< k {
                    let g = Double(y[i * k + c]) / (nx * ny) - selfTerm * Double(x[i * k + c])
                    grad[i * k + c] = -Float(g) * invN
                }
            }
        }
    }
    let result = Tensor(shape: [], data: [Float(total / Double(max(n, 1)))])
    guard Autograd.needsGrad(predictions) else { return result }
    result.record([predictions]) { g in
        predictions.accumulateGrad(grad.map { $0 * g[0] })
    }
    return result
}
