/// Convolutions (cross-correlation, as PyTorch's `conv1d` / `conv2d`) via im2col + SGEMM.
///
/// Per sample, the input patches are unrolled into a matrix `col [Cin·KH·KW, Hout·Wout]`
/// (im2col), so the convolution is one GEMM `out [Cout, Hout·Wout] = W [Cout, Cin·KH·KW] · col`.
/// The batch is split into one contiguous chunk per thread; each chunk runs its samples'
/// GEMMs on single-threaded BLAS with one reused col buffer. (Grouping short samples side
/// by side into one wider GEMM was measured on the Spotify network and saved no CPU time:
/// the gather/scatter copies ate the small SGEMM gain, so one GEMM per sample it is.)
/// Backward recomputes the
/// im2col of each sample instead of keeping it (memory), accumulates
/// `dW += dOut · colᵀ` per chunk, and scatters `dcol = Wᵀ · dOut` back with col2im.
/// conv1d is conv2d with H = 1.

/// 1-D convolution.
///
/// - x: `[N, Cin, L]`
/// - weight: `[Cout, Cin, K]`
/// - bias: `[Cout]` or nil
/// - returns `[N, Cout, Lout]`, `Lout = (L + 2·padding - dilation·(K - 1) - 1) / stride + 1`
public func conv1d(_ x: Tensor, weight: Tensor, bias: Tensor? = nil,
                   stride: Int = 1, padding: Int = 0, dilation: Int = 1) -> Tensor {
    let g = conv1dGeometry(x, weight, bias, stride: stride, padding: padding, dilation: dilation, name: "conv1d")
    return convolution(x, weight, bias, g, outShape: [g.n, g.cout, g.wout], name: "conv1d")
}

/// The checked geometry of a 1-D convolution of x `[N, Cin, L]` with weight `[Cout, Cin, K]`
/// (shared by `conv1d` and the fused conv kernels).
func conv1dGeometry(_ x: Tensor, _ weight: Tensor, _ bias: Tensor?, stride: Int, padding: Int, dilation: Int,
                    name: String) -> ConvGeometry {
    precondition(x.rank == 3 && weight.rank == 3, "\(name): x must be [N, Cin, L] and weight [Cout, Cin, K], got \(x.shape), \(weight.shape)")
    let (n, cin, l) = (x.shape[0], x.shape[1], x.shape[2])
    let g = ConvGeometry(n: n, cin: cin, h: 1, w: l, cout: weight.shape[0], kh: 1, kw: weight.shape[2],
                         sh: 1, sw: stride, ph: 0, pw: padding, dh: 1, dw: dilation)
    precondition(weight.shape[1] == cin, "\(name): weight \(weight.shape) expects \(weight.shape[1]) input channels, x has \(cin)")
    precondition(stride > 0 && dilation > 0 && padding >= 0, "\(name): stride and dilation must be positive and padding non-negative")
    precondition(g.wout > 0, "\(name): kernel larger than the padded input \(x.shape)")
    precondition(bias == nil || bias!.shape == [g.cout], "\(name): bias must be [\(g.cout)]")
    return g
}

/// 2-D convolution.
///
/// - x: `[N, Cin, H, W]`
/// - weight: `[Cout, Cin, KH, KW]`
/// - bias: `[Cout]` or nil
/// - stride, padding, dilation: (along H, along W)
/// - returns `[N, Cout, Hout, Wout]`, `Hout = (H + 2·ph - dh·(KH - 1) - 1) / sh + 1` (same for W)
public func conv2d(_ x: Tensor, weight: Tensor, bias: Tensor? = nil, stride: (Int, Int) = (1, 1),
                   padding: (Int, Int) = (0, 0), dilation: (Int, Int) = (1, 1)) -> Tensor {
    precondition(x.rank == 4 && weight.rank == 4, "conv2d: x must be [N, Cin, H, W] and weight [Cout, Cin, KH, KW], got \(x.shape), \(weight.shape)")
    let g = ConvGeometry(n: x.shape[0], cin: x.shape[1], h: x.shape[2], w: x.shape[3], cout: weight.shape[0],
                         kh: weight.shape[2], kw: weight.shape[3], sh: stride.0, sw: stride.1,
                         ph: padding.0, pw: padding.1, dh: dilation.0, dw: dilation.1)
    precondition(weight.shape[1] == x.shape[1], "conv2d: weight \(weight.shape) expects \(weight.shape[1]) input channels, x has \(x.shape[1])")
    return convolution(x, weight, bias, g, outShape: [g.n, g.cout, g.hout, g.wout], name: "conv2d")
}

/// Sizes of one convolution (1-D uses h = kh = 1).
struct ConvGeometry {
    let n, cin, h, w, cout, kh, kw, sh, sw, ph, pw, dh, dw: Int
    var hout: Int { (h + 2 * ph - dh * (kh - 1) - 1) / sh + 1 }
    var wout: Int { (w + 2 * pw - dw * (kw - 1) - 1) / sw + 1 }
    var rows: Int { cin * kh * kw }            // rows of col
    var cols: Int { hout * wout }              // columns of col
    var inPlane: Int { cin * h * w }           // elements of one input sample
    var outPlane: Int { cout * hout * wout }   // elements of one output sample
    /// True when col is the input itself (1x1 kernel, stride 1, no padding).
    var isPointwise: Bool { kh == 1 && kw == 1 && sh == 1 && sw == 1 && ph == 0 && pw == 0 }
}

private func convolution(_ x: Tensor, _ weight: Tensor, _ bias: Tensor?, _ g: ConvGeometry,
                         outShape: [Int], name: String) -> Tensor {
    precondition(g.sh > 0 && g.sw > 0 && g.dh > 0 && g.dw > 0 && g.ph >= 0 && g.pw >= 0,
                 "\(name): stride and dilation must be positive and padding non-negative")
    precondition(g.hout > 0 && g.wout > 0, "\(name): kernel larger than the padded input \(x.shape)")
    precondition(bias == nil || bias!.shape == [g.cout], "\(name): bias must be [\(g.cout)]")
    let y = convForward(x.data, weight.data, bias?.data, g)
    let result = Tensor(shape: outShape, data: y)
    guard Autograd.needsGrad(x, weight, bias) else { return result }
    let (xv, wv) = (x.data, weight.data)
    result.record([x, weight] + (bias.map { [$0] } ?? [])) { dy in
        convBackward(dy, xv, wv, g, x: x.requiresGrad ? x : nil, weight: weight.requiresGrad ? weight : nil,
                     bias: bias?.requiresGrad == true ? bias : nil)
    }
    return result
}

/// conv_forward: out (N, Cout, Hout·Wout) = W (Cout, Cin·KH·KW) · im2col(x_n) + b
private func convForward(_ x: [Float], _ w: [Float], _ b: [Float]?, _ g: ConvGeometry) -> [Float] {
    makeBuffer(g.n * g.outPlane) { out in convForwardSamples(x, w, b, g, out: out) }
}

/// conv_forward sample by sample, into `out` (N, Cout, Hout·Wout), or with `out` nil into a
/// per-thread scratch (Cout, Hout·Wout) that `epilogue(sample, y_n)` consumes while it is in
/// cache (for fused conv + pooling; `epilogue` runs on the thread that computed the sample).
func convForwardSamples(_ x: [Float], _ w: [Float], _ b: [Float]?, _ g: ConvGeometry, out: UnsafeMutablePointer<Float>?,
                        epilogue: ((_ sample: Int, _ y: UnsafePointer<Float>) -> Void)? = nil) {
    x.withUnsafeBufferPointer { xp in
        w.withUnsafeBufferPointer { wp in
            if let winograd = WinogradConv1d(g) {
                winograd.forwardSamples(xp.baseAddress!, wp.baseAddress!, b, out: out, epilogue: epilogue)
                return
            }
            let xp = xp.baseAddress!
            let weights = SharedLeftOperand(m: g.cout, k: g.rows, a: wp.baseAddress!, lda: g.rows)
            _ = Threads.parallelChunks(g.n) { _, samples in
                let colCount = g.isPointwise ? 0 : g.rows * g.cols
                // One buffer per chunk: the col matrix, then (without `out`) the sample's output.
                var scratch = [Float](unsafeUninitializedCapacity: colCount + (out == nil ? g.outPlane : 0)) { $1 = $0.count }
                scratch.withUnsafeMutableBufferPointer { buffer in
                    let colp = buffer.baseAddress.map { $0 }
                    for s in samples {
                        let o = out.map { $0 + s * g.outPlane } ?? colp! + colCount
                        if let b {
                            for c in 0 ..< g.cout { (o + c * g.cols).initialize(repeating: b[c], count: g.cols) }
                        }
                        let src: UnsafePointer<Float>
                        if g.isPointwise { src = xp + s * g.inPlane } else {
                            im2col(xp + s * g.inPlane, colp!, g)
                            src = UnsafePointer(colp!)
                        }
                        weights.multiply(n: g.cols, b: src, ldb: g.cols, beta: b == nil ? 0 : 1, c: o, ldc: g.cols)
                        epilogue?(s, UnsafePointer(o))
                    }
                }
            }
        }
    }
}

/// conv_backward, per sample n (dy_n is (Cout, Hout·Wout)):
///   db (Cout)          += Σ_cols dy_n
///   dW (Cout, Cin·K·K) += dy_n · im2col(x_n)ᵀ
///   dx_n               += col2im(Wᵀ (Cin·K·K, Cout) · dy_n)
/// dy_n is read from `dy` (N, Cout, Hout·Wout), or, when `dySample` is given, written by
/// `dySample(n, buffer)` into a per-thread scratch just before use (fused pooling backward).
/// db and dW are summed per chunk of samples (in sample order), then over chunks in order.
func convBackward(_ dy: [Float], _ xv: [Float], _ wv: [Float], _ g: ConvGeometry,
                  x: Tensor?, weight: Tensor?, bias: Tensor?,
                  dySample: ((_ sample: Int, _ dy: UnsafeMutablePointer<Float>) -> Void)? = nil) {
    let wCount = g.cout * g.rows
    let chunks = max(1, min(Threads.count, g.n))
    let winograd = WinogradConv1d(g)
    // Chunk 0 accumulates into weight.grad directly; other chunks into partial buffers.
    var partials = [Float](repeating: 0, count: weight == nil || winograd != nil ? 0 : (chunks - 1) * wCount)
    var biasPartials = [Float](repeating: 0, count: bias == nil ? 0 : chunks * g.cout)
    // dx is written sample by sample inside the chunks (col2im overwrites; see below).
    var dx = [Float](unsafeUninitializedCapacity: x == nil ? 0 : g.n * g.inPlane) { $1 = $0.count }
    if let weight, weight.grad == nil { weight.grad = [Float](repeating: 0, count: wCount) }
    var wGrad = weight?.grad ?? []
    weight?.grad = nil  // hold the only reference while writing
    dy.withUnsafeBufferPointer { dyp in
        xv.withUnsafeBufferPointer { xp in
            wv.withUnsafeBufferPointer { wp in
                partials.withUnsafeMutableBufferPointer { pp in
                    dx.withUnsafeMutableBufferPointer { dxp in
                        wGrad.withUnsafeMutableBufferPointer { wgp in
                          biasPartials.withUnsafeMutableBufferPointer { bpp in
                            let (xp, wp) = (xp.baseAddress!, wp.baseAddress!)
                            // (Empty arrays may still have a base address: decide by the flags.)
                            let pp = weight == nil || chunks == 1 ? nil : pp.baseAddress
                            let dxp = x == nil ? nil : dxp.baseAddress
                            let wgp = weight == nil ? nil : wgp.baseAddress
                            let bpp = bias == nil ? nil : bpp.baseAddress
                            let dyp = dySample == nil ? dyp.baseAddress : nil
                            if let winograd {
                                winograd.backwardSamples(dyp, xp, wp, dw: wgp, db: bpp, dx: dxp, dySample: dySample)
                                return
                            }
                            // Wᵀ (Cin·K·K, Cout), shared by every sample's input gradient.
                            let weightsT = x == nil ? nil : SharedLeftOperand(transA: true, m: g.rows, k: g.cout, a: wp, lda: g.rows)
                            _ = Threads.parallelChunks(g.n) { chunk, samples in
                                let needCol = weight != nil && !g.isPointwise
                                let colCount = needCol || x != nil ? g.rows * g.cols : 0
                                // One buffer per chunk: the col matrix, then (with dySample) dy_n.
                                var scratch = [Float](unsafeUninitializedCapacity: colCount + (dySample == nil ? 0 : g.outPlane)) { $1 = $0.count }
                                scratch.withUnsafeMutableBufferPointer { buffer in
                                    let colp = colCount == 0 ? nil : buffer.baseAddress
                                    let dyScratch = dySample == nil ? nil : buffer.baseAddress! + colCount
                                    let dW = chunk == 0 ? wgp : pp.map { $0 + (chunk - 1) * wCount }
                                    let db = bpp.map { $0 + chunk * g.cout }
                                    for s in samples {
                                        let d: UnsafePointer<Float>
                                        if let dyScratch {
                                            dySample!(s, dyScratch)
                                            d = UnsafePointer(dyScratch)
                                        } else {
                                            d = dyp! + s * g.outPlane
                                        }
                                        if let db {
                                            for c in 0 ..< g.cout { db[c] += sumFloats(d + c * g.cols, g.cols) }
                                        }
                                        if let dW {
                                            let src: UnsafePointer<Float>
                                            if g.isPointwise { src = xp + s * g.inPlane } else {
                                                im2col(xp + s * g.inPlane, colp!, g)
                                                src = UnsafePointer(colp!)
                                            }
                                            sgemm(transB: true, m: g.cout, n: g.rows, k: g.cols, a: d, lda: g.cols,
                                                  b: src, ldb: g.cols, beta: 1, c: dW, ldc: g.rows)
                                        }
                                        if let dxp {
                                            let dxs = dxp + s * g.inPlane
                                            if g.isPointwise {
                                                weightsT!.multiply(n: g.cols, b: d, ldb: g.cols, beta: 0, c: dxs, ldc: g.cols)
                                            } else {
                                                weightsT!.multiply(n: g.cols, b: d, ldb: g.cols, beta: 0, c: colp!, ldc: g.cols)
                                                col2im(UnsafePointer(colp!), dxs, g, overwrite: true)
                                            }
                                        }
                                    }
                                }
                            }
                            if let pp, let wgp {
                                // dW = chunk 0's sum + chunk 1's + ... (that order for every element).
                                Threads.parallelRanges(wCount, grain: 1 << 15) { r in
                                    for c in 1 ..< chunks {
                                        let part = pp + (c - 1) * wCount
                                        simdLoop(r) { i in store16(load16(wgp + i) + load16(part + i), wgp + i) } scalar: { i in wgp[i] += part[i] }
                                    }
                                }
                            }
                          }
                        }
                    }
                }
            }
        }
    }
    weight?.grad = wGrad
    if let x { x.accumulateGrad(dx) }
    if let bias {
        bias.accumulateGrad { db, overwrite in
            for c in 0 ..< g.cout {
                var s = biasPartials[c]
                for chunk in 1 ..< chunks { s += biasPartials[chunk * g.cout + c] }
                db[c] = overwrite ? s : db[c] + s
            }
        }
    }
}

/// Output positions `lo ..< hi` (of `count`) whose input index `o·stride + offset` lies in `0 ..< size`.
@inline(__always)
private func validRange(offset: Int, stride: Int, size: Int, count: Int) -> (Int, Int) {
    // o·stride + offset >= 0  <=>  o >= ceil(-offset / stride)
    let lo = offset >= 0 ? 0 : (-offset + stride - 1) / stride
    // o·stride + offset <= size - 1  <=>  o <= floor((size - 1 - offset) / stride)
    let last = size - 1 - offset
    let hi = last < 0 ? 0 : last / stride + 1
    return (min(lo, count), min(max(hi, min(lo, count)), count))
}

/// Visits every run of in-bounds patch elements: for each col row (ci, kh, kw) and output
/// row oh, the output columns whose input position lies inside x (padding is outside).
/// `body(colOffset, inOffset, count)`: col[colOffset + j] <-> x[inOffset + j·sw], j < count.
@inline(__always)
private func forEachValidRun(_ g: ConvGeometry, _ body: (_ colOffset: Int, _ inOffset: Int, _ count: Int) -> Void) {
    let (hout, wout) = (g.hout, g.wout)
    for ci in 0 ..< g.cin {
        for kh in 0 ..< g.kh {
            let offH = kh * g.dh - g.ph
            let (ohLo, ohHi) = validRange(offset: offH, stride: g.sh, size: g.h, count: hout)
            for kw in 0 ..< g.kw {
                let row = ((ci * g.kh + kh) * g.kw + kw) * hout * wout
                let offW = kw * g.dw - g.pw
                let (owLo, owHi) = validRange(offset: offW, stride: g.sw, size: g.w, count: wout)
                guard owHi > owLo else { continue }
                for oh in ohLo ..< ohHi {
                    body(row + oh * wout + owLo, (ci * g.h + oh * g.sh + offH) * g.w + owLo * g.sw + offW, owHi - owLo)
                }
            }
        }
    }
}

/// im2col: col[(ci·KH + kh)·KW + kw, oh·Wout + ow] = x[ci, oh·sh + kh·dh - ph, ow·sw + kw·dw - pw] (0 outside).
/// x: (Cin, H, W) -> col: (Cin·KH·KW, Hout·Wout)
@inline(__always)
func im2col(_ x: UnsafePointer<Float>, _ col: UnsafeMutablePointer<Float>, _ g: ConvGeometry) {
    if g.ph > 0 || g.pw > 0 { col.update(repeating: 0, count: g.rows * g.cols) }
    let sw = g.sw
    forEachValidRun(g) { c, i, n in
        if sw == 1 {
            (col + c).update(from: x + i, count: n)
        } else {
            for j in 0 ..< n { col[c + j] = x[i + j * sw] }
        }
    }
}

/// col2im (the adjoint of im2col): dx[ci, ih, iw] += every col entry im2col read from it,
/// in col-row order. col: (Cin·KH·KW, Hout·Wout) -> dx: (Cin, H, W), accumulated, or with
/// `overwrite` written (as if dx started at zero).
@inline(__always)
func col2im(_ col: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>, _ g: ConvGeometry, overwrite: Bool = false) {
    let sw = g.sw
    if overwrite && g.h == 1 && g.kh == 1 && g.ph == 0 && g.pw == 0 && sw == 1 {
        // 1-D, stride 1, no padding: per input channel, kernel tap 0 writes the row (zeros past
        // its last output), later taps add their shifted rows (16 lanes at a time).
        let (w, wout) = (g.w, g.wout)
        for ci in 0 ..< g.cin {
            let dst = dx + ci * w
            let first = col + ci * g.kw * wout
            dst.update(from: first, count: wout)
            (dst + wout).update(repeating: 0, count: w - wout)
            for k in 1 ..< g.kw {
                let (src, out) = (first + k * wout, dst + k * g.dw)
                simdLoop(0 ..< wout) { j in store16(load16(out + j) + load16(src + j), out + j) } scalar: { j in out[j] += src[j] }
            }
        }
        return
    }
    if overwrite { dx.update(repeating: 0, count: g.inPlane) }
    forEachValidRun(g) { c, i, n in
        if sw == 1 {
            for j in 0 ..< n { dx[i + j] += col[c + j] }
        } else {
            for j in 0 ..< n { dx[i + j * sw] += col[c + j] }
        }
    }
}
