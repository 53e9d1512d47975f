import Foundation

// Statistical summaries of features along time (numpy / scipy.stats conventions).

/// Summary statistics of one series: population variance (ddof 0, np.var), biased skewness
/// (scipy.stats.skew) and Fisher excess kurtosis (scipy.stats.kurtosis, biased), np.median.
public struct Summary: Equatable, Sendable {
    public var mean: Double
    public var variance: Double
    public var std: Double { variance.squareRoot() }
    public var skewness: Double
    public var kurtosis: Double
    public var min: Double
    public var max: Double
    public var median: Double

    /// Statistics of `values` (all zero for an empty series; skewness and kurtosis 0 for a constant one,
    /// where scipy returns nan). `withMedian: false` skips the median (a sort; reported as nan).
    public init<C: Collection>(_ values: C, withMedian: Bool = true) where C.Element: BinaryFloatingPoint {
        let n = Double(values.count)
        guard values.count > 0 else {
            mean = 0; variance = 0; skewness = 0; kurtosis = 0; min = 0; max = 0; median = 0
            return
        }
        var sum = 0.0, lo = Double.infinity, hi = -Double.infinity
        for v in values { let d = Double(v); sum += d; lo = Swift.min(lo, d); hi = Swift.max(hi, d) }
        let m = sum / n
        var m2 = 0.0, m3 = 0.0, m4 = 0.0
        for v in values {
            let d = Double(v) - m, d2 = d * d
            m2 += d2; m3 += d2 * d; m4 += d2 * d2
        }
        m2 /= n; m3 /= n; m4 /= n
        mean = m
        variance = m2
        skewness = m2 > 0 ? m3 / pow(m2, 1.5) : 0
        kurtosis = m2 > 0 ? m4 / (m2 * m2) - 3 : 0
        min = lo
        max = hi
        guard withMedian else { median = .nan; return }
        var sorted = values.map { Double($0) }
        sorted.sort()
        let c = sorted.count
        median = c % 2 == 1 ? sorted[c / 2] : (sorted[c / 2 - 1] + sorted[c / 2]) / 2
    }
}

extension FeatureMatrix {
    /// Summary of every bin along time: `bins` summaries (librosa users' `np.mean(X, axis=1)` etc.).
    public func summaryPerBin() -> [Summary] {
        (0 ..< bins).map { b in Summary((0 ..< frames).lazy.map { self.data[$0 * self.bins + b] }) }
    }

    /// Summary of all values of the matrix together (the GTZAN CSV's `chroma_stft_mean` convention).
    public func summaryOfAll() -> Summary { Summary(data) }
}
