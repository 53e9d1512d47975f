import Foundation

// Pitch tracking on a spectrogram with parabolic interpolation, and tuning estimation
// (librosa.piptrack, librosa.estimate_tuning, librosa.pitch_tuning).

/// Instantaneous pitches and magnitudes from a spectrogram (librosa.piptrack).
///
/// `S` is `[frames x bins]` (librosa's chroma passes the power spectrogram). A bin is a
/// pitch candidate when it lies in `[fmin, fmax)`, exceeds `threshold x` the frame's maximum
/// and is a local maximum along frequency; its frequency is refined by parabolic
/// interpolation and its magnitude by the skew term. Both outputs are `[frames x bins]`,
/// zero where there is no pitch.
public func piptrack(spectrogram S: FeatureMatrix, sampleRate: Double = 22050, fmin: Double = 150,
                     fmax: Double = 4000, threshold: Float = 0.1) -> (pitches: FeatureMatrix, magnitudes: FeatureMatrix) {
    var pitches = FeatureMatrix(frames: S.frames, bins: S.bins)
    var mags = FeatureMatrix(frames: S.frames, bins: S.bins)
    pitches.data.withUnsafeMutableBufferPointer { p in
        mags.data.withUnsafeMutableBufferPointer { m in
            forEachPitchCandidate(S, sampleRate: sampleRate, fmin: fmin, fmax: fmax, threshold: threshold) { i, pitch, mag in
                p[i] = pitch
                m[i] = mag
            }
        }
    }
    return (pitches, mags)
}

/// piptrack's candidates without the dense output: `body(index, pitch, magnitude)` for every
/// bin that piptrack gives a pitch, `index = frame * bins + bin`, in row-major order.
@inline(__always)
func forEachPitchCandidate(_ S: FeatureMatrix, sampleRate: Double, fmin: Double, fmax: Double, threshold: Float,
                           _ body: (Int, Float, Float) -> Void) {
    let bins = S.bins
    let nFFT = 2 * (bins - 1)
    let lo = max(fmin, 0), hi = min(fmax, sampleRate / 2)
    guard bins >= 3 else { return }
    let freqs = binFrequencies(bins: bins, sampleRate: sampleRate)
    let first = freqs.firstIndex { $0 >= lo } ?? bins
    let last = (freqs.lastIndex { $0 < hi } ?? -1)
    S.data.withUnsafeBufferPointer { s in
                for t in 0 ..< S.frames {
                    let row = s.baseAddress! + t * bins
                    var peak: Float = -.infinity
                    for k in 0 ..< bins { peak = max(peak, row[k]) }
                    let ref = threshold * peak
                    @inline(__always) func gated(_ k: Int) -> Float { row[k] > ref ? row[k] : 0 }
                    var k = max(first, 1)
                    while k <= min(last, bins - 1) {
                        let x0 = gated(k)
                        let isMax: Bool
                        if k == bins - 1 { isMax = x0 > gated(k - 1) } else { isMax = x0 > gated(k - 1) && x0 >= gated(k + 1) }
                        if isMax {
                            // _parabolic_interpolation and np.gradient along frequency (float32, as librosa).
                            var shift: Float = 0
                            var avg: Float
                            if k == bins - 1 {
                                avg = row[k] - row[k - 1]
                            } else {
                                let a = row[k + 1] + row[k - 1] - 2 * row[k]
                                let b = (row[k + 1] - row[k - 1]) / 2
                                if abs(b) < abs(a) { shift = -b / a }
                                avg = (row[k + 1] - row[k - 1]) / 2
                            }
                            let dskew = 0.5 * avg * shift
                            body(t * bins + k, Float((Double(k) + Double(shift)) * sampleRate / Double(nFFT)), row[k] + dskew)
                        }
                        k += 1
                    }
                }
    }
}

/// Tuning offset in fractions of a bin from a set of frequencies (librosa.pitch_tuning):
/// the left edge of the most populated of `ceil(1 / resolution)` histogram bins over
/// `[-0.5, 0.5]` of each frequency's deviation from the equal-tempered A440 grid.
public func pitchTuning(_ frequencies: [Float], resolution: Double = 0.01, binsPerOctave: Int = 12) -> Double {
    var histogram = TuningHistogram(resolution: resolution, binsPerOctave: binsPerOctave)
    for f in frequencies { histogram.add(f) }
    return histogram.tuning
}

/// The histogram of librosa.pitch_tuning, filled one frequency at a time (order does not matter).
struct TuningHistogram {
    private let edges: [Double]
    private let bpo: Float
    private var counts: [Int]
    private var sawPositive = false

    init(resolution: Double = 0.01, binsPerOctave: Int = 12) {
        let nBins = Int((1.0 / resolution).rounded(.up))
        edges = (0 ... nBins).map { -0.5 + Double($0) / Double(nBins) }   // np.linspace(-0.5, 0.5, n + 1)
        counts = [Int](repeating: 0, count: nBins)
        bpo = Float(binsPerOctave)
    }

    /// Counts `f` (frequencies that are not positive are ignored, as pitch_tuning drops them).
    mutating func add(_ f: Float) {
        guard f > 0 else { return }
        sawPositive = true
        let nBins = counts.count
        // hz_to_octs in float32 as numpy evaluates it for float32 input
        var r = (bpo * log2(f / Float(27.5))).truncatingRemainder(dividingBy: 1)
        if r < 0 { r += 1 }
        if r >= 0.5 { r -= 1 }
        let v = Double(r)
        guard v >= edges[0] && v <= edges[nBins] else { return }
        // np.histogram: [e_i, e_i+1), the last bin closed
        var lo = 0, hi = nBins
        while hi - lo > 1 { let mid = (lo + hi) / 2; if edges[mid] <= v { lo = mid } else { hi = mid } }
        counts[lo] += 1
    }

    /// The left edge of the first most populated bin (0 when no frequency was positive).
    var tuning: Double {
        guard sawPositive else { return 0 }
        var best = 0
        for i in 1 ..< counts.count where counts[i] > counts[best] { best = i }
        return edges[best]
    }
}

/// Estimated tuning deviation (in fractions of a bin) of a spectrogram (librosa.estimate_tuning):
/// piptrack's pitches whose magnitude is at least the median magnitude, fed to `pitchTuning`.
public func estimateTuning(spectrogram S: FeatureMatrix, sampleRate: Double = 22050,
                           resolution: Double = 0.01, binsPerOctave: Int = 12) -> Double {
    var candidatePitches: [Float] = [], candidateMags: [Float] = []
    forEachPitchCandidate(S, sampleRate: sampleRate, fmin: 150, fmax: 4000, threshold: 0.1) { _, pitch, mag in
        if pitch > 0 { candidatePitches.append(pitch); candidateMags.append(mag) }
    }
    var threshold: Float = 0
    if !candidateMags.isEmpty { threshold = median(candidateMags) }
    var freqs: [Float] = []
    for i in candidatePitches.indices where candidateMags[i] >= threshold { freqs.append(candidatePitches[i]) }
    return pitchTuning(freqs, resolution: resolution, binsPerOctave: binsPerOctave)
}

/// np.median of float32 values (the mean of the two middle values for an even count, in float32).
func median(_ values: [Float]) -> Float {
    var v = values
    let n = v.count
    precondition(n > 0)
    v.sort()
    return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2
}
