import Foundation

// Spectral-flux onset strength (librosa.onset.onset_strength) and frame/time conversions.

/// How `onsetStrength` combines the positive differences of the bands of one frame.
public enum OnsetAggregate: String, Sendable, CaseIterable {
    /// np.mean over bands (librosa's default).
    case mean
    /// np.median over bands (what librosa.beat.beat_track uses).
    case median
}

/// Onset strength envelope from a log-power spectrogram `[frames x bins]` (librosa.onset.onset_strength
/// with `S=`, lag 1, max_size 1): `max(0, S[t] - S[t - lag])` aggregated over bins, shifted right by
/// `lag + nFFT / (2 * hopLength)` frames with zeros when `center`, cut to `frames` values.
/// For librosa's default pass the dB mel spectrogram (128 mels, fmax = sr / 2, power_to_db).
public func onsetStrength(logSpectrogram S: FeatureMatrix, lag: Int = 1, aggregate: OnsetAggregate = .mean,
                          center: Bool = true, nFFT: Int = 2048, hopLength: Int = 512) -> [Float] {
    precondition(lag >= 1, "onsetStrength: lag must be a positive integer")
    let frames = S.frames
    let env = onsetDifferences(S, lag: lag, aggregate: aggregate)
    let pad = lag + (center ? nFFT / (2 * hopLength) : 0)
    var out = [Float](repeating: 0, count: pad) + env
    if center { out = Array(out.prefix(frames)) }
    return out
}

/// `max(0, S[t + lag] - S[t])` aggregated over bins for `t = 0 ..< frames - lag`: the onset
/// envelope before `onsetStrength`'s shift (each value depends on two frames only).
func onsetDifferences(_ S: FeatureMatrix, lag: Int, aggregate: OnsetAggregate) -> [Float] {
    let frames = S.frames, bins = S.bins
    let diffs = max(0, frames - lag)
    var env = [Float](repeating: 0, count: diffs)
    var scratch = [Float](repeating: 0, count: bins)
    S.data.withUnsafeBufferPointer { s in
        for t in 0 ..< diffs {
            let now = s.baseAddress! + (t + lag) * bins, before = s.baseAddress! + t * bins
            switch aggregate {
            case .mean:
                var acc = 0.0
                for k in 0 ..< bins { acc += Double(max(0, now[k] - before[k])) }
                env[t] = Float(acc / Double(bins))
            case .median:
                for k in 0 ..< bins { scratch[k] = max(0, now[k] - before[k]) }
                env[t] = bins > 0 ? median(scratch) : 0
            }
        }
    }
    return env
}

/// Frame indices to seconds: `frame * hopLength / sampleRate` (librosa.frames_to_time).
public func framesToTime(_ frames: [Int], sampleRate: Double = 22050, hopLength: Int = 512) -> [Double] {
    frames.map { Double($0 * hopLength) / sampleRate }
}

/// Frame indices to sample indices: `frame * hopLength` (librosa.frames_to_samples).
public func framesToSamples(_ frames: [Int], hopLength: Int = 512) -> [Int] {
    frames.map { $0 * hopLength }
}

/// Seconds to frame indices: `floor(floor(t * sampleRate) / hopLength)` (librosa.time_to_frames).
public func timeToFrames(_ times: [Double], sampleRate: Double = 22050, hopLength: Int = 512) -> [Int] {
    times.map { Int(($0 * sampleRate).rounded(.down)) / hopLength }
}

/// Onset strength of `y` (librosa.onset.onset_strength(y=...)): the dB mel spectrogram (128 mels,
/// fmax = sr / 2, power 2, ref 1, top_db 80), then `onsetStrength(logSpectrogram:)`.
public func onsetStrength(_ y: [Float], sampleRate: Double = 22050, aggregate: OnsetAggregate = .mean,
                          nFFT: Int = 2048, hopLength: Int = 512, nMels: Int = 128) throws -> [Float] {
    let extractor = try MelSpectrogramExtractor(sampleRate: sampleRate, nFFT: nFFT, hopLength: hopLength, nMels: nMels)
    return onsetStrength(logSpectrogram: try extractor.logMelSpectrogram(y), aggregate: aggregate,
                         nFFT: nFFT, hopLength: hopLength)
}
