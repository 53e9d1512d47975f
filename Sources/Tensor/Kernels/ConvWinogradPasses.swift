/// The forward and backward passes of `WinogradConv1d`, with the threading and the fused
/// epilogue / prologue hooks of the im2col passes in Conv.swift (same contracts).
extension WinogradConv1d {
    /// Terms of the transforms whose source layout depends on the group's product width `cols`.
    private struct GroupTerms {
        let output: WinogradTerms        // y phases from M rows (stride Cout·cols)
        let inputGradient: WinogradTerms // dx phases from dV rows (stride Cin·cols)
    }

    private func groupTerms(cols: Int) -> GroupTerms {
        let (m, alpha) = (t.m, t.alpha)
        return GroupTerms(
            output: WinogradTerms(t.outputT, rows: m, columns: alpha) { $0 * g.cout * cols },
            inputGradient: WinogradTerms(t.inputT, rows: alpha, columns: alpha, transposed: true) { $0 * g.cin * cols })
    }

    private var inputTerms: WinogradTerms {
        WinogradTerms(t.inputT, rows: t.alpha, columns: t.alpha) { (j: Int) in (j % t.m) * phaseLength + j / t.m }
    }

    /// V `[alpha, Cin, cols]` for samples `first ..< first + count` of x.
    private func transformInputs(_ x: UnsafePointer<Float>, first: Int, count: Int, into v: UnsafeMutablePointer<Float>,
                                 phase: UnsafeMutablePointer<Float>, terms: WinogradTerms) {
        let cols = count * tiles
        for s in 0 ..< count {
            for ci in 0 ..< g.cin {
                transformInput(x + (first + s) * g.inPlane + ci * g.w, into: v + ci * cols + s * tiles,
                               vStride: g.cin * cols, phase: phase, terms: terms)
            }
        }
    }

    /// conv_forward: as `convForwardSamples` (output into `out` `[N, Cout, Lout]`, or into a
    /// per-thread scratch handed to `epilogue(sample, y_n)`).
    func forwardSamples(_ x: UnsafePointer<Float>, _ w: UnsafePointer<Float>, _ b: [Float]?,
                        out: UnsafeMutablePointer<Float>?,
                        epilogue: ((_ sample: Int, _ y: UnsafePointer<Float>) -> Void)?) {
        let u = transformedWeights(w)
        u.withUnsafeBufferPointer { up in
            let weights = (0 ..< t.alpha).map { xi in
                SharedLeftOperand(m: g.cout, k: g.cin, a: up.baseAddress! + xi * g.cout * g.cin, lda: g.cin)
            }
            let inTerms = inputTerms
            _ = Threads.parallelChunks(g.n) { _, samples in
                let group = min(groupSize, samples.count)
                let maxCols = group * tiles
                let (vCount, mCount) = (t.alpha * g.cin * maxCols, t.alpha * g.cout * maxCols)
                let phaseCount = t.m * max(phaseLength, tiles)
                var scratch = [Float](unsafeUninitializedCapacity: vCount + mCount + phaseCount + (out == nil ? g.outPlane : 0)) { $1 = $0.count }
                scratch.withUnsafeMutableBufferPointer { buffer in
                    let v = buffer.baseAddress!, mm = v + vCount, phase = mm + mCount, own = phase + phaseCount
                    var cachedCols = 0
                    var terms = groupTerms(cols: maxCols)
                    for first in stride(from: samples.lowerBound, to: samples.upperBound, by: group) {
                        let count = min(group, samples.upperBound - first), cols = count * tiles
                        if cols != cachedCols { terms = groupTerms(cols: cols); cachedCols = cols }
                        transformInputs(x, first: first, count: count, into: v, phase: phase, terms: inTerms)
                        for xi in 0 ..< t.alpha {
                            weights[xi].multiply(n: cols, b: v + xi * g.cin * cols, ldb: cols, beta: 0,
                                                 c: mm + xi * g.cout * cols, ldc: cols)
                        }
                        for s in 0 ..< count {
                            let o = out.map { $0 + (first + s) * g.outPlane } ?? own
                            for co in 0 ..< g.cout {
                                transformOutput(mm + co * cols + s * tiles, bias: b?[co] ?? 0,
                                                into: o + co * g.wout, phase: phase, terms: terms.output)
                            }
                            epilogue?(first + s, UnsafePointer(o))
                        }
                    }
                }
            }
        }
    }

    /// conv_backward: as `convBackward` (dy from `dy` `[N, Cout, Lout]` or from `dySample`;
    /// db and dW summed per chunk in sample order, then over chunks in order; dx overwritten).
    /// `dw` receives dW (accumulated), `db` per-chunk bias sums (`[chunks, Cout]`), `dx` `[N, Cin, W]`.
    func backwardSamples(_ dy: UnsafePointer<Float>?, _ x: UnsafePointer<Float>, _ w: UnsafePointer<Float>,
                         dw: UnsafeMutablePointer<Float>?, db: UnsafeMutablePointer<Float>?, dx: UnsafeMutablePointer<Float>?,
                         dySample: ((_ sample: Int, _ dy: UnsafeMutablePointer<Float>) -> Void)?) {
        let u = transformedWeights(w)
        let chunks = max(1, min(Threads.count, g.n))
        let uCount = t.alpha * g.cout * g.cin
        var partials = [Float](repeating: 0, count: dw == nil ? 0 : chunks * uCount)
        u.withUnsafeBufferPointer { up in
          partials.withUnsafeMutableBufferPointer { pp in
            let weightsT = dx == nil ? [] : (0 ..< t.alpha).map { xi in
                SharedLeftOperand(transA: true, m: g.cin, k: g.cout, a: up.baseAddress! + xi * g.cout * g.cin, lda: g.cin)
            }
            let pp = dw == nil ? nil : pp.baseAddress
            let inTerms = inputTerms
            let dyTerms = WinogradTerms(t.outputT, rows: t.alpha, columns: t.m, transposed: true) { $0 * tiles }
            _ = Threads.parallelChunks(g.n) { chunk, samples in
                let group = min(groupSize, samples.count)
                let maxCols = group * tiles
                let vCount = dw != nil || dx != nil ? t.alpha * g.cin * maxCols : 0
                let mCount = t.alpha * g.cout * maxCols
                let phaseCount = t.m * max(phaseLength, tiles)
                var scratch = [Float](unsafeUninitializedCapacity: vCount + mCount + phaseCount + (dySample == nil ? 0 : g.outPlane)) { $1 = $0.count }
                scratch.withUnsafeMutableBufferPointer { buffer in
                    let v = buffer.baseAddress!, dm = v + vCount, phase = dm + mCount, own = phase + phaseCount
                    let du = pp.map { $0 + chunk * uCount }
                    let dbc = db.map { $0 + chunk * g.cout }
                    var cachedCols = 0
                    var terms = groupTerms(cols: maxCols)
                    for first in stride(from: samples.lowerBound, to: samples.upperBound, by: group) {
                        let count = min(group, samples.upperBound - first), cols = count * tiles
                        if cols != cachedCols { terms = groupTerms(cols: cols); cachedCols = cols }
                        for s in 0 ..< count {
                            let d: UnsafePointer<Float>
                            if let dySample { dySample(first + s, own); d = UnsafePointer(own) } else { d = dy! + (first + s) * g.outPlane }
                            if let dbc { for c in 0 ..< g.cout { dbc[c] += sumFloats(d + c * g.wout, g.wout) } }
                            for co in 0 ..< g.cout {
                                transformOutputGradient(d + co * g.wout, into: dm + co * cols + s * tiles,
                                                        mStride: g.cout * cols, phase: phase, terms: dyTerms)
                            }
                        }
                        if let du {
                            transformInputs(x, first: first, count: count, into: v, phase: phase, terms: inTerms)
                            for xi in 0 ..< t.alpha {
                                sgemm(transB: true, m: g.cout, n: g.cin, k: cols, a: dm + xi * g.cout * cols, lda: cols,
                                      b: v + xi * g.cin * cols, ldb: cols, beta: 1, c: du + xi * g.cout * g.cin, ldc: g.cin)
                            }
                        }
                        if let dx {
                            for xi in 0 ..< t.alpha {
                                weightsT[xi].multiply(n: cols, b: dm + xi * g.cout * cols, ldb: cols, beta: 0,
                                                      c: v + xi * g.cin * cols, ldc: cols)
                            }
                            for s in 0 ..< count {
                                for ci in 0 ..< g.cin {
                                    transformInputGradient(v + ci * cols + s * tiles,
                                                           into: dx + (first + s) * g.inPlane + ci * g.w, phase: phase,
                                                           terms: terms.inputGradient)
                                }
                            }
                        }
                    }
                }
            }
            if let pp, let dw {
                // dU = chunk 0's sum + chunk 1's + ... (that order for every element), then dW += Gᵀ dU.
                for c in 1 ..< chunks {
                    let part = pp + c * uCount
                    Threads.parallelRanges(uCount, grain: 1 << 15) { r in
                        simdLoop(r) { i in store16(load16(pp + i) + load16(part + i), pp + i) } scalar: { i in pp[i] += part[i] }
                    }
                }
                addWeightGradient(UnsafePointer(pp), to: dw)
            }
          }
        }
    }
}
