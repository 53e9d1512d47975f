/// Dropout (Srivastava et al. 2014), inverted scaling as PyTorch's `F.dropout`.
///
/// In training each element is zeroed with probability `p` (one uniform draw per element
/// from `generator`, row-major; dropped when the draw is below `p`) and the kept ones are
/// scaled by `1 / (1 - p)`, so evaluation is the identity. x: any shape -> same shape.
public func dropout(_ x: Tensor, p: Float, training: Bool, using generator: inout SeededGenerator) -> Tensor {
    precondition(p >= 0 && p <= 1, "dropout: p must be in [0, 1], got \(p)")
    guard training && p > 0 else { return x }
    let n = x.count
    let scale: Float = p < 1 ? 1 / (1 - p) : 0
    var mask = [Float](repeating: 0, count: n)
    for i in 0 ..< n where generator.nextUniform() >= p { mask[i] = scale }
    let y = makeBuffer(n) { o in
        x.data.withUnsafeBufferPointer { xp in for i in 0 ..< n { o[i] = xp[i] * mask[i] } }
    }
    let result = Tensor(shape: x.shape, data: y)
    guard Autograd.needsGrad(x) else { return result }
    result.record([x]) { dy in
        // dropout_backward: dx += dy * mask
        x.accumulateGrad { dx, overwrite in
            for i in 0 ..< n { dx[i] = (overwrite ? 0 : dx[i]) + dy[i] * mask[i] }
        }
    }
    return result
}
