/// In-place parameter updates of the optimisers (the element loops of NN's `SGD` and
/// `Adam`), vectorised and spread over `Threads.count`. Each element gets exactly the
/// scalar formula below, in the same operation order, so the result does not depend on
/// the vector width or the thread count.
public enum ParameterUpdate {
    /// `torch.optim.SGD` (`_single_tensor_sgd`) on `count` elements:
    ///
    ///     d = g + weightDecay * w                          (when weightDecay != 0)
    ///     b = first ? d : momentum * b + dampeningKeep * d (when momentum != 0; b = momentum buffer)
    ///     d = nesterov ? d + momentum * b : b              (when momentum != 0)
    ///     w = w - lr * d
    ///
    /// `buffer` must be non-nil when `momentum != 0` (uninitialised is fine when `first`).
    public static func sgd(weights w: UnsafeMutablePointer<Float>, grad g: UnsafePointer<Float>,
                           buffer b: UnsafeMutablePointer<Float>?, count: Int, lr: Float, weightDecay wd: Float,
                           momentum mu: Float, dampeningKeep keep: Float, nesterov: Bool, first: Bool) {
        precondition(mu == 0 || b != nil, "ParameterUpdate.sgd: momentum needs a buffer")
        let negLR = -lr
        Threads.parallelRanges(count, grain: 1 << 15) { r in
            @inline(__always) func scalar(_ j: Int) {
                var d = g[j]
                if wd != 0 { d += wd * w[j] }
                if mu != 0 {
                    let bj = first ? d : b![j] * mu + keep * d
                    b![j] = bj
                    d = nesterov ? d + mu * bj : bj
                }
                w[j] += negLR * d
            }
            simdLoop(r) { j in
                var d = load16(g + j)
                let wj = load16(w + j)
                if wd != 0 { d += wd * wj }
                if mu != 0 {
                    let bj = first ? d : load16(b! + j) * mu + keep * d
                    store16(bj, b! + j)
                    d = nesterov ? d + mu * bj : bj
                }
                store16(wj + negLR * d, w + j)
            } scalar: { j in scalar(j) }
        }
    }

    /// `torch.optim.Adam` (`_single_tensor_adam`) after weight decay, on `count` elements:
    ///
    ///     m = lerp(m, g, w1)   (torch.lerp: m + w1 (g - m) for w1 < 0.5, else g - (g - m)(1 - w1))
    ///     v = beta2 * v + w2 * g * g
    ///     w = w - stepSize * m / (sqrt(v) / bc2Sqrt + eps)
    public static func adam(weights w: UnsafeMutablePointer<Float>, grad g: UnsafePointer<Float>,
                            expAvg m: UnsafeMutablePointer<Float>, expAvgSq v: UnsafeMutablePointer<Float>,
                            count: Int, w1: Float, beta2 b2: Float, w2: Float, stepSize: Float,
                            bc2Sqrt bc2: Float, eps e: Float) {
        let negStep = -stepSize, lowW1 = w1 < 0.5, oneMinusW1 = 1 - w1
        Threads.parallelRanges(count, grain: 1 << 15) { r in
            simdLoop(r) { j in
                let gj = load16(g + j), mj = load16(m + j)
                let mNew = lowW1 ? mj + w1 * (gj - mj) : gj - (gj - mj) * oneMinusW1
                let vNew = load16(v + j) * b2 + w2 * gj * gj
                store16(mNew, m + j)
                store16(vNew, v + j)
                let denom = vNew.squareRoot() / bc2 + e
                store16(load16(w + j) + negStep * (mNew / denom), w + j)
            } scalar: { j in
                let gj = g[j]
                m[j] = lowW1 ? m[j] + w1 * (gj - m[j]) : gj - (gj - m[j]) * oneMinusW1
                v[j] = v[j] * b2 + w2 * gj * gj
                let denom = v[j].squareRoot() / bc2 + e
                w[j] += negStep * (m[j] / denom)
            }
        }
    }
}
