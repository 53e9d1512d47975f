import Audio

/// A frame-wise transform (`[frames x bins]`, one row per centred STFT frame: mel, STFT
/// magnitude, ...) of a signal that arrives in pieces. `StreamingFrames` hands out runs of
/// centred frames as uncentred segments and `transform` runs on each, so the rows are the
/// one-shot rows bit for bit; memory is one run of frames plus the output itself.
///
/// ```swift
/// var rows = try StreamingFrameRows(parameters: extractor.stft, bins: extractor.nMels) { p in
///     let e = try MelSpectrogramExtractor(stft: p, mel: extractor.filterbank.parameters)
///     return { try e.melSpectrogram($0) }
/// }
/// try rows.push(block)            // any number of pieces
/// let mel = try rows.finish()     // == extractor.melSpectrogram(wholeSignal)
/// ```
public struct StreamingFrameRows {
    public let bins: Int
    private var frames: StreamingFrames
    private let transform: ([Float]) throws -> FeatureMatrix
    /// Rows so far, `[frames x bins]` row-major.
    private var rows: [Float] = []

    /// Rows of `bins` values per frame of centred `parameters`. `makeTransform` receives the
    /// uncentred parameters and returns the transform to run on each segment of samples.
    /// `expectedFrames`, when known, reserves the output once instead of growing it.
    public init(parameters: STFTParameters, bins: Int, expectedFrames: Int? = nil,
                _ makeTransform: (STFTParameters) throws -> ([Float]) throws -> FeatureMatrix) throws {
        guard parameters.center else {
            throw DSPError.invalidParameter(parameter: "center", value: "false", reason: "streaming needs centred frames")
        }
        self.bins = bins
        frames = try StreamingFrames(parameters: parameters)
        transform = try makeTransform(frames.uncentred)
        if let expectedFrames { rows.reserveCapacity(max(0, expectedFrames) * bins) }
    }

    /// Adds consecutive samples.
    public mutating func push(_ samples: UnsafeBufferPointer<Float>) throws {
        var rows = self.rows
        self.rows = []
        defer { self.rows = rows }
        let transform = self.transform
        try frames.push(samples) { _, _, segment in rows += try transform(segment).data }
    }

    /// The rows of everything pushed, `[frames x bins]`.
    public mutating func finish() throws -> FeatureMatrix {
        var rows = self.rows
        self.rows = []
        let transform = self.transform
        try frames.finish { _, _, segment in rows += try transform(segment).data }
        return FeatureMatrix(frames: rows.count / bins, bins: bins, data: rows)
    }

    /// The rows of the file at `path` streamed mono at `sampleRate` (`AudioFile.stream`): the
    /// rows of `AudioFile.load(path, sampleRate:).samples`, with peak memory a constant plus
    /// the result.
    public static func file(_ path: String, sampleRate: Int, parameters: STFTParameters, bins: Int,
                            _ makeTransform: (STFTParameters) throws -> ([Float]) throws -> FeatureMatrix) throws -> FeatureMatrix {
        let info = try AudioFile.info(path)
        // An estimate only (compressed formats' counts are approximate), capped so that a
        // damaged header cannot reserve gigabytes up front.
        let headerFrames = Double(info.frames ?? 0), fileRate = Double(info.sampleRate)
        let estimate: Double = headerFrames > 0 && fileRate > 0
            ? headerFrames * Double(sampleRate) / fileRate / Double(parameters.hopLength) + 1 : 0
        var rows = try StreamingFrameRows(parameters: parameters, bins: bins,
                                          expectedFrames: Int(min(estimate, Double(1 << 26) / Double(max(1, bins)))),
                                          makeTransform)
        try AudioFile.stream(path, sampleRate: sampleRate) { try rows.push($0) }
        return try rows.finish()
    }
}

extension MelSpectrogramExtractor {
    /// `melSpectrogram(AudioFile.load(path, sampleRate:).samples)` without holding the signal
    /// (`StreamingFrameRows.file`): same values bit for bit, memory a constant plus the result.
    public func melSpectrogram(file path: String, sampleRate: Int) throws -> FeatureMatrix {
        try StreamingFrameRows.file(path, sampleRate: sampleRate, parameters: stft, bins: nMels) { uncentred in
            let segment = try MelSpectrogramExtractor(stft: uncentred, mel: filterbank.parameters, power: power)
            return { try segment.melSpectrogram($0) }
        }
    }

    /// `logMelSpectrogram(AudioFile.load(path, sampleRate:).samples, ...)` streamed: the mel
    /// power rows are kept, then converted to dB in place (`topDB` is relative to the maximum
    /// over the whole file, so it needs them all). Peak memory: a constant plus the
    /// `[frames x nMels]` result.
    public func logMelSpectrogram(file path: String, sampleRate: Int, ref: DecibelReference = .value(1),
                                  amin: Float = 1e-10, topDB: Float? = 80) throws -> FeatureMatrix {
        var out = try melSpectrogram(file: path, sampleRate: sampleRate)
        try powerToDb(inPlace: &out.data, ref: ref, amin: amin, topDB: topDB)
        return out
    }
}
