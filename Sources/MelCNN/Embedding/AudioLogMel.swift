import Audio
import DSP

extension DataConfig {
    /// The log-mel spectrogram of an audio file with these DSP parameters, `[frames x n_mels]`
    /// row-major: the file streamed mono at `sample_rate` through `MelSpectrogramExtractor.logMelSpectrogram(file:)`
    /// (librosa `power_to_db(melspectrogram(y), ref=1.0, top_db)`; memory: a constant plus the result),
    /// the same pipeline as `melcnn prepare`. The returned function is thread-safe.
    public func logMelFunction() throws -> @Sendable (String) throws -> [Float] {
        let p = logMel
        let extractor = try MelSpectrogramExtractor(p)
        return { path in
            try extractor.logMelSpectrogram(file: path, sampleRate: p.sampleRate, topDB: p.topDB).data
        }
    }
}
