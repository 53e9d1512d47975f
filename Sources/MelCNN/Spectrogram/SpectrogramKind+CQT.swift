import DSP

/// The constant-Q flags of `melcnn spectrogram` (nil: the kind's librosa default).
public struct CQTSettings: Sendable {
    /// `--tuning`: a fixed offset in fractions of a bin, or estimated from the signal.
    public enum Tuning: Sendable, Equatable {
        case bins(Double)
        case estimate
    }

    public var fmin: Double?
    public var nBins = 84
    public var binsPerOctave: Int?
    public var nOctaves = 7
    public var tuning: Tuning?

    public init(fmin: Double? = nil, nBins: Int = 84, binsPerOctave: Int? = nil, nOctaves: Int = 7, tuning: Tuning? = nil) {
        (self.fmin, self.nBins, self.binsPerOctave, self.nOctaves, self.tuning) = (fmin, nBins, binsPerOctave, nOctaves, tuning)
    }

    func tuningValue(default fallback: Tuning) -> Double? {
        if case .bins(let value) = tuning ?? fallback { return value }
        return nil
    }

    /// librosa.cqt's parameters for the `cqt` kind.
    func cqtParameters(_ s: SpectrogramSettings) -> CQTParameters {
        CQTParameters(sampleRate: Double(s.sampleRate), hopLength: s.stft.hopLength, fmin: fmin, nBins: nBins,
                      binsPerOctave: binsPerOctave ?? 12, tuning: tuningValue(default: .bins(0)), padMode: s.stft.padMode)
    }

    /// The CQT under chroma-cqt and tonnetz (librosa.feature.chroma_cqt's call).
    func chromaCQTParameters(_ s: SpectrogramSettings) -> CQTParameters {
        let bpo = binsPerOctave ?? 36
        return CQTParameters(sampleRate: Double(s.sampleRate), hopLength: s.stft.hopLength, fmin: fmin,
                             nBins: nOctaves * bpo, binsPerOctave: bpo, tuning: tuningValue(default: .estimate),
                             padMode: s.stft.padMode)
    }
}

extension SpectrogramKind {
    static let cqt = SpectrogramKind(name: "cqt", help: "constant-Q magnitude, n_bins bins from C1 (librosa: np.abs(cqt(y)))",
                                     uses: [.cqt], display: .init(axis: .cqtNotes, scale: .amplitudeToDb)) { y, s in
        try cqtMagnitude(y, parameters: s.cqt.cqtParameters(s))
    }

    static let chromaCQT = SpectrogramKind(name: "chroma-cqt", help: "chroma from a 36-per-octave CQT, 12 bins, max 1 per frame (librosa: feature.chroma_cqt)",
                                           uses: [.cqt], display: .init(axis: .chroma, scale: .values(""))) { y, s in
        try chromaFromCQT(y, s)
    }

    static let tonnetz = SpectrogramKind(name: "tonnetz", help: "tonal centroids of chroma-cqt, 6 bins (librosa: feature.tonnetz)",
                                         uses: [.cqt], display: .init(axis: .tonnetz, scale: .values(""))) { y, s in
        DSP.tonnetz(chroma: try chromaFromCQT(y, s))
    }

    private static func chromaFromCQT(_ y: [Float], _ s: SpectrogramSettings) throws -> FeatureMatrix {
        let p = s.cqt.chromaCQTParameters(s)
        return try DSP.chromaCQT(cqtMagnitude: cqtMagnitude(y, parameters: p), binsPerOctave: p.binsPerOctave,
                                 fmin: s.cqt.fmin)
    }

    /// The CQT parameters this kind will use, for validation before decoding.
    func cqtParameters(_ s: SpectrogramSettings) -> CQTParameters {
        name == "cqt" ? s.cqt.cqtParameters(s) : s.cqt.chromaCQTParameters(s)
    }

    /// Throws the DSP error naming the librosa parameter at fault.
    public func validateCQT(_ s: SpectrogramSettings) throws {
        if s.cqt.nOctaves < 1 {
            throw DSPError.invalidParameter(parameter: "n_octaves", value: "\(s.cqt.nOctaves)", reason: "must be a positive integer")
        }
        let p = cqtParameters(s)
        try p.validate()
        if name != "cqt", p.binsPerOctave % 12 != 0 {
            throw DSPError.invalidParameter(parameter: "bins_per_octave", value: "\(p.binsPerOctave)",
                                            reason: "must be a multiple of n_chroma = 12")
        }
    }

    /// The constant-Q parameters written as attributes of the output.
    public func cqtAttributes(_ s: SpectrogramSettings) -> [(String, FeatureMatrixWriter.Attribute)] {
        let p = cqtParameters(s)
        var a: [(String, FeatureMatrixWriter.Attribute)] = [
            ("fmin", .double(p.fmin ?? noteC1Hz)), ("n_bins", .int(p.nBins)), ("bins_per_octave", .int(p.binsPerOctave)),
            ("tuning", p.tuning.map { .double($0) } ?? .string("estimated")), ("filter_scale", .double(p.filterScale)),
            ("norm", .int(1)), ("sparsity", .double(p.sparsity)), ("window", .string(p.window.rawValue)),
            ("scale", .int(p.scale ? 1 : 0)), ("res_type", .string(p.resType.rawValue)),
        ]
        if name != "cqt" { a += [("n_chroma", .int(12)), ("n_octaves", .int(s.cqt.nOctaves)), ("chroma_norm", .string("inf"))] }
        return a
    }
}
