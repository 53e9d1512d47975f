import Foundation

// Dynamic-programming beat tracker (Ellis 2007, "Beat tracking by dynamic programming"),
// with librosa.beat.beat_track's conventions: onset normalisation, local score, DP, last-beat
// selection and trimming of weak leading/trailing beats.

/// Result of `beatTrack`: the global tempo in BPM and the beat positions in frames.
public struct BeatTrackResult: Equatable, Sendable {
    public var tempo: Double
    public var beats: [Int]
    public init(tempo: Double, beats: [Int]) { self.tempo = tempo; self.beats = beats }
}

/// Beat tracking on an onset envelope (librosa.beat.beat_track with `onset_envelope=`). librosa
/// computes that envelope with `aggregate=np.median` when given audio; `bpm` nil estimates the
/// tempo with `tempo(envelope:)`. An all-zero envelope gives tempo 0 and no beats.
///
/// Precision follows librosa exactly: the onsets are normalised in float32 (numpy's std), but
/// `frames_per_beat` is a float64 array, so numba's guvectorize runs the float64 kernels of
/// __beat_local_score, __beat_track_dp, __last_beat_selector and __trim_beats: the local score,
/// cumulative score and thresholds are all float64.
public func beatTrack(envelope: [Float], sampleRate: Double = 22050, hopLength: Int = 512,
                      startBPM: Double = 120, tightness: Double = 100, trim: Bool = true,
                      bpm: Double? = nil) -> BeatTrackResult {
    precondition(tightness > 0, "beatTrack: tightness must be strictly positive")
    guard envelope.contains(where: { $0 != 0 }) else { return BeatTrackResult(tempo: 0, beats: []) }
    let bpmValue = bpm ?? tempo(envelope: envelope, sampleRate: sampleRate, hopLength: hopLength, startBPM: startBPM)
    precondition(bpmValue > 0, "beatTrack: bpm must be strictly positive")
    let frameRate = sampleRate / Double(hopLength)
    let fpb = (frameRate * 60 / bpmValue).rounded(.toNearestOrEven)
    let local = beatLocalScore(normalizeOnsets(envelope), framesPerBeat: fpb)
    // guvectorize's `tightness` argument is declared float32 in both kernels.
    let (backlink, cumscore) = beatDynamicProgramme(local, framesPerBeat: fpb, tightness: Double(Float(tightness)))
    var isBeat = [Bool](repeating: false, count: envelope.count)
    var n = lastBeat(cumscore)
    while n >= 0 { isBeat[n] = true; n = backlink[n] }
    trimBeats(local, &isBeat, trim: trim)
    return BeatTrackResult(tempo: bpmValue, beats: isBeat.indices.filter { isBeat[$0] })
}

/// Onsets divided by their standard deviation (ddof 1), all in float32 with numpy's pairwise sums
/// (librosa's __normalize_onsets: `onsets / (onsets.std(ddof=1) + tiny)` on a float32 envelope).
func normalizeOnsets(_ x: [Float]) -> [Float] {
    let d = numpyStd(x, ddof: 1) + Float.leastNormalMagnitude
    return x.map { $0 / d }
}

/// Same-mode convolution with a Gaussian of width `framesPerBeat / 32` (librosa's
/// __beat_local_score, including its loop bounds that never read `onset[0]`), in float64 one term
/// at a time as numba's float64 kernel does.
func beatLocalScore(_ onset: [Float], framesPerBeat fpb: Double) -> [Double] {
    let n = onset.count
    let half = Int(fpb)
    let k = 2 * half + 1
    let window = (0 ..< k).map { j -> Double in
        let v = Double(j - half) * 32.0 / fpb
        return exp(-0.5 * v * v)
    }
    var out = [Double](repeating: 0, count: n)
    for i in 0 ..< n {
        var acc = 0.0
        let lo = max(0, i + k / 2 - n + 1), hi = min(i + k / 2, k)
        if lo < hi {
            for j in lo ..< hi { acc += window[j] * Double(onset[i + k / 2 - j]) }
        }
        out[i] = acc
    }
    return out
}

/// librosa's __beat_track_dp (float64 kernel): cumulative score with a log-Gaussian transition
/// penalty `tightness * (log(gap) - log(framesPerBeat))^2` over gaps `[round(fpb/2), 2 fpb]`;
/// on equal scores the nearest predecessor wins.
func beatDynamicProgramme(_ local: [Double], framesPerBeat fpb: Double, tightness: Double) -> ([Int], [Double]) {
    let n = local.count
    var backlink = [Int](repeating: -1, count: n)
    var cumscore = [Double](repeating: 0, count: n)
    guard n > 0 else { return (backlink, cumscore) }
    let scoreThreshold = 0.01 * local.max()!
    var firstBeat = true
    cumscore[0] = local[0]
    let logFPB = Foundation.log(fpb)
    let start = Int((fpb / 2).rounded(.toNearestOrEven))
    let farthest = Int(2 * fpb)
    // The penalty depends on the gap only: precompute it.
    let penalty = (0 ... farthest + 1).map { gap -> Double in
        gap == 0 ? 0 : tightness * pow(Foundation.log(Double(gap)) - logFPB, 2)
    }
    for i in 0 ..< n {
        var best = -Double.infinity
        var location = -1
        var gap = start
        while gap <= farthest {
            let loc = i - gap
            if loc < 0 { break }
            let score = cumscore[loc] - penalty[gap]
            if score > best { best = score; location = loc }
            gap += 1
        }
        cumscore[i] = location >= 0 ? local[i] + best : local[i]
        if firstBeat && local[i] < scoreThreshold {
            backlink[i] = -1
        } else {
            backlink[i] = location
            firstBeat = false
        }
    }
    return (backlink, cumscore)
}

/// The last frame that is a local maximum of the cumulative score and reaches half the median
/// of those maxima (librosa's __last_beat, float64).
func lastBeat(_ cumscore: [Double]) -> Int {
    let n = cumscore.count
    guard n > 1 else { return n - 1 }
    var isMax = [Bool](repeating: false, count: n)
    for i in 1 ..< n - 1 { isMax[i] = cumscore[i] > cumscore[i - 1] && cumscore[i] >= cumscore[i + 1] }
    isMax[n - 1] = cumscore[n - 1] > cumscore[n - 2]
    var maxima = cumscore.indices.filter { isMax[$0] }.map { cumscore[$0] }
    guard !maxima.isEmpty else { return n - 1 }
    maxima.sort()
    let m = maxima.count
    let median = m % 2 == 1 ? maxima[m / 2] : (maxima[m / 2 - 1] + maxima[m / 2]) / 2
    let threshold = 0.5 * median
    var i = n - 1
    while i >= 0 {
        if isMax[i] && cumscore[i] >= threshold { return i }
        i -= 1
    }
    return n - 1
}

/// librosa's __trim_beats: clears beats at leading and trailing frames whose local score is at most
/// half the RMS of the Hann-smoothed local score at the beats (librosa's slicing keeps nBeats + 2 values).
func trimBeats(_ local: [Double], _ beats: inout [Bool], trim: Bool) {
    let n = local.count
    var threshold = 0.0
    if trim {
        let atBeats = local.indices.filter { beats[$0] }.map { local[$0] }
        let w = [0.0, 0.5, 1.0, 0.5, 0.0]               // np.hanning(5)
        let full = atBeats.count + w.count - 1
        var conv = [Double](repeating: 0, count: max(0, full))
        for (i, v) in atBeats.enumerated() { for (j, c) in w.enumerated() { conv[i + j] += v * c } }
        let lo = w.count / 2, hi = min(n + w.count / 2, conv.count)
        if hi > lo {
            let kept = conv[lo ..< hi]
            threshold = 0.5 * (kept.reduce(0) { $0 + $1 * $1 } / Double(kept.count)).squareRoot()
        }
    }
    var i = 0
    while i < n && local[i] <= threshold { beats[i] = false; i += 1 }
    i = n - 1
    while i >= 0 && local[i] <= threshold { beats[i] = false; i -= 1 }
}

/// Beat tracking of `y` (librosa.beat.beat_track(y=...)): the onset envelope with median aggregation,
/// then `beatTrack(envelope:)`.
public func beatTrack(_ y: [Float], sampleRate: Double = 22050, hopLength: Int = 512, startBPM: Double = 120,
                      tightness: Double = 100, trim: Bool = true) throws -> BeatTrackResult {
    let env = try onsetStrength(y, sampleRate: sampleRate, aggregate: .median, hopLength: hopLength)
    return beatTrack(envelope: env, sampleRate: sampleRate, hopLength: hopLength, startBPM: startBPM,
                     tightness: tightness, trim: trim)
}
