import DSP

/// The DSP parameters of one `melcnn spectrogram` run, resolved from its flags.
public struct SpectrogramSettings: Sendable {
    /// Sample rate, STFT, mel filterbank and `top_db` (power 2 for the mel kinds).
    public var logMel: LogMelParameters
    /// Number of MFCCs (`--n-mfcc`).
    public var nMFCC: Int
    /// Parameters of the constant-Q kinds (cqt, chroma-cqt, tonnetz).
    public var cqt = CQTSettings()

    public init(logMel: LogMelParameters, nMFCC: Int, cqt: CQTSettings = CQTSettings()) {
        (self.logMel, self.nMFCC, self.cqt) = (logMel, nMFCC, cqt)
    }

    /// `logMel.sampleRate`, in Hz.
    public var sampleRate: Int { logMel.sampleRate }
    /// The STFT part of `logMel`.
    public var stft: STFTParameters { logMel.stft }
    /// The mel filterbank part of `logMel`.
    public var mel: MelParameters { logMel.mel }
    /// `logMel.topDB`: dB below the peak kept by the dB kinds; nil: no clipping.
    public var topDB: Float? { logMel.topDB }
}

/// One `--kind` of `melcnn spectrogram`: its name, a line of help, which parameter
/// groups it uses (written as attributes) and how it is computed from samples.
///
/// To add a kind: declare a `static let` like those below (in any file) and list it
/// in ``all``. The command, its help text and the output attributes follow.
public struct SpectrogramKind: Sendable {
    /// Parameter groups whose values are written as attributes of the output.
    public enum Uses: Sendable { case stft, mel, decibels, mfcc, cqt }

    public let name: String
    public let help: String
    public let uses: Set<Uses>
    /// How `spectrogram --out x.png|svg` draws it (row axis and value scale).
    public var display = SpectrogramDisplay(axis: .index("bin"), scale: .values(""))
    public let compute: @Sendable (_ samples: [Float], _ settings: SpectrogramSettings) throws -> FeatureMatrix

    /// Every kind `--kind` accepts, in the order the help lists them.
    public static let all: [SpectrogramKind] = [.stft, .mel, .dbMel, .mfcc, .cqt, .chromaCQT, .tonnetz] + featureKinds

    public static func named(_ name: String) -> SpectrogramKind? { all.first { $0.name == name } }

    /// Mel filterbank warnings (librosa's empty-filter text) for the kinds that use one.
    public func warnings(_ settings: SpectrogramSettings) -> [String] {
        guard uses.contains(.mel) else { return [] }
        return (try? MelFilterbank(parameters: settings.mel, nFFT: settings.stft.nFFT).warnings) ?? []
    }
}

extension SpectrogramKind {
    static let stft = SpectrogramKind(name: "stft", help: "STFT magnitude |X|, n_fft/2+1 bins (librosa: np.abs(stft(y)))",
                                      uses: [.stft], display: .init(axis: .linearHz, scale: .amplitudeToDb)) { y, s in
        try spectrogram(y, parameters: s.stft, power: 1)
    }

    static let mel = SpectrogramKind(name: "mel", help: "mel power spectrogram, n_mels bins (librosa: feature.melspectrogram)",
                                     uses: [.stft, .mel], display: .init(axis: .mel, scale: .powerToDb)) { y, s in
        try MelSpectrogramExtractor(s.logMel).melSpectrogram(y)
    }

    static let dbMel = SpectrogramKind(name: "db-mel", help: "log-mel in dB, ref 1, top_db (librosa: power_to_db(melspectrogram))",
                                       uses: [.stft, .mel, .decibels], display: .init(axis: .mel, scale: .values("dB"))) { y, s in
        try MelSpectrogramExtractor(s.logMel).logMelSpectrogram(y, topDB: s.topDB)
    }

    static let mfcc = SpectrogramKind(name: "mfcc", help: "MFCC, n_mfcc bins (librosa: feature.mfcc)",
                                      uses: [.stft, .mel, .decibels, .mfcc], display: .init(axis: .index("MFCC"), scale: .values(""))) { y, s in
        let logMel = try MelSpectrogramExtractor(s.logMel).logMelSpectrogram(y, topDB: s.topDB)
        return try DSP.mfcc(logMel: logMel, nMFCC: s.nMFCC)
    }
}
