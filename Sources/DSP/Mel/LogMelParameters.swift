/// Every setting of the log-mel front end, librosa's names and 0.11 defaults:
/// `power_to_db(melspectrogram(y=load(path, sr=sampleRate), n_fft=nFFT, hop_length=hopLength,
/// win_length=winLength, window=window, center=center, pad_mode=padMode, power=power,
/// n_mels=nMels, fmin=fmin, fmax=fmax, htk=htk, norm=norm), ref=1.0, amin=1e-10, top_db=topDB)`.
///
/// The one description of a log-mel spectrogram that configs (`data:`), `dataset.h5` and
/// checkpoint attributes, the extractor and `melcnn spectrogram` share. `Codable` with
/// librosa's snake-case keys (`sample_rate`, `n_fft`, ..., `top_db`); integers encode as
/// integers, and `nil` optionals (`fmax`, `win_length`, `top_db`) are left out.
///
/// ```swift
/// var p = LogMelParameters()          // 22050 Hz, n_fft 2048, hop 512, 128 mels, top_db 80
/// p.nMels = 96
/// let logMel = try MelSpectrogramExtractor(p).logMelSpectrogram(file: "a.wav", sampleRate: p.sampleRate, topDB: p.topDB)
/// ```
public struct LogMelParameters: Codable, Equatable, Sendable {
    /// Sample rate the audio is resampled to, in Hz.
    public var sampleRate: Int = 22050
    /// FFT size in samples; the spectrum has `nFFT / 2 + 1` bins.
    public var nFFT: Int = 2048
    /// Samples between successive frames (512 at 22050 Hz: 23.2 ms).
    public var hopLength: Int = 512
    /// Window length in samples (`<= nFFT`); nil means `nFFT`.
    public var winLength: Int? = nil
    /// Analysis window (periodic).
    public var window: WindowKind = .hann
    /// Centre frame `t` on sample `t * hopLength`, padding `nFFT / 2` samples on both sides.
    public var center: Bool = true
    /// How the signal is padded when `center` is true.
    public var padMode: PadMode = .constant
    /// Number of mel bands (columns of the log-mel matrix).
    public var nMels: Int = 128
    /// Lowest mel band edge in Hz.
    public var fmin: Double = 0
    /// Highest mel band edge in Hz; nil means `sampleRate / 2` (librosa's `fmax=None`).
    public var fmax: Double? = nil
    /// Exponent of the magnitude before the mel projection (2: power, 1: magnitude).
    public var power: Float = 2
    /// HTK mel formula instead of Slaney's (librosa `htk`).
    public var htk: Bool = false
    /// Mel filter normalisation (librosa `norm`: `slaney` or none).
    public var norm: MelNorm = .slaney
    /// Dynamic range of the dB conversion in dB below the peak; nil: no clipping (`top_db=None`).
    public var topDB: Float? = 80

    /// librosa's defaults.
    public init() {}

    /// The STFT part.
    public var stft: STFTParameters {
        STFTParameters(nFFT: nFFT, hopLength: hopLength, winLength: winLength, window: window, center: center, padMode: padMode)
    }

    /// The mel filterbank part.
    public var mel: MelParameters {
        MelParameters(sampleRate: Double(sampleRate), nMels: nMels, fmin: fmin, fmax: fmax, scale: htk ? .htk : .slaney, norm: norm)
    }

    /// `fmax`, or `sampleRate / 2` when it is nil, in Hz.
    public var resolvedFmax: Double { fmax ?? Double(sampleRate) / 2 }

    /// Throws ``DSPError/invalidParameter(parameter:value:reason:)`` naming the first invalid
    /// setting by its librosa name (`sr`, `n_fft`, `hop_length`, `power`, `top_db`, ...).
    public func validate() throws {
        try DSPError.requirePositive(sampleRate, "sr")
        try stft.validate()
        try mel.validate()
        guard power > 0, power.isFinite else {
            throw DSPError.invalidParameter(parameter: "power", value: "\(power)", reason: "must be a positive finite number")
        }
        if let topDB, !(topDB >= 0 && topDB.isFinite) {
            throw DSPError.invalidParameter(parameter: "top_db", value: "\(topDB)", reason: "must be a finite number >= 0")
        }
    }

    enum CodingKeys: String, CodingKey {
        case sampleRate = "sample_rate", nFFT = "n_fft", hopLength = "hop_length", winLength = "win_length"
        case window, center, padMode = "pad_mode", nMels = "n_mels", fmin, fmax, power, htk, norm
        case topDB = "top_db"
    }

    /// Decodes the keys present; a missing key keeps librosa's default (a missing `top_db`
    /// is `nil`, as the encoder leaves `nil` out).
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = LogMelParameters()
        sampleRate = try c.decodeIfPresent(Int.self, forKey: .sampleRate) ?? d.sampleRate
        nFFT = try c.decodeIfPresent(Int.self, forKey: .nFFT) ?? d.nFFT
        hopLength = try c.decodeIfPresent(Int.self, forKey: .hopLength) ?? d.hopLength
        winLength = try c.decodeIfPresent(Int.self, forKey: .winLength)
        window = try c.decodeIfPresent(WindowKind.self, forKey: .window) ?? d.window
        center = try c.decodeIfPresent(Bool.self, forKey: .center) ?? d.center
        padMode = try c.decodeIfPresent(PadMode.self, forKey: .padMode) ?? d.padMode
        nMels = try c.decodeIfPresent(Int.self, forKey: .nMels) ?? d.nMels
        fmin = try c.decodeIfPresent(Double.self, forKey: .fmin) ?? d.fmin
        fmax = try c.decodeIfPresent(Double.self, forKey: .fmax)
        power = try c.decodeIfPresent(Float.self, forKey: .power) ?? d.power
        htk = try c.decodeIfPresent(Bool.self, forKey: .htk) ?? d.htk
        norm = try c.decodeIfPresent(MelNorm.self, forKey: .norm) ?? d.norm
        topDB = try c.decodeIfPresent(Float.self, forKey: .topDB)
    }
}

extension WindowKind: Codable {}
extension PadMode: Codable {}
extension MelNorm: Codable {}

extension MelSpectrogramExtractor {
    /// The extractor of `parameters` (STFT, filterbank and power; `topDB` is applied by
    /// `logMelSpectrogram(...topDB:)`). Throws on any invalid parameter.
    public init(_ parameters: LogMelParameters) throws {
        try self.init(stft: parameters.stft, mel: parameters.mel, power: parameters.power)
    }
}
