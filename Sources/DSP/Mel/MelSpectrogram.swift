/// Mel spectrogram of `y` (librosa `feature.melspectrogram`): `|stft(y)|^power`
/// projected on a mel filterbank, `[frames x nMels]`. Defaults are librosa's
/// (2048 / 512, 128 Slaney bands 0 .. sr/2, power 2). For many signals with the
/// same parameters build one ``MelSpectrogramExtractor`` and reuse it.
public func melSpectrogram(_ y: [Float], stft: STFTParameters = .init(), mel: MelParameters = .init(),
                           power: Float = 2) throws -> FeatureMatrix {
    try MelSpectrogramExtractor(stft: stft, mel: mel, power: power).melSpectrogram(y)
}

/// Mel spectrogram of a precomputed `[frames x (nFFT/2 + 1)]` spectrogram
/// (librosa `melspectrogram(S=...)`): `S` is projected as is (pass `|X|^2` for power).
public func melSpectrogram(spectrogram S: FeatureMatrix, filterbank: MelFilterbank) throws -> FeatureMatrix {
    try filterbank.apply(S)
}
