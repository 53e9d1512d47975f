import Foundation

// The feature row of GTZAN's Kaggle CSVs (`features_30_sec.csv`, `features_3_sec.csv`),
// computed from one waveform with librosa's functions and defaults.

/// The per-signal feature set of GTZAN's Kaggle CSVs: means and variances over time of librosa's
/// chroma_stft, rms, spectral centroid / bandwidth / rolloff, zero-crossing rate, the harmonic and
/// percussive waveforms of librosa.effects.hpss, the beat_track tempo and 20 MFCCs.
///
/// Every feature is computed once from shared intermediates (one STFT, one mel spectrogram), so a
/// row costs about as much as its most expensive feature (HPSS).
/// ```swift
/// let values = try GTZANFeatures.compute(samples)        // GTZANFeatures.columns.count values
/// ```
public enum GTZANFeatures {
    /// The value columns of `features_30_sec.csv` in order (without `filename`, `length`, `label`).
    public static let columns: [String] = {
        var c = ["chroma_stft", "rms", "spectral_centroid", "spectral_bandwidth", "rolloff",
                 "zero_crossing_rate", "harmony", "perceptr"].flatMap { ["\($0)_mean", "\($0)_var"] }
        c.append("tempo")
        for i in 1 ... 20 { c += ["mfcc\(i)_mean", "mfcc\(i)_var"] }
        return c
    }()

    /// The series whose skewness and kurtosis the extended set adds, in order.
    static let summarisedSeries: [String] = ["chroma_stft", "rms", "spectral_centroid", "spectral_bandwidth",
                                             "rolloff", "zero_crossing_rate", "harmony", "perceptr"]
        + (1 ... 20).map { "mfcc\($0)" } + (1 ... 7).map { "contrast\($0)" } + ["chroma_cqt"]
        + (1 ... 6).map { "tonnetz\($0)" }

    /// The extra columns of `--all`, after `columns`: spectral contrast bands, chroma CQT (all values)
    /// and the six tonnetz dimensions (mean, var each), spectral flatness (mean, var), onset rate
    /// (onsets per second), beat count, then `<series>_skew` and `<series>_kurtosis` of every series.
    public static let extendedColumns: [String] = {
        var c = (1 ... 7).flatMap { ["contrast\($0)_mean", "contrast\($0)_var"] }
        c += ["chroma_cqt_mean", "chroma_cqt_var"] + (1 ... 6).flatMap { ["tonnetz\($0)_mean", "tonnetz\($0)_var"] }
        c += ["flatness_mean", "flatness_var", "onset_rate", "beat_count"]
        c += summarisedSeries.flatMap { ["\($0)_skew", "\($0)_kurtosis"] }
        return c
    }()

    /// The row for `y` (librosa conventions: 2048 / 512 STFT, 128 mels, 20 MFCCs, mean and population
    /// variance over all values of each feature), `columns` then, when `extended`, `extendedColumns`.
    public static func compute(_ y: [Float], sampleRate: Double = 22050, extended: Bool = false) throws -> [Double] {
        guard y.count > 0 else { throw DSPError.invalidInput("GTZAN features need at least one sample") }
        let parameters = STFTParameters()
        // Full-resolution matrices (`frames x 1025`, about 8 bytes per sample each, 16 for a
        // complex one) dominate the memory; each is released once its last feature is computed.
        var D: ComplexSpectrogram? = try stft(y, parameters: parameters)
        let magnitude = D!.magnitude()
        // From |D|^2: chroma and the log-mel (compact); the power matrix goes before HPSS.
        let (chroma, logMel) = try powerFeatures(magnitude: magnitude, sampleRate: sampleRate, nFFT: parameters.nFFT)
        let centroid = spectralCentroid(magnitude: magnitude, sampleRate: sampleRate)
        let bandwidth = spectralBandwidth(magnitude: magnitude, sampleRate: sampleRate, centroid: centroid)
        let rolloff = spectralRolloff(magnitude: magnitude, sampleRate: sampleRate)
        let energy = rms(y), zcr = zeroCrossingRate(y)

        // One masked part at a time, then the STFT goes.
        let (harmonic, percussive) = try hpssWaveforms(stft: D!, magnitude: magnitude, parameters: parameters, length: y.count)
        D = nil

        let envMedian = onsetStrength(logSpectrogram: logMel, aggregate: .median)
        let beats = beatTrack(envelope: envMedian, sampleRate: sampleRate)
        let mfccs = try mfcc(logMel: logMel, nMFCC: 20)

        var series: [[Float]] = [chroma.data, energy, centroid, bandwidth, rolloff, zcr, harmonic, percussive]
        var row: [Double] = []
        for s in series { let stats = Summary(s, withMedian: false); row += [stats.mean, stats.variance] }
        row.append(beats.tempo)
        let coefficients = mfccs.transposed()
        for i in 0 ..< 20 {
            let c = Array(coefficients.frame(i))
            series.append(c)
            let stats = Summary(c, withMedian: false)
            row += [stats.mean, stats.variance]
        }
        guard extended else { return row }

        let contrast = try spectralContrast(magnitude: magnitude, sampleRate: sampleRate).transposed()
        for b in 0 ..< contrast.frames {
            let band = Array(contrast.frame(b))
            series.append(band)
            let stats = Summary(band, withMedian: false)
            row += [stats.mean, stats.variance]
        }
        // librosa.feature.chroma_cqt and librosa.feature.tonnetz (which recomputes that same chroma)
        let chromaC = try chromaCQT(y, sampleRate: sampleRate)
        series.append(chromaC.data)
        let cqtStats = Summary(chromaC.data, withMedian: false)
        row += [cqtStats.mean, cqtStats.variance]
        let tonal = tonnetz(chroma: chromaC).transposed()
        for d in 0 ..< tonal.frames {
            let dim = Array(tonal.frame(d))
            series.append(dim)
            let stats = Summary(dim, withMedian: false)
            row += [stats.mean, stats.variance]
        }
        let flatness = Summary(spectralFlatness(magnitude: magnitude), withMedian: false)
        row += [flatness.mean, flatness.variance]
        let onsets = onsetDetect(envelope: onsetStrength(logSpectrogram: logMel, aggregate: .mean), sampleRate: sampleRate)
        row.append(Double(onsets.count) / (Double(y.count) / sampleRate))
        row.append(Double(beats.beats.count))
        for s in series { let stats = Summary(s, withMedian: false); row += [stats.skewness, stats.kurtosis] }
        return row
    }

    /// Chroma (librosa.feature.chroma_stft) and the log-mel in dB (power_to_db of the 128-band
    /// melspectrogram, ref 1, top_db 80) of `magnitude^2`; the power matrix lives only here.
    private static func powerFeatures(magnitude: FeatureMatrix, sampleRate: Double,
                                      nFFT: Int) throws -> (chroma: FeatureMatrix, logMel: FeatureMatrix) {
        var power = magnitude
        power.data.withUnsafeMutableBufferPointer { p in for i in p.indices { p[i] *= p[i] } }
        let chroma = chromaSTFT(power: power, sampleRate: sampleRate)
        let filterbank = try MelFilterbank(parameters: MelParameters(sampleRate: sampleRate), nFFT: nFFT)
        var logMel = try melSpectrogram(spectrogram: power, filterbank: filterbank)
        try powerToDb(inPlace: &logMel.data)
        return (chroma, logMel)
    }
}
