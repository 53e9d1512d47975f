import Audio
import DSP

extension SpectrogramKind {
    /// Kinds computed from the file in bounded blocks (`StreamingFrameRows`): every value is the
    /// one-shot value, but the signal is never held whole, so memory is a constant plus the
    /// output. The other kinds (CQT, chroma, tonnetz, onset, tempogram, ...) need the whole
    /// signal or the whole spectrogram, as in librosa, and load the file.
    static let streamed: [String: @Sendable (_ path: String, _ settings: SpectrogramSettings) throws -> FeatureMatrix] = [
        "stft": { path, s in
            try StreamingFrameRows.file(path, sampleRate: s.sampleRate, parameters: s.stft, bins: s.stft.bins) { uncentred in
                { try spectrogram($0, parameters: uncentred, power: 1) }
            }
        },
        "mel": { path, s in
            try MelSpectrogramExtractor(s.logMel).melSpectrogram(file: path, sampleRate: s.sampleRate)
        },
        "db-mel": { path, s in
            try MelSpectrogramExtractor(s.logMel).logMelSpectrogram(file: path, sampleRate: s.sampleRate, topDB: s.topDB)
        },
        "mfcc": { path, s in
            let logMel = try MelSpectrogramExtractor(s.logMel)
                .logMelSpectrogram(file: path, sampleRate: s.sampleRate, topDB: s.topDB)
            return try DSP.mfcc(logMel: logMel, nMFCC: s.nMFCC)
        },
    ]

    /// This kind of the file at `path` (mono at `settings.sampleRate`): streamed when it can be.
    public func compute(file path: String, _ settings: SpectrogramSettings) throws -> FeatureMatrix {
        if let streamed = Self.streamed[name] { return try streamed(path, settings) }
        return try compute(AudioFile.load(path, sampleRate: settings.sampleRate).samples, settings)
    }
}
