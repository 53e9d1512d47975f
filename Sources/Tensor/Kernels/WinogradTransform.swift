/// Winograd's minimal filtering algorithm F(m, r) for a 1-D correlation (Lavin & Gray 2016,
/// "Fast Algorithms for Convolutional Neural Networks", sec. 4; Toom-Cook with the point at
/// infinity): for a tile `d` of `alpha = m + r - 1` inputs and a filter `g` of `r` taps,
///
///     y[i] = Σ_k g[k] d[i + k]  (i < m)   ==   y = Aᵀ [(G g) ⊙ (Bᵀ d)]
///
/// so `m` outputs cost `alpha` products instead of `m·r`. Derivation: linear convolution
/// `c = g * h` is `c = C [(G g) ⊙ (H h)]` with G and H evaluating the polynomials at the points
/// (and taking the leading coefficient at infinity) and C interpolating; the correlation is
/// its transpose, `y = Hᵀ diag(G g) Cᵀ d`, so `Aᵀ = Hᵀ` and `Bᵀ = Cᵀ`. The Lagrange
/// denominators are moved from Bᵀ into G, so Bᵀ and Aᵀ hold small integers (and powers of 2).
struct WinogradTransform: Sendable {
    /// Outputs per tile, filter taps, inputs per tile (`m + r - 1`).
    let m, r, alpha: Int
    /// Aᵀ, `[m, alpha]`: tile outputs from the `alpha` products.
    let outputT: [Float]
    /// G, `[alpha, r]`: the transformed filter.
    let filter: [Float]
    /// Bᵀ, `[alpha, alpha]`: the transformed input tile.
    let inputT: [Float]

    /// Finite interpolation points in the order they are taken (small magnitudes first, for
    /// accuracy in Float).
    private static let points: [Double] = [0, 1, -1, 2, -2, 0.5, -0.5]

    /// F(m, r) with `alpha = m + r - 1` at most 8 (the points above plus infinity).
    init(m: Int, r: Int) {
        precondition(m >= 1 && r >= 1 && m + r - 1 <= Self.points.count + 1, "WinogradTransform: unsupported F(\(m), \(r))")
        let alpha = m + r - 1
        let p = Array(Self.points.prefix(alpha - 1))
        func power(_ x: Double, _ e: Int) -> Double { e == 0 ? 1 : (0 ..< e).reduce(1) { acc, _ in acc * x } }
        // Coefficients (ascending powers) of Π_{l in factors} (x - p_l).
        func product(excluding j: Int?) -> [Double] {
            var c = [1.0]
            for l in p.indices where l != j {
                var next = [Double](repeating: 0, count: c.count + 1)
                for (i, v) in c.enumerated() { next[i + 1] += v; next[i] -= p[l] * v }
                c = next
            }
            return c
        }
        var at = [Double](repeating: 0, count: m * alpha)
        var gm = [Double](repeating: 0, count: alpha * r)
        var bt = [Double](repeating: 0, count: alpha * alpha)
        for j in p.indices {
            for i in 0 ..< m { at[i * alpha + j] = power(p[j], i) }
            let f = p.indices.filter { $0 != j }.reduce(1.0) { $0 * (p[j] - p[$1]) }
            for k in 0 ..< r { gm[j * r + k] = power(p[j], k) / f }
            for (i, v) in product(excluding: j).enumerated() { bt[j * alpha + i] = v }
        }
        at[(m - 1) * alpha + alpha - 1] = 1                     // infinity: the leading coefficients
        gm[(alpha - 1) * r + r - 1] = 1
        for (i, v) in product(excluding: nil).enumerated() { bt[(alpha - 1) * alpha + i] = v }
        (self.m, self.r, self.alpha) = (m, r, alpha)
        (outputT, filter, inputT) = (at.map(Float.init), gm.map(Float.init), bt.map(Float.init))
    }

    /// The tile size used for an `r`-tap filter: six products per tile (F(4,3), F(3,4),
    /// F(2,5); F(2,6) needs seven), or nil when Winograd does not pay (1 tap, or more than 6).
    static func outputsPerTile(taps r: Int) -> Int? {
        switch r {
        case 2 ... 5: return 7 - r
        case 6: return 2
        default: return nil
        }
    }
}
