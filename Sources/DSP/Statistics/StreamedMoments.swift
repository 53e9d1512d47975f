import Foundation

/// Mean and population variance (np.mean, np.var) of a series that arrives in pieces, with
/// the arithmetic of `Summary` bit for bit: the float64 sum in arrival order, then the sum of
/// squared deviations from that mean in the same order. The second pass needs every value
/// again, so the values go to a `TemporaryFloats` file (4 bytes each on disk, a fixed
/// buffer in memory) instead of an array.
final class StreamedMoments {
    private let values: TemporaryFloats
    private var sum = 0.0

    init() throws { values = try TemporaryFloats() }

    /// Appends `piece` to the series.
    func append(_ piece: UnsafeBufferPointer<Float>) throws {
        for v in piece { sum += Double(v) }
        try values.append(piece)
    }

    /// Appends `piece` to the series.
    func append(_ piece: [Float]) throws {
        try piece.withUnsafeBufferPointer { try append($0) }
    }

    /// `(Summary(all).mean, Summary(all).variance)`; zeros for an empty series, as there.
    func meanAndVariance() throws -> (mean: Double, variance: Double) {
        let s = try summary()
        return (s.mean, s.variance)
    }

    /// `Summary(all, withMedian: false)`'s mean, variance, skewness and kurtosis with its
    /// arithmetic (one more pass over the values for the central moments); zeros for an
    /// empty series and skewness and kurtosis 0 for a constant one, as there.
    func summary() throws -> (mean: Double, variance: Double, skewness: Double, kurtosis: Double) {
        guard values.count > 0 else { return (0, 0, 0, 0) }
        let n = Double(values.count)
        let mean = sum / n
        var m2 = 0.0, m3 = 0.0, m4 = 0.0
        try values.forEachBlock { block in
            for v in block {
                let d = Double(v) - mean, d2 = d * d
                m2 += d2; m3 += d2 * d; m4 += d2 * d2
            }
        }
        m2 /= n; m3 /= n; m4 /= n
        return (mean, m2, m2 > 0 ? m3 / pow(m2, 1.5) : 0, m2 > 0 ? m4 / (m2 * m2) - 3 : 0)
    }
}
