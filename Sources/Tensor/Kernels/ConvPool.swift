/// A 1-D convolution followed by ReLU and max pooling, or by ReLU and global temporal
/// pooling, fused per sample.
///
/// `conv1dReluMaxPool1d(x, ...) == reluMaxPool1d(conv1d(x, ...), ...)` bit for bit, values
/// and gradients, but the convolution's output (the largest activation of the Spotify
/// network) never goes to memory: each sample's `[Cout, Lconv]` output is pooled while it is
/// still in cache, and in backward its gradient is rebuilt from the pooled gradient (the
/// argmax scatter) just before the sample's GEMMs. Saves two passes over that activation
/// each way and its storage during training.

/// conv1d (stride, padding, dilation as `conv1d`) -> ReLU -> max pooling over time
/// (`poolKernel`, `poolStride` defaulting to `poolKernel`, `poolPadding` as `maxPool1d`).
///
/// - x: `[N, Cin, L]`
/// - weight: `[Cout, Cin, K]`
/// - bias: `[Cout]` or nil
/// - returns `[N, Cout, Lpool]`, `Lpool = (Lconv + 2·poolPadding - poolKernel) / poolStride + 1`
///   with `Lconv` the length `conv1d` gives
public func conv1dReluMaxPool1d(_ x: Tensor, weight: Tensor, bias: Tensor? = nil, stride: Int = 1, padding: Int = 0,
                                dilation: Int = 1, poolKernel: Int, poolStride: Int? = nil,
                                poolPadding: Int = 0) -> Tensor {
    let cg = conv1dGeometry(x, weight, bias, stride: stride, padding: padding, dilation: dilation, name: "conv1dReluMaxPool1d")
    let n = cg.n
    let pg = PoolGeometry(planes: n * cg.cout, h: 1, w: cg.wout, kh: 1, kw: poolKernel, sh: 1,
                          sw: poolStride ?? poolKernel, ph: 0, pw: poolPadding)
    precondition(pg.kw > 0 && pg.sw > 0, "conv1dReluMaxPool1d: pool kernel and stride must be positive")
    precondition(pg.pw >= 0 && 2 * pg.pw <= pg.kw, "conv1dReluMaxPool1d: pool padding must be at most half the kernel")
    precondition(pg.wout > 0, "conv1dReluMaxPool1d: pool kernel larger than the padded convolution output")
    let (lconv, lpool, cout) = (cg.wout, pg.wout, cg.cout)
    let record = Autograd.needsGrad(x, weight, bias)
    var argmax = [Int32](unsafeUninitializedCapacity: record ? n * cout * lpool : 0) { $1 = $0.count }
    // forward: y[s, c] = relu(maxpool(conv(x)[s, c])), per sample on its thread
    let y = makeBuffer(n * cout * lpool) { out in
        argmax.withUnsafeMutableBufferPointer { ap in
            let ap = ap.isEmpty ? nil : ap.baseAddress
            convForwardSamples(x.data, weight.data, bias?.data, cg, out: nil) { s, conv in
                for c in 0 ..< cout {
                    let plane = s * cout + c
                    maxPoolPlane(conv + c * lconv, out + plane * lpool, ap.map { $0 + plane * lpool }, pg, relu: true)
                }
            }
        }
    }
    let result = Tensor(shape: [n, cout, lpool], data: y)
    guard record else { return result }
    let (xv, wv) = (x.data, weight.data)
    result.record([x, weight] + (bias.map { [$0] } ?? [])) { dy in
        // backward: dconv[s] = the pooled gradient scattered to the argmax positions where
        // y > 0 (zeros elsewhere), then conv_backward with it, sample by sample.
        dy.withUnsafeBufferPointer { dyp in
            y.withUnsafeBufferPointer { yp in
                argmax.withUnsafeBufferPointer { ap in
                    let (dyp, yp, ap) = (dyp.baseAddress!, yp.baseAddress!, ap.baseAddress!)
                    convBackward([], xv, wv, cg, x: x.requiresGrad ? x : nil, weight: weight.requiresGrad ? weight : nil,
                                 bias: bias?.requiresGrad == true ? bias : nil) { s, dconv in
                        for c in 0 ..< cout {
                            let plane = (s * cout + c) * lpool
                            maxPoolPlaneBackward(dyp + plane, yp + plane, ap + plane, dconv + c * lconv, pg,
                                                 relu: true, overwrite: true)
                        }
                    }
                }
            }
        }
    }
    return result
}

/// conv1d (stride, padding, dilation as `conv1d`) -> ReLU -> `globalTemporalPool(kinds)`:
/// `[N, Cin, L]` -> `[N, Cout · kinds.count]`, equal bit for bit (values and gradients) to
/// the composition. Each sample's ReLU and statistics are computed while its convolution
/// output is in cache; without gradients that output is never stored.
public func conv1dReluGlobalPool(_ x: Tensor, weight: Tensor, bias: Tensor? = nil, stride: Int = 1, padding: Int = 0,
                                 dilation: Int = 1, kinds: [GlobalPoolKind] = [.mean, .max, .l2]) -> Tensor {
    precondition(!kinds.isEmpty, "conv1dReluGlobalPool: no kinds")
    let cg = conv1dGeometry(x, weight, bias, stride: stride, padding: padding, dilation: dilation, name: "conv1dReluGlobalPool")
    let n = cg.n
    let (lconv, cout) = (cg.wout, cg.cout)
    let pool = GlobalPoolRows(n: n, c: cout, l: lconv, kinds: kinds, record: Autograd.needsGrad(x, weight, bias))
    // With gradients, h = relu(conv(x)) is kept (backward reads it); without, a scratch is used.
    var h = [Float](unsafeUninitializedCapacity: pool.record ? cg.n * cg.outPlane : 0) { $1 = $0.count }
    // forward: h[s] = relu(conv(x)[s]) in place, y[s] = the statistics of h[s]'s rows
    let y = makeBuffer(n * pool.width) { out in
        h.withUnsafeMutableBufferPointer { hp in
            convForwardSamples(x.data, weight.data, bias?.data, cg, out: hp.isEmpty ? nil : hp.baseAddress) { s, conv in
                let conv = UnsafeMutablePointer(mutating: conv)   // this sample's output, ours to rewrite
                simdLoop(0 ..< cg.outPlane) { i in
                    let v = load16(conv + i)
                    store16(v.replacing(with: 0, where: v .< 0), conv + i)
                } scalar: { i in conv[i] = conv[i] > 0 ? conv[i] : 0 }
                for c in 0 ..< cout { pool.forward(row: s * cout + c, conv + c * lconv, out) }
            }
        }
    }
    let result = Tensor(shape: [n, pool.width], data: y)
    guard pool.record else { return result }
    let (xv, wv) = (x.data, weight.data)
    result.record([x, weight] + (bias.map { [$0] } ?? [])) { dy in
        // backward: dconv[s] = relu'(h[s]) · global_pool_backward(dy[s]), then conv_backward.
        dy.withUnsafeBufferPointer { dyp in
            h.withUnsafeBufferPointer { hp in
                let (dyp, hp) = (dyp.baseAddress!, hp.baseAddress!)
                convBackward([], xv, wv, cg, x: x.requiresGrad ? x : nil, weight: weight.requiresGrad ? weight : nil,
                             bias: bias?.requiresGrad == true ? bias : nil) { s, dconv in
                    for c in 0 ..< cout {
                        let row = s * cout + c
                        pool.backward(row: row, hp + row * lconv, dyp, dconv + c * lconv, overwrite: true, relu: true)
                    }
                }
            }
        }
    }
    return result
}
