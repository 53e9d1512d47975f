// Peak picking and onset detection (librosa.util.peak_pick, librosa.onset.onset_detect).

/// Peak picking of Böck, Krebs and Schedl (2012) as librosa.util.peak_pick does it: `x[n]` is a
/// peak when it is the maximum of `x[n - preMax ..< n + postMax]`, at least `delta` above the
/// mean of `x[n - preAvg ..< n + postAvg]`, and more than `wait` samples after the previous peak.
public func peakPick(_ x: [Float], preMax: Int, postMax: Int, preAvg: Int, postAvg: Int,
                     delta: Float, wait: Int) -> [Int] {
    precondition(preMax >= 0 && preAvg >= 0 && delta >= 0 && wait >= 0 && postMax > 0 && postAvg > 0,
                 "peakPick: window sizes must be non-negative (post windows positive)")
    let n = x.count
    guard n > 0 else { return [] }
    var peaks: [Int] = []
    @inline(__always) func maxOf(_ lo: Int, _ hi: Int) -> Float {
        var m = -Float.infinity
        for i in lo ..< hi { m = max(m, x[i]) }
        return m
    }
    @inline(__always) func meanOf(_ lo: Int, _ hi: Int) -> Float {
        var s = 0.0
        for i in lo ..< hi { s += Double(x[i]) }
        return Float(s / Double(hi - lo))
    }
    var i: Int
    if x[0] >= maxOf(0, min(postMax, n)) && x[0] >= meanOf(0, min(postAvg, n)) + delta {
        peaks.append(0)
        i = wait + 1
    } else {
        i = 1
    }
    while i < n {
        guard x[i] == maxOf(max(0, i - preMax), min(i + postMax, n)) else { i += 1; continue }
        guard x[i] >= meanOf(max(0, i - preAvg), min(i + postAvg, n)) + delta else { i += 1; continue }
        peaks.append(i)
        i += wait + 1
    }
    return peaks
}

/// Onset frames from an onset strength envelope (librosa.onset.onset_detect with its default
/// peak-picking parameters, which depend on `sampleRate / hopLength`): the envelope is first
/// rescaled to [0, 1] when `normalize`.
public func onsetDetect(envelope: [Float], sampleRate: Double = 22050, hopLength: Int = 512,
                        normalize: Bool = true) -> [Int] {
    var env = envelope
    guard !env.isEmpty else { return [] }
    if normalize {
        let lo = env.min()!
        for i in env.indices { env[i] -= lo }
        let hi = env.max()! + Float.leastNormalMagnitude
        for i in env.indices { env[i] /= hi }
    }
    guard env.contains(where: { $0 != 0 }), env.allSatisfy({ $0.isFinite }) else { return [] }
    // librosa: 0.03 * sr // hop etc., then ceil to integers
    func frames(_ seconds: Double) -> Int { Int((seconds * sampleRate / Double(hopLength)).rounded(.down)) }
    return peakPick(env, preMax: frames(0.03), postMax: frames(0) + 1, preAvg: frames(0.1),
                    postAvg: frames(0.1) + 1, delta: 0.07, wait: frames(0.03))
}
