// The GTZAN feature row of a signal too long to hold: the same numbers as `GTZANFeatures.compute`,
// from two streamed reads of the signal, with memory that does not grow with its length apart
// from the onset envelope (one float per frame).

extension GTZANFeatures {
    /// Reads a signal: calls `consume` with its consecutive pieces, the same samples every time.
    public typealias SignalSource = (_ consume: (UnsafeBufferPointer<Float>) throws -> Void) throws -> Void

    /// `compute(y, sampleRate:)` (the `columns` row, bit for bit) of the signal `read` delivers,
    /// without holding it, with the number of samples. `read` is called twice: three of the
    /// features need a value of the whole signal first. The first read gives the frame-wise
    /// features, the harmonic and percussive waveforms (`StreamingHPSS`), the tuning of the
    /// chroma (`StreamingTuning`) and the largest log-mel value (top_db's reference); the
    /// second gives the chroma, the MFCCs and the onset envelope of the beat tracker. Means and
    /// variances come from `StreamedMoments` (values in temporary files, about 8 bytes per
    /// sample and 150 per frame on disk); the peak memory is a constant (a few MB) plus
    /// 4 bytes per frame. Throws when the second read delivers a different number of samples.
    ///
    /// `extended`: the `extendedColumns` too (`compute(y, extended: true)`, bit for bit): spectral
    /// contrast and flatness in the same two reads (contrast's top_db reference comes from the
    /// first), the onset rate from a second envelope, skewness and kurtosis from the spilled
    /// values, and chroma CQT / tonnetz from a third read through `StreamingCQT` (`ExtendedTail`).
    public static func compute(reading read: SignalSource, sampleRate: Double = 22050,
                               extended: Bool = false) throws -> (row: [Double], samples: Int) {
        let parameters = STFTParameters()
        let filterbank = try MelFilterbank(parameters: MelParameters(sampleRate: sampleRate), nFFT: parameters.nFFT)
        let contrastBands = extended ? try SpectralContrastBands(bins: parameters.nFFT / 2 + 1, sampleRate: sampleRate,
                                                                 fmin: 200, nBands: 6, quantile: 0.02) : nil
        let first = try firstRead(read, parameters: parameters, filterbank: filterbank, sampleRate: sampleRate,
                                  contrastBands: contrastBands)
        let second = try secondRead(read, parameters: parameters, filterbank: filterbank, sampleRate: sampleRate,
                                    tuning: try first.tuning.tuning(), floor: first.peak - 80,
                                    contrast: first.extended.map { ($0.bands, $0.contrastTops) })
        guard second.samples == first.samples else {
            throw DSPError.invalidInput("the signal changed between two reads (\(first.samples) then \(second.samples) samples)")
        }
        let series = [second.chroma] + first.series
        var row: [Double] = []
        for s in series {
            let (mean, variance) = try s.meanAndVariance()
            row += [mean, variance]
        }
        let beats = beatTrack(envelope: second.envelope, sampleRate: sampleRate)
        row.append(beats.tempo)
        for s in second.mfccs {
            let (mean, variance) = try s.meanAndVariance()
            row += [mean, variance]
        }
        guard let extras = first.extended else { return (row, first.samples) }
        let tail = try ExtendedTail(read, samples: first.samples, sampleRate: sampleRate,
                                    tuning: try extras.cqtTuning.tuning(binsPerOctave: ExtendedTail.binsPerOctave))
        for s in second.contrast {
            let (mean, variance) = try s.meanAndVariance()
            row += [mean, variance]
        }
        row += tail.meansAndVariances
        let (flatMean, flatVariance) = try extras.flatness.meanAndVariance()
        row += [flatMean, flatVariance]
        let onsets = onsetDetect(envelope: second.meanEnvelope, sampleRate: sampleRate)
        row.append(Double(onsets.count) / (Double(first.samples) / sampleRate))
        row.append(Double(beats.beats.count))
        for s in series + second.mfccs + second.contrast {
            let summary = try s.summary()
            row += [summary.skewness, summary.kurtosis]
        }
        row += tail.skewnessesAndKurtoses
        return (row, first.samples)
    }

    /// What the first read yields: rms, centroid, bandwidth, rolloff, zcr, harmonic, percussive
    /// (in `columns` order), the tuning candidates and the largest unclipped log-mel value;
    /// with contrast bands also the flatness series and the largest peak and valley dB values.
    private struct FirstRead {
        var series: [StreamedMoments]
        var tuning: StreamingTuning
        var peak: Float
        var samples: Int
        /// With contrast bands (an extended row): what the first read adds for it.
        var extended: ExtendedFirstRead?
    }

    /// The first read's part of an extended row: the flatness series, the largest peak and
    /// valley dB values of spectral contrast, and the candidates of chroma CQT's tuning
    /// estimate (from `|stft|`, not its square).
    private final class ExtendedFirstRead {
        let bands: SpectralContrastBands
        let flatness: StreamedMoments
        let cqtTuning: StreamingTuning
        var contrastTops = (peak: -Double.infinity, valley: -Double.infinity)

        init(bands: SpectralContrastBands, sampleRate: Double) throws {
            self.bands = bands
            flatness = try StreamedMoments()
            cqtTuning = try StreamingTuning(sampleRate: sampleRate)
        }

        /// Adds the frames of `magnitude` (`[frames x bins]`, the next frames in order).
        func add(_ magnitude: FeatureMatrix) throws {
            try flatness.append(spectralFlatness(magnitude: magnitude))
            try cqtTuning.add(power: magnitude)
            // power_to_db's top_db reference of the peak and valley matrices: their largest dB value.
            let (peaks, valleys) = bands.peaksAndValleys(magnitude)
            for p in peaks { contrastTops.peak = max(contrastTops.peak, decibelsDouble(p)) }
            for v in valleys { contrastTops.valley = max(contrastTops.valley, decibelsDouble(v)) }
        }
    }

    private static func firstRead(_ read: SignalSource, parameters: STFTParameters, filterbank: MelFilterbank,
                                  sampleRate: Double, contrastBands: SpectralContrastBands?) throws -> FirstRead {
        let energy = try StreamedMoments(), centroid = try StreamedMoments(), bandwidth = try StreamedMoments()
        let rolloff = try StreamedMoments(), zcr = try StreamedMoments()
        let harmonic = try StreamedMoments(), percussive = try StreamedMoments()
        let tuning = try StreamingTuning(sampleRate: sampleRate)
        var peak = -Float.infinity
        var framer = try StreamingFrames(parameters: parameters)
        let uncentred = framer.uncentred
        var hpss = try StreamingHPSS(parameters: parameters)
        var timeDomain = StreamingTimeDomainFeatures()
        let extended = try contrastBands.map { try ExtendedFirstRead(bands: $0, sampleRate: sampleRate) }
        func run(_ firstFrame: Int, _ count: Int, _ segment: [Float]) throws {
            let D = try stft(segment, parameters: uncentred)
            let magnitude = D.magnitude()
            try extended?.add(magnitude)
            let c = spectralCentroid(magnitude: magnitude, sampleRate: sampleRate)
            try centroid.append(c)
            try bandwidth.append(spectralBandwidth(magnitude: magnitude, sampleRate: sampleRate, centroid: c))
            try rolloff.append(spectralRolloff(magnitude: magnitude, sampleRate: sampleRate))
            let power = squared(magnitude)
            try tuning.add(power: power)
            var logMel = try filterbank.apply(power)
            try powerToDb(inPlace: &logMel.data, topDB: nil)
            for v in logMel.data { peak = max(peak, v) }
            try hpss.push(stft: D, magnitude: magnitude, harmonicOut: { try harmonic.append($0) },
                          percussiveOut: { try percussive.append($0) })
        }
        func frameWise(_ r: [Float], _ z: [Float]) throws { try energy.append(r); try zcr.append(z) }
        try read { block in
            try framer.push(block, run)
            try timeDomain.push(block, frameWise)
        }
        guard framer.sampleCount > 0 else { throw DSPError.invalidInput("GTZAN features need at least one sample") }
        try framer.finish(run)
        try timeDomain.finish(frameWise)
        try hpss.finish(length: framer.sampleCount, harmonicOut: { try harmonic.append($0) }, percussiveOut: { try percussive.append($0) })
        return FirstRead(series: [energy, centroid, bandwidth, rolloff, zcr, harmonic, percussive],
                         tuning: tuning, peak: peak, samples: framer.sampleCount, extended: extended)
    }

    /// What the second read yields: the chroma, the 20 MFCC series and the onset envelope
    /// (median over mels, the beat tracker's); with contrast bands also the contrast series
    /// and the mean-aggregated envelope of the onset detector.
    private struct SecondRead {
        var chroma: StreamedMoments
        var mfccs: [StreamedMoments]
        var envelope: [Float]
        var samples: Int
        var contrast: [StreamedMoments] = []
        var meanEnvelope: [Float] = []
    }

    private static func secondRead(_ read: SignalSource, parameters: STFTParameters, filterbank: MelFilterbank,
                                   sampleRate: Double, tuning: Double, floor: Float,
                                   contrast: (bands: SpectralContrastBands, tops: (peak: Double, valley: Double))?) throws -> SecondRead {
        let chroma = try StreamedMoments()
        let mfccs = try (0 ..< 20).map { _ in try StreamedMoments() }
        let contrastSeries = try (0 ..< (contrast?.bands.rows ?? 0)).map { _ in try StreamedMoments() }
        var differences: [Float] = [], meanDifferences: [Float] = []
        var previous: [Float] = []
        var framer = try StreamingFrames(parameters: parameters)
        let uncentred = framer.uncentred
        func run(_ firstFrame: Int, _ count: Int, _ segment: [Float]) throws {
            let magnitude = try stft(segment, parameters: uncentred).magnitude()
            if let contrast {
                try appendContrast(magnitude, bands: contrast.bands, tops: contrast.tops, to: contrastSeries)
            }
            let power = squared(magnitude)
            try chroma.append(chromaSTFT(power: power, sampleRate: sampleRate, tuning: tuning).data)
            var logMel = try filterbank.apply(power)
            try powerToDb(inPlace: &logMel.data, topDB: nil)
            for i in logMel.data.indices { logMel.data[i] = max(logMel.data[i], floor) }
            let coefficients = try mfcc(logMel: logMel, nMFCC: 20)
            for k in 0 ..< 20 {
                try mfccs[k].append((0 ..< count).map { coefficients.data[$0 * 20 + k] })
            }
            // The envelope's differences pair each frame with the one before, across runs too.
            let joined = FeatureMatrix(frames: previous.count / logMel.bins + count, bins: logMel.bins,
                                       data: previous + logMel.data)
            differences += onsetDifferences(joined, lag: 1, aggregate: .median)
            if contrast != nil { meanDifferences += onsetDifferences(joined, lag: 1, aggregate: .mean) }
            previous = Array(logMel.frame(count - 1))
        }
        try read { try framer.push($0, run) }
        try framer.finish(run)
        // onsetStrength's centring: lag + nFFT / (2 hop) leading zeros, cut to the frame count.
        let pad = 1 + parameters.nFFT / (2 * parameters.hopLength)
        func envelope(_ differences: [Float]) -> [Float] {
            Array(([Float](repeating: 0, count: pad) + differences).prefix(framer.frameCount))
        }
        return SecondRead(chroma: chroma, mfccs: mfccs, envelope: envelope(differences), samples: framer.sampleCount,
                          contrast: contrastSeries, meanEnvelope: contrast == nil ? [] : envelope(meanDifferences))
    }

    /// Appends the contrast of each frame of `magnitude` to the band series: `spectralContrast`'s
    /// arithmetic, each dB value floored at its matrix's top (`tops`, from the first read) - 80.
    private static func appendContrast(_ magnitude: FeatureMatrix, bands: SpectralContrastBands,
                                       tops: (peak: Double, valley: Double), to series: [StreamedMoments]) throws {
        let (peaks, valleys) = bands.peaksAndValleys(magnitude)
        let rows = bands.rows
        var band = [Float](repeating: 0, count: magnitude.frames)
        for k in 0 ..< rows {
            for t in 0 ..< magnitude.frames {
                let p = max(decibelsDouble(peaks[t * rows + k]), tops.peak - 80)
                let v = max(decibelsDouble(valleys[t * rows + k]), tops.valley - 80)
                band[t] = Float(p - v)
            }
            try series[k].append(band)
        }
    }

    /// `magnitude^2` element-wise (the power matrix of `powerFeatures`).
    private static func squared(_ magnitude: FeatureMatrix) -> FeatureMatrix {
        var power = magnitude
        power.data.withUnsafeMutableBufferPointer { p in for i in p.indices { p[i] *= p[i] } }
        return power
    }
}
