// The chroma CQT and tonnetz columns of the streamed extended GTZAN row.

extension GTZANFeatures {
    /// `chroma_cqt` (all values) and the six tonnetz dimensions of `compute(y, extended: true)`:
    /// their means and variances, then their skewnesses and kurtoses, in `extendedColumns` order.
    ///
    /// The one part of the streamed extended row that still holds the signal: librosa's CQT
    /// resamples the whole signal octave by octave, and a streamed form equal to it bit for bit
    /// (chained streaming resamplers, per-octave centred frames, a streamed tuning estimate of
    /// `|stft|`) is not written yet. A third read loads the signal (4 bytes per sample) for it.
    struct ExtendedTail {
        var meansAndVariances: [Double] = []
        var skewnessesAndKurtoses: [Double] = []

        init(_ read: SignalSource, samples: Int, sampleRate: Double) throws {
            var y: [Float] = []
            y.reserveCapacity(samples)
            try read { y.append(contentsOf: $0) }
            guard y.count == samples else {
                throw DSPError.invalidInput("the signal changed between reads (\(samples) then \(y.count) samples)")
            }
            // librosa.feature.chroma_cqt and librosa.feature.tonnetz (which recomputes that same chroma)
            let chroma = try chromaCQT(y, sampleRate: sampleRate)
            y = []
            let tonal = tonnetz(chroma: chroma).transposed()
            for values in [chroma.data] + (0 ..< tonal.frames).map({ Array(tonal.frame($0)) }) {
                let s = Summary(values, withMedian: false)
                meansAndVariances += [s.mean, s.variance]
                skewnessesAndKurtoses += [s.skewness, s.kurtosis]
            }
        }
    }
}
