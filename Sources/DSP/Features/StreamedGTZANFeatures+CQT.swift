// The chroma CQT and tonnetz columns of the streamed extended GTZAN row.

extension GTZANFeatures {
    /// `chroma_cqt` (all values) and the six tonnetz dimensions of `compute(y, extended: true)`:
    /// their means and variances, then their skewnesses and kurtoses, in `extendedColumns` order.
    /// A third read of the signal goes through `StreamingCQT` (chroma_cqt's transform: 7 octaves
    /// of 36 bins from C1, the tuning estimated from the first read's `|stft|`); each run of
    /// frames becomes chroma (librosa.feature.chroma_cqt) and tonnetz (librosa.feature.tonnetz,
    /// which recomputes that same chroma), spilled to `StreamedMoments`.
    struct ExtendedTail {
        static let binsPerOctave = 36
        var meansAndVariances: [Double] = []
        var skewnessesAndKurtoses: [Double] = []

        init(_ read: SignalSource, samples: Int, sampleRate: Double, tuning: Double) throws {
            let bpo = Self.binsPerOctave
            let transform = try StreamingCQT(parameters: CQTParameters(sampleRate: sampleRate, nBins: 7 * bpo, binsPerOctave: bpo),
                                             tuning: tuning)
            let chroma = try StreamedMoments()
            let tonal = try (0 ..< 6).map { _ in try StreamedMoments() }
            func add(_ block: ComplexSpectrogram) throws {
                let c = try chromaCQT(cqtMagnitude: block.magnitude(), binsPerOctave: bpo)
                try chroma.append(c.data)
                let t = tonnetz(chroma: c).transposed()
                for d in 0 ..< 6 { try tonal[d].append(Array(t.frame(d))) }
            }
            var count = 0
            try read { piece in
                count += piece.count
                try transform.push(piece, add)
            }
            guard count == samples else {
                throw DSPError.invalidInput("the signal changed between reads (\(samples) then \(count) samples)")
            }
            try transform.finish(add)
            for s in [chroma] + tonal {
                let summary = try s.summary()
                meansAndVariances += [summary.mean, summary.variance]
                skewnessesAndKurtoses += [summary.skewness, summary.kurtosis]
            }
        }
    }
}
