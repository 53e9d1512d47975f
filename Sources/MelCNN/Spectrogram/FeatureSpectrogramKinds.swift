import DSP

// The feature-catalogue kinds of `melcnn spectrogram --kind` (issue 4), listed in SpectrogramKind.all.

extension SpectrogramKind {
    /// The feature kinds, in the order the help lists them.
    static let featureKinds: [SpectrogramKind] = [.chromaSTFT, .contrast, .onset, .tempogram, .hpssHarmonic, .hpssPercussive]

    static let chromaSTFT = SpectrogramKind(
        name: "chroma-stft", help: "chromagram, 12 pitch classes from C, tuning estimated (librosa: feature.chroma_stft)",
        uses: [.stft], display: .init(axis: .chroma, scale: .values(""))) { y, s in
        DSP.chromaSTFT(power: try spectrogram(y, parameters: s.stft, power: 2), sampleRate: Double(s.sampleRate))
    }

    static let contrast = SpectrogramKind(
        name: "contrast", help: "spectral contrast, 7 bands from 200 Hz in dB (librosa: feature.spectral_contrast)",
        uses: [.stft], display: .init(axis: .index("band"), scale: .values("dB"))) { y, s in
        try DSP.spectralContrast(magnitude: try spectrogram(y, parameters: s.stft), sampleRate: Double(s.sampleRate))
    }

    static let onset = SpectrogramKind(
        name: "onset", help: "onset strength envelope, 1 column (librosa: onset.onset_strength on the dB mel spectrogram)",
        uses: [.stft, .mel, .decibels], display: .init(axis: .index("onset"), scale: .values(""))) { y, s in
        let logMel = try MelSpectrogramExtractor(s.logMel).logMelSpectrogram(y, topDB: s.topDB)
        let env = onsetStrength(logSpectrogram: logMel, nFFT: s.stft.nFFT, hopLength: s.stft.hopLength)
        return FeatureMatrix(frames: env.count, bins: 1, data: env)
    }

    static let tempogram = SpectrogramKind(
        name: "tempogram", help: "autocorrelation tempogram, 384 lags (librosa: feature.tempogram)",
        uses: [.stft, .mel, .decibels], display: .init(axis: .index("lag (frames)"), scale: .values(""))) { y, s in
        let logMel = try MelSpectrogramExtractor(s.logMel).logMelSpectrogram(y, topDB: s.topDB)
        return DSP.tempogram(envelope: onsetStrength(logSpectrogram: logMel, nFFT: s.stft.nFFT, hopLength: s.stft.hopLength))
    }

    static let hpssHarmonic = SpectrogramKind(
        name: "hpss-harmonic", help: "harmonic STFT magnitude of HPSS, kernel 31 (librosa: decompose.hpss(np.abs(stft))[0])",
        uses: [.stft], display: .init(axis: .linearHz, scale: .amplitudeToDb)) { y, s in
        DSP.hpss(magnitude: try spectrogram(y, parameters: s.stft)).harmonic
    }

    static let hpssPercussive = SpectrogramKind(
        name: "hpss-percussive", help: "percussive STFT magnitude of HPSS, kernel 31 (librosa: decompose.hpss(np.abs(stft))[1])",
        uses: [.stft], display: .init(axis: .linearHz, scale: .amplitudeToDb)) { y, s in
        DSP.hpss(magnitude: try spectrogram(y, parameters: s.stft)).percussive
    }
}
