import Tensor

/// Scales the gradients of `parameters` in place so that their total 2-norm (the norm
/// of all gradients viewed as one vector) is at most `maxNorm`, PyTorch's
/// `clip_grad_norm_`: every gradient is multiplied by min(1, maxNorm / (total + 1e-6)).
/// Parameters without a gradient are ignored. Returns the total norm before clipping.
@discardableResult
public func clipGradNorm(_ parameters: [Tensor], maxNorm: Float) -> Float {
    var sumSquares = 0.0
    for p in parameters {
        guard let g = p.grad else { continue }
        var s = 0.0
        for x in g { s += Double(x) * Double(x) }
        sumSquares += s
    }
    let total = Float(sumSquares.squareRoot())
    let coefficient = min(1, maxNorm / (total + 1e-6))
    if coefficient < 1 {
        for p in parameters where p.grad != nil {
            p.grad!.withUnsafeMutableBufferPointer { g in for j in 0 ..< g.count { g[j] *= coefficient } }
        }
    }
    return total
}
