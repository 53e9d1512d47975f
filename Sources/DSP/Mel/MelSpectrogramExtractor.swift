/// A reusable mel-spectrogram pipeline: STFT parameters, the padded window and
/// the mel filterbank built once, then applied to any number of signals.
///
/// Immutable and `Sendable`: one extractor may be used from many threads at once
/// (each call allocates its own FFT buffers; FFTW plans are shared through
/// ``FFTPlanCache``). Per batch of frames it runs window -> FFT -> `|X|^power`
/// -> sparse mel projection without materialising the linear spectrogram.
///
/// ```swift
/// let extractor = try MelSpectrogramExtractor(sampleRate: 22050, nFFT: 2048, hopLength: 512, nMels: 128)
/// let logMel = try extractor.logMelSpectrogram(samples)   // [frames x 128], dB, top_db 80
/// ```
public struct MelSpectrogramExtractor: Sendable {
    /// STFT parameters.
    public let stft: STFTParameters
    /// The mel filterbank (its `parameters` hold the sample rate, band count and range).
    public let filterbank: MelFilterbank
    /// Exponent of the magnitude before the mel projection (2: power, 1: magnitude).
    public let power: Float
    let engine: FrameSpectra

    /// An extractor from full parameter sets. Throws on any invalid parameter.
    public init(stft: STFTParameters = .init(), mel: MelParameters = .init(), power: Float = 2) throws {
        guard power > 0, power.isFinite else {
            throw DSPError.invalidParameter(parameter: "power", value: "\(power)", reason: "must be a positive number")
        }
        self.stft = stft
        self.engine = try FrameSpectra(parameters: stft)
        self.filterbank = try MelFilterbank.cached(parameters: mel, nFFT: stft.nFFT)
        self.power = power
    }

    /// An extractor with librosa `melspectrogram`'s parameter names and defaults.
    public init(sampleRate: Double = 22050, nFFT: Int = 2048, hopLength: Int? = nil, nMels: Int = 128,
                fmin: Double = 0, fmax: Double? = nil, power: Float = 2, padMode: PadMode = .constant,
                scale: MelScale = .slaney, norm: MelNorm = .slaney) throws {
        try self.init(stft: STFTParameters(nFFT: nFFT, hopLength: hopLength, padMode: padMode),
                      mel: MelParameters(sampleRate: sampleRate, nMels: nMels, fmin: fmin, fmax: fmax, scale: scale, norm: norm),
                      power: power)
    }

    /// Sample rate the filterbank was built for.
    public var sampleRate: Double { filterbank.parameters.sampleRate }
    /// Number of mel bands (columns of the output).
    public var nMels: Int { filterbank.nMels }
    /// librosa's empty-filter warning if some mel bands are empty, else no entries.
    public var warnings: [String] { filterbank.warnings }

    /// Number of frames the output has for a signal of `length` samples.
    public func frameCount(length: Int) throws -> Int { try stft.frameCount(length: length) }

    /// Mel spectrogram of `y` (librosa `feature.melspectrogram`), `[frames x nMels]`.
    public func melSpectrogram(_ y: [Float]) throws -> FeatureMatrix {
        let frames = try stft.frameCount(length: y.count)
        let bins = stft.bins, nMels = filterbank.nMels, power = self.power
        var out = [Float](repeating: 0, count: frames * nMels)
        if power == 2, try melSpectrogram16(y, into: &out) { return FeatureMatrix(frames: frames, bins: nMels, data: out) }
        var rows = [Float](repeating: 0, count: 4 * bins)
        try out.withUnsafeMutableBufferPointer { dst in
            try rows.withUnsafeMutableBufferPointer { r in
                let r = r.baseAddress!
                _ = try engine.run(y) { first, count, spectra, stride in
                    var k = 0
                    while k + 4 <= count { // four frames per pass over the filter weights
                        for f in 0 ..< 4 {
                            Kernels.powerOfComplex(spectra + (k + f) * stride, into: r + f * bins, bins, power: power)
                        }
                        filterbank.apply4(rows: r, rowStride: bins, into: dst.baseAddress! + (first + k) * nMels, outStride: nMels)
                        k += 4
                    }
                    while k < count {
                        Kernels.powerOfComplex(spectra + k * stride, into: r, bins, power: power)
                        filterbank.apply(row: r, into: dst.baseAddress! + (first + k) * nMels)
                        k += 1
                    }
                }
            }
        }
        return FeatureMatrix(frames: frames, bins: nMels, data: out)
    }

    /// The power-2 mel spectrogram through melcnn's AVX-512 frame transform (16 frames per
    /// call, the sparse mel product on the 16 spectra at once); false (nothing written) where
    /// that transform is not available.
    func melSpectrogram16(_ y: [Float], into out: inout [Float]) throws -> Bool {
        let nMels = filterbank.nMels
        let done = try out.withUnsafeMutableBufferPointer { dst in
            try engine.runPower16(y) { first, count, power in
                filterbank.apply16(power: power, into: dst.baseAddress! + first * nMels, outStride: nMels, count: count)
            }
        }
        return done != nil
    }

    /// `powerToDb(melSpectrogram(y))` with librosa's defaults (`ref = 1`, `amin = 1e-10`,
    /// `topDB = 80`): the log-mel input of the network, `[frames x nMels]`.
    public func logMelSpectrogram(_ y: [Float], ref: DecibelReference = .value(1), amin: Float = 1e-10,
                                  topDB: Float? = 80) throws -> FeatureMatrix {
        var mel = try melSpectrogram(y)
        try powerToDb(inPlace: &mel.data, ref: ref, amin: amin, topDB: topDB)
        return mel
    }
}
