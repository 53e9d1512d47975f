import Audio
import DSP

extension DataConfig {
    /// The log-mel spectrogram of an audio file with these DSP parameters, `[frames x n_mels]`
    /// row-major: `AudioFile.load` (mono, resampled to `sample_rate`) then
    /// `MelSpectrogramExtractor.logMelSpectrogram` (librosa `power_to_db(melspectrogram(y), ref=1.0, top_db)`),
    /// the same pipeline as `melcnn prepare`. The returned function is thread-safe.
    public func logMelFunction() throws -> @Sendable (String) throws -> [Float] {
        let extractor = try MelSpectrogramExtractor(sampleRate: Double(sampleRate), nFFT: nFFT, hopLength: hopLength,
                                                    nMels: nMels, fmin: fmin, fmax: fmax, power: Float(power))
        let topDb = topDB.map { Float($0) }
        let rate = sampleRate
        return { path in
            let signal = try AudioFile.load(path, sampleRate: rate)
            return try extractor.logMelSpectrogram(signal.samples, topDb: topDb).data
        }
    }
}
