import CWinograd
import Foundation

/// Which algorithm the 1-D convolutions use.
public enum ConvAlgorithm: String, Sendable {
    /// Winograd's F(m, r) (`WinogradConv1d`) where it applies: stride 1, dilation 1, 2 to 6
    /// taps, at least 16 input and output channels; im2col + SGEMM elsewhere.
    case winograd
    /// im2col + SGEMM everywhere (`MELCNN_CONV=im2col`): the products PyTorch's definition
    /// spells out, at up to twice the arithmetic.
    case im2col

    /// The algorithm in use: `MELCNN_CONV` (`winograd` or `im2col`), Winograd by default
    /// (the executables refuse other values at start-up: `environmentProblem`).
    public static var current: ConvAlgorithm { forced ?? fromEnvironment }

    private static let fromEnvironment: ConvAlgorithm =
        getenv("MELCNN_CONV").flatMap { ConvAlgorithm(rawValue: String(cString: $0)) } ?? .winograd

    /// A one-line complaint when `MELCNN_CONV` is set to something that names no algorithm, else nil.
    public static var environmentProblem: String? {
        guard let value = getenv("MELCNN_CONV").map({ String(cString: $0) }), ConvAlgorithm(rawValue: value) == nil else {
            return nil
        }
        return "MELCNN_CONV=\(value) names no convolution algorithm (use winograd or im2col)"
    }

    /// What runs the 1-D convolutions, for reports: `winograd (transforms avx2 8 lanes)` or `im2col`.
    public static var description: String {
        current == .im2col ? "im2col" : "winograd (transforms \(String(cString: melcnn_winograd_kernel())))"
    }

    /// Set by tests to compare the two algorithms in one process.
    nonisolated(unsafe) static var forced: ConvAlgorithm?
}

/// A 1-D convolution (`ConvGeometry` with h = 1) computed with Winograd's F(m, r)
/// (`WinogradTransform`; Lavin & Gray 2016) over tiles of `m` outputs: for 2- to 5-tap
/// kernels (the Spotify network family has 4) each output tile costs 6 products per
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
        let terms = WinogradTerms(t.filter, rows: alpha, columns: r, source: { $0 * block }, destination: { $0 * pairs })
        return makeBuffer(alpha * pairs) { u in
            Threads.parallelRanges(pairs, grain: 4 * block) { range in
                withUnsafeTemporaryAllocation(of: Float.self, capacity: r * block) { scratch in
                    let wt = scratch.baseAddress!
                    for p0 in stride(from: range.lowerBound, to: range.upperBound, by: block) {
                        let count = min(block, range.upperBound - p0)
                        for j in 0 ..< count { for k in 0 ..< r { wt[k * block + j] = w[(p0 + j) * r + k] } }
                        terms.apply(length: count, source: UnsafePointer(wt), destination: u + p0)
                    }
                }
            }
        }
    }

    /// dW `[Cout, Cin, r]` += Gᵀ dU for dU `[alpha, Cout, Cin]`.
    func addWeightGradient(_ du: UnsafePointer<Float>, to dw: UnsafeMutablePointer<Float>) {
        let (r, alpha, pairs, block) = (t.r, t.alpha, g.cout * g.cin, Self.pairBlock)
        let terms = WinogradTerms(t.filter, rows: r, columns: alpha, transposed: true, source: { $0 * pairs },
                                  destination: { $0 * block })
        Threads.parallelRanges(pairs, grain: 4 * block) { range in
            withUnsafeTemporaryAllocation(of: Float.self, capacity: r * block) { scratch in
                let dwt = scratch.baseAddress!
                for p0 in stride(from: range.lowerBound, to: range.upperBound, by: block) {
                    let count = min(block, range.upperBound - p0)
                    terms.apply(length: count, source: du + p0, destination: dwt)
                    for j in 0 ..< count { for k in 0 ..< r { dw[(p0 + j) * r + k] += dwt[k * block + j] } }
                }
            }
        }
    }

    // MARK: Tile transforms (one row of one sample; the terms carry the row offsets)

    /// `phase[q · phaseLength + u] = x[u·m + q - padding]` (0 outside x) for q < m.
    private func deinterleave(_ x: UnsafePointer<Float>, into phase: UnsafeMutablePointer<Float>) {
        let (m, w, pad) = (t.m, g.w, g.pw)
        for q in 0 ..< m {
            let row = phase + q * phaseLength
            // u·m + q - pad in 0 ..< w  <=>  u in lo ..< hi
            let lo = min(phaseLength, max(0, (pad - q + m - 1) / m))
            let hi = max(lo, min(phaseLength, w - 1 + pad - q < 0 ? 0 : (w - 1 + pad - q) / m + 1))
            row.initialize(repeating: 0, count: lo)
            var src = x + (lo * m + q - pad)
            for u in lo ..< hi { row[u] = src.pointee; src += m }
            (row + hi).initialize(repeating: 0, count: phaseLength - hi)
        }
    }

    /// The V_ξ rows of one input row `x` (length W) at `v` + the terms' destination offsets.
    /// `phase` is scratch of `m · phaseLength` floats.
    func transformInput(_ x: UnsafePointer<Float>, into v: UnsafeMutablePointer<Float>,
                        phase: UnsafeMutablePointer<Float>, terms: WinogradTerms) {
        deinterleave(x, into: phase)
        terms.apply(length: tiles, source: UnsafePointer(phase), destination: v)
    }

    /// One output row `y` (length Lout) from the M_ξ rows at `mRow` + the terms' source
    /// offsets, plus `bias`. `phase` is scratch of `m · tiles` floats.
    func transformOutput(_ mRow: UnsafePointer<Float>, bias: Float, into y: UnsafeMutablePointer<Float>,
                         phase: UnsafeMutablePointer<Float>, terms: WinogradTerms) {
        terms.apply(length: tiles, source: mRow, destination: phase)
        let (m, lout) = (t.m, g.wout)
        for i in 0 ..< min(m, lout) {
            let row = phase + i * tiles
            var out = y + i
            for u in 0 ..< (lout - i + m - 1) / m { out.pointee = row[u] + bias; out += m }
        }
    }

    /// The dM_ξ rows (A dy) of one output-gradient row `dy` (length Lout) at `dm` + the
    /// terms' destination offsets. `phase` is scratch of `m · tiles` floats.
    func transformOutputGradient(_ dy: UnsafePointer<Float>, into dm: UnsafeMutablePointer<Float>,
                                 phase: UnsafeMutablePointer<Float>, terms: WinogradTerms) {
        let (m, lout) = (t.m, g.wout)
        for i in 0 ..< m {
            let row = phase + i * tiles
            let inside = i < lout ? (lout - i + m - 1) / m : 0
            var src = dy + i
            for u in 0 ..< inside { row[u] = src.pointee; src += m }
            (row + inside).initialize(repeating: 0, count: tiles - inside)
        }
        terms.apply(length: tiles, source: UnsafePointer(phase), destination: dm)
    }

    /// One input-gradient row `dx` (length W, overwritten) = B dV from the dV_ξ rows at `dvRow`
    /// + the terms' source offsets. `phase` is scratch of `m · phaseLength` floats.
    func transformInputGradient(_ dvRow: UnsafePointer<Float>, into dx: UnsafeMutablePointer<Float>,
                                phase: UnsafeMutablePointer<Float>, terms: WinogradTerms) {
        let (m, w, pad) = (t.m, g.w, g.pw)
        phase.initialize(repeating: 0, count: m * phaseLength)
        terms.apply(length: tiles, source: dvRow, destination: phase, accumulate: true)
        for q in 0 ..< m {
            let row = phase + q * phaseLength
            // dx[u·m + q - pad] for the u where that position lies in 0 ..< w
            let lo = (pad - q + m - 1) / m
            let first = lo * m + q - pad
            guard first < w else { continue }
            var out = dx + first
            for u in lo ..< lo + (w - first + m - 1) / m { out.pointee = row[u]; out += m }
        }
    }
}

/// The nonzero coefficients of one transform, applied to shifted rows of a source by the C
/// kernel `melcnn_winograd_rows` (AVX-512, AVX2 or portable): output row o is
/// `destination[destinationOffset[o] + i] = Σ c · source[sourceOffset + i]` over its terms.
struct WinogradTerms {
    let rows: Int
    let coef: [Float]
    let sourceOffset: [Int]
    let start: [Int]
    let destinationOffset: [Int]

    /// Row o of `matrix` (`[rows, columns]`, read as `matrix[o, c]`, or `matrix[c, o]` when
    /// `transposed`), with source column c at `source(c)` and output row o at `destination(o)`.
    init(_ matrix: [Float], rows: Int, columns: Int, transposed: Bool = false, source: (Int) -> Int,
         destination: (Int) -> Int) {
        var (coef, offset, start) = ([Float](), [Int](), [0])
        for o in 0 ..< rows {
            for c in 0 ..< columns {
                let v = transposed ? matrix[c * rows + o] : matrix[o * columns + c]
                if v != 0 { coef.append(v); offset.append(source(c)) }
            }
            start.append(coef.count)
        }
        self.rows = rows
        (self.coef, sourceOffset, self.start) = (coef, offset, start)
        destinationOffset = (0 ..< rows).map(destination)
    }

    /// Every output row over `length` floats, written (or added when `accumulate`).
    func apply(length: Int, source: UnsafePointer<Float>, destination: UnsafeMutablePointer<Float>, accumulate: Bool = false) {
        melcnn_winograd_rows(rows, length, source, coef, sourceOffset, start, destination, destinationOffset, accumulate ? 1 : 0)
    }
}
