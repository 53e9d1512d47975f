/// The forward and backward passes of `WinogradConv1d`, with the threading and the fused
/// epilogue / prologue hooks of the im2col passes in Conv.swift (same contracts).
extension WinogradConv1d {
    /// The tile transforms for a group whose products are `cols` wide (the rows of V, M, dM
    /// and dV are `cols` apart, ξ-planes `C·cols`).
    private struct GroupTerms {
        let input: WinogradTerms          // V rows from input phases
        let output: WinogradTerms         // y phases from M rows
        let outputGradient: WinogradTerms // dM rows from dy phases
        let inputGradient: WinogradTerms  // dx phases from dV rows (accumulated)
    }

    private func groupTerms(cols: Int) -> GroupTerms {
        let (m, alpha, p) = (t.m, t.alpha, phaseLength)
        let (vPlane, mPlane) = (g.cin * cols, g.cout * cols)
        return GroupTerms(
            input: WinogradTerms(t.inputT, rows: alpha, columns: alpha, source: { ($0 % m) * p + $0 / m },
                                 destination: { $0 * vPlane }),
            output: WinogradTerms(t.outputT, rows: m, columns: alpha, source: { $0 * mPlane }, destination: { $0 * tiles }),
            outputGradient: WinogradTerms(t.outputT, rows: alpha, columns: m, transposed: true, source: { $0 * tiles },
                                          destination: { $0 * mPlane }),
            inputGradient: WinogradTerms(t.inputT, rows: alpha, columns: alpha, transposed: true, source: { $0 * vPlane },
                                         destination: { ($0 % m) * p + $0 / m }))
    }

    /// V `[alpha, Cin, cols]` for samples `first ..< first + count` of x.
    private func transformInputs(_ x: UnsafePointer<Float>, first: Int, count: Int, into v: UnsafeMutablePointer<Float>,
                                 phase: UnsafeMutablePointer<Float>, terms: GroupTerms) {
        let cols = count * tiles
        for s in 0 ..< count {
            for ci in 0 ..< g.cin {
                transformInput(x + (first + s) * g.inPlane + ci * g.w, into: v + ci * cols + s * tiles, phase: phase,
                               terms: terms.input)
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
            _ = Threads.parallelChunks(g.n) { _, samples in
                let group = max(1, min(groupSize, samples.count))
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
                        transformInputs(x, first: first, count: count, into: v, phase: phase, terms: terms)
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
            _ = Threads.parallelChunks(g.n) { chunk, samples in
                let group = max(1, min(groupSize, samples.count))
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
                                transformOutputGradient(d + co * g.wout, into: dm + co * cols + s * tiles, phase: phase,
                                                        terms: terms.outputGradient)
                            }
                        }
                        if let du {
                            transformInputs(x, first: first, count: count, into: v, phase: phase, terms: terms)
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
