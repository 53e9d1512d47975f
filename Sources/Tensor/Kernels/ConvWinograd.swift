import Foundation

/// Which algorithm the 1-D convolutions use.
public enum ConvAlgorithm: String, Sendable {
    /// Winograd's F(m, r) (`WinogradConv1d`) where it applies: stride 1, dilation 1, 2 to 6
    /// taps, at least 16 input and output channels; im2col + SGEMM elsewhere.
    case winograd
    /// im2col + SGEMM everywhere (`MELCNN_CONV=im2col`): the products PyTorch's definition
    /// spells out, at up to twice the arithmetic.
    case im2col

    /// The algorithm in use: `MELCNN_CONV` (`winograd` or `im2col`), Winograd by default.
    public static var current: ConvAlgorithm { forced ?? fromEnvironment }

    private static let fromEnvironment: ConvAlgorithm =
        getenv("MELCNN_CONV").flatMap { ConvAlgorithm(rawValue: String(cString: $0)) } ?? .winograd

    /// Set by tests to compare the two algorithms in one process.
    nonisolated(unsafe) static var forced: ConvAlgorithm?
}

/// A 1-D convolution (`ConvGeometry` with h = 1) computed with Winograd's F(m, r)
/// (`WinogradTransform`; Lavin & Gray 2016) over tiles of `m` outputs: for the 3-tap to
/// 5-tap kernels of the Spotify network family each output tile costs 6 products per
/// (input, output) channel pair instead of `m·r` (F(3, 4): half the multiply-adds of im2col).
///
/// Per group of samples (enough that the products are at least 128 columns wide):
///   V_ξ `[Cin, tiles]`  = (Bᵀ d)_ξ of every input tile, side by side for the group's samples,
///   M_ξ `[Cout, tiles]` = U_ξ · V_ξ with U_ξ `[Cout, Cin]` = (G g)_ξ, for ξ < alpha (SGEMM),
///   y                   = Aᵀ M per tile, interleaved back into `[Cout, Lout]`, plus the bias.
/// Backward is the exact adjoint of that computation: dM = A dy, dU_ξ += dM_ξ · V_ξᵀ,
/// dV_ξ = U_ξᵀ · dM_ξ, dx = B dV (tiles overlap-added), dW = Gᵀ dU.
struct WinogradConv1d {
    let g: ConvGeometry
    let t: WinogradTransform
    /// Output tiles per sample (`ceil(Lout / m)`; the last one may reach past Lout).
    let tiles: Int
    /// Length of one de-interleaved phase of an input row (`phase[q][u] = x[u·m + q - padding]`).
    let phaseLength: Int

    /// Nil when the geometry is not one Winograd applies to (or `ConvAlgorithm.current` is im2col).
    init?(_ g: ConvGeometry) {
        guard ConvAlgorithm.current == .winograd, g.h == 1, g.kh == 1, g.ph == 0, g.sw == 1, g.dw == 1,
              g.cin >= 16, g.cout >= 16, let m = WinogradTransform.outputsPerTile(taps: g.kw) else { return nil }
        self.g = g
        t = WinogradTransform(m: m, r: g.kw)
        tiles = (g.wout + m - 1) / m
        phaseLength = tiles + (t.alpha - 1) / m + 1
    }

    /// Samples whose tiles go side by side into one product.
    var groupSize: Int { max(1, (128 + tiles - 1) / tiles) }

    /// Pairs of (output, input) channels per block of the weight transforms.
    private static let pairBlock = 512

    /// U `[alpha, Cout, Cin]`: U[ξ, o, i] = Σ_k G[ξ, k] w[o, i, k] for weight `[Cout, Cin, r]`
    /// (blocks of channel pairs transposed to `[r, block]`, then vectorised, on every thread).
    func transformedWeights(_ w: UnsafePointer<Float>) -> [Float] {
        let (r, alpha, pairs, block) = (t.r, t.alpha, g.cout * g.cin, Self.pairBlock)
        let terms = WinogradTerms(t.filter, rows: alpha, columns: r) { $0 * block }
        return makeBuffer(alpha * pairs) { u in
            Threads.parallelRanges(pairs, grain: 4 * block) { range in
                withUnsafeTemporaryAllocation(of: Float.self, capacity: r * block) { scratch in
                    let wt = scratch.baseAddress!
                    for p0 in stride(from: range.lowerBound, to: range.upperBound, by: block) {
                        let count = min(block, range.upperBound - p0)
                        for j in 0 ..< count { for k in 0 ..< r { wt[k * block + j] = w[(p0 + j) * r + k] } }
                        terms.apply(rows: alpha, length: count, source: UnsafePointer(wt)) { xi in u + xi * pairs + p0 }
                    }
                }
            }
        }
    }

    /// dW `[Cout, Cin, r]` += Gᵀ dU for dU `[alpha, Cout, Cin]`.
    func addWeightGradient(_ du: UnsafePointer<Float>, to dw: UnsafeMutablePointer<Float>) {
        let (r, alpha, pairs, block) = (t.r, t.alpha, g.cout * g.cin, Self.pairBlock)
        let terms = WinogradTerms(t.filter, rows: r, columns: alpha, transposed: true) { $0 * pairs }
        Threads.parallelRanges(pairs, grain: 4 * block) { range in
            withUnsafeTemporaryAllocation(of: Float.self, capacity: r * block) { scratch in
                let dwt = scratch.baseAddress!
                for p0 in stride(from: range.lowerBound, to: range.upperBound, by: block) {
                    let count = min(block, range.upperBound - p0)
                    terms.apply(rows: r, length: count, source: du + p0) { k in dwt + k * block }
                    for j in 0 ..< count { for k in 0 ..< r { dw[(p0 + j) * r + k] += dwt[k * block + j] } }
                }
            }
        }
    }

    // MARK: Tile transforms (one row of one sample; vectorised over tiles)

    /// V_ξ[tile] for one input row `x` (length W): `v + ξ·vStride` receives row ξ's `tiles` values.
    /// `phase` is scratch of `m · phaseLength` floats.
    func transformInput(_ x: UnsafePointer<Float>, into v: UnsafeMutablePointer<Float>, vStride: Int,
                        phase: UnsafeMutablePointer<Float>, terms: WinogradTerms) {
        let (m, w, pad) = (t.m, g.w, g.pw)
        for q in 0 ..< m {
            let row = phase + q * phaseLength
            for u in 0 ..< phaseLength {
                let pos = u * m + q - pad
                row[u] = pos >= 0 && pos < w ? x[pos] : 0
            }
        }
        terms.apply(rows: t.alpha, length: tiles, source: UnsafePointer(phase)) { xi in v + xi * vStride }
    }

    /// One output row `y` (length Lout) from the M_ξ rows at `mRow` + the terms' offsets, plus
    /// `bias`. `phase` is scratch of `m · tiles` floats.
    func transformOutput(_ mRow: UnsafePointer<Float>, bias: Float, into y: UnsafeMutablePointer<Float>,
                         phase: UnsafeMutablePointer<Float>, terms: WinogradTerms) {
        terms.apply(rows: t.m, length: tiles, source: mRow) { i in phase + i * tiles }
        let (m, lout) = (t.m, g.wout)
        for i in 0 ..< m {
            let row = phase + i * tiles
            var pos = i
            for u in 0 ..< tiles where pos < lout { y[pos] = row[u] + bias; pos += m }
        }
    }

    /// dM_ξ rows (`dm + ξ·mStride`) = (A dy) for one output-gradient row `dy` (length Lout).
    func transformOutputGradient(_ dy: UnsafePointer<Float>, into dm: UnsafeMutablePointer<Float>, mStride: Int,
                                 phase: UnsafeMutablePointer<Float>, terms: WinogradTerms) {
        let (m, lout) = (t.m, g.wout)
        for i in 0 ..< m {
            let row = phase + i * tiles
            for u in 0 ..< tiles { let pos = u * m + i; row[u] = pos < lout ? dy[pos] : 0 }
        }
        terms.apply(rows: t.alpha, length: tiles, source: UnsafePointer(phase)) { xi in dm + xi * mStride }
    }

    /// One input-gradient row `dx` (length W, overwritten) = B dV from the dV_ξ rows at `dvRow`
    /// + the terms' offsets. `phase` is scratch of `m · phaseLength` floats.
    func transformInputGradient(_ dvRow: UnsafePointer<Float>, into dx: UnsafeMutablePointer<Float>,
                                phase: UnsafeMutablePointer<Float>, terms: WinogradTerms) {
        let (m, w, pad) = (t.m, g.w, g.pw)
        phase.initialize(repeating: 0, count: m * phaseLength)
        terms.accumulate(rows: t.alpha, length: tiles, source: dvRow) { j in phase + (j % m) * phaseLength + j / m }
        for pos in 0 ..< w {
            let p = pos + pad
            dx[pos] = phase[(p % m) * phaseLength + p / m]
        }
    }
}

/// The nonzero coefficients of one transform as sums `out_o[t] = Σ c · src[offset + t]`, per
/// output row o (flattened: `start[o] ..< start[o + 1]` index `coef` and `offset`).
struct WinogradTerms {
    let coef: [Float]
    let offset: [Int]
    let start: [Int]

    /// Row o of `matrix` (`[rows, columns]`, read as `matrix[o, c]`, or `matrix[c, o]` when
    /// `transposed`) with source column c at `sourceOffset(c)`.
    init(_ matrix: [Float], rows: Int, columns: Int, transposed: Bool = false, sourceOffset: (Int) -> Int) {
        var (coef, offset, start) = ([Float](), [Int](), [0])
        for o in 0 ..< rows {
            for c in 0 ..< columns {
                let v = transposed ? matrix[c * rows + o] : matrix[o * columns + c]
                if v != 0 { coef.append(v); offset.append(sourceOffset(c)) }
            }
            start.append(coef.count)
        }
        (self.coef, self.offset, self.start) = (coef, offset, start)
    }

    /// out(o)[0 ..< length] = Σ_terms c · source[offset + 0 ..< length], for each o < rows.
    @inline(__always)
    func apply(rows: Int, length: Int, source: UnsafePointer<Float>, out: (Int) -> UnsafeMutablePointer<Float>) {
        coef.withUnsafeBufferPointer { cp in
            offset.withUnsafeBufferPointer { op in
                for o in 0 ..< rows {
                    let (dst, lo, hi) = (out(o), start[o], start[o + 1])
                    simdLoop(0 ..< length) { i in
                        var acc = SIMD16<Float>(repeating: 0)
                        for k in lo ..< hi { acc += cp[k] * load16(source + op[k] + i) }
                        store16(acc, dst + i)
                    } scalar: { i in
                        var acc: Float = 0
                        for k in lo ..< hi { acc += cp[k] * source[op[k] + i] }
                        dst[i] = acc
                    }
                }
            }
        }
    }

    /// out(o)[0 ..< length] += Σ_terms c · source[offset + 0 ..< length], for each o < rows.
    @inline(__always)
    func accumulate(rows: Int, length: Int, source: UnsafePointer<Float>, out: (Int) -> UnsafeMutablePointer<Float>) {
        coef.withUnsafeBufferPointer { cp in
            offset.withUnsafeBufferPointer { op in
                for o in 0 ..< rows {
                    let (dst, lo, hi) = (out(o), start[o], start[o + 1])
                    simdLoop(0 ..< length) { i in
                        var acc = SIMD16<Float>(repeating: 0)
                        for k in lo ..< hi { acc += cp[k] * load16(source + op[k] + i) }
                        store16(load16(dst + i) + acc, dst + i)
                    } scalar: { i in
                        var acc: Float = 0
                        for k in lo ..< hi { acc += cp[k] * source[op[k] + i] }
                        dst[i] += acc
                    }
                }
            }
        }
    }
}
