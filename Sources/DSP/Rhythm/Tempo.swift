import CFFTW3
import Foundation

// Autocorrelation tempogram and global tempo estimation (librosa.feature.tempogram,
// librosa.feature.tempo; Grosche, Müller and Kurth 2010 for the tempogram).

/// Tempo (BPM) of each autocorrelation lag: lag 0 is `inf`, lag `l` is `60 sr / (hop l)`
/// (librosa.tempo_frequencies).
public func tempoFrequencies(count: Int, sampleRate: Double = 22050, hopLength: Int = 512) -> [Double] {
    (0 ..< count).map { $0 == 0 ? .infinity : 60 * sampleRate / (Double(hopLength) * Double($0)) }
}

/// Autocorrelation tempogram of an onset envelope (librosa.feature.tempogram, centred, Hann window,
/// inf-norm per frame): `[frames x winLength]`, column `l` is the lag in frames.
public func tempogram(envelope: [Float], winLength: Int = 384) -> FeatureMatrix {
    var out = FeatureMatrix(frames: envelope.count, bins: winLength)
    forEachTempogramFrame(envelope: envelope, winLength: winLength) { t, ac in
        for l in 0 ..< winLength { out.data[t * winLength + l] = Float(ac[l]) }
    }
    return out
}

/// The window length librosa.feature.tempo uses for `acSize` seconds: `time_to_frames(acSize)`.
public func tempoWindowLength(acSize: Double = 8, sampleRate: Double = 22050, hopLength: Int = 512) -> Int {
    Int(acSize * sampleRate) / hopLength
}

/// Global tempo estimate in BPM (librosa.feature.tempo with `aggregate=np.mean`): the lag maximising
/// `log1p(1e6 * mean tempogram) + log-normal prior` around `startBPM` (std `stdBPM` octaves),
/// lags faster than `maxTempo` excluded. Returns one of the `tempoFrequencies` grid values.
public func tempo(envelope: [Float], sampleRate: Double = 22050, hopLength: Int = 512, startBPM: Double = 120,
                  stdBPM: Double = 1, acSize: Double = 8, maxTempo: Double? = 320) -> Double {
    precondition(startBPM > 0, "tempo: startBPM must be strictly positive")
    let win = tempoWindowLength(acSize: acSize, sampleRate: sampleRate, hopLength: hopLength)
    let mean = meanTempogram(envelope: envelope, winLength: win)
    let bpms = tempoFrequencies(count: win, sampleRate: sampleRate, hopLength: hopLength)
    var prior = bpms.map { -0.5 * pow((log2($0) - log2(startBPM)) / stdBPM, 2) }
    if let maxTempo, let cut = bpms.firstIndex(where: { $0 < maxTempo }) {
        for l in 0 ..< cut { prior[l] = -.infinity }
    }
    var best = 0, bestScore = -Double.infinity
    for l in 0 ..< win {
        let score = log1p(1e6 * mean[l]) + prior[l]
        if score > bestScore { bestScore = score; best = l }
    }
    return bpms[best]
}

/// The tempogram averaged over time (what `tempo` scores), `winLength` lags.
public func meanTempogram(envelope: [Float], winLength: Int) -> [Double] {
    var sum = [Double](repeating: 0, count: winLength)
    forEachTempogramFrame(envelope: envelope, winLength: winLength) { _, ac in
        for l in 0 ..< winLength { sum[l] += ac[l] }
    }
    let n = Double(max(1, envelope.count))
    return sum.map { $0 / n }
}

/// Calls `body(t, normalisedAutocorrelation)` for every frame of the centred tempogram:
/// the envelope is padded by `winLength / 2` linear ramps to 0 (np.pad linear_ramp), framed with
/// hop 1, Hann-windowed, autocorrelated (FFT of size >= 2 winLength - 1, as librosa.autocorrelate)
/// and divided by its lag-0 value (its maximum).
func forEachTempogramFrame(envelope: [Float], winLength: Int, _ body: (Int, UnsafeBufferPointer<Double>) -> Void) {
    precondition(winLength >= 1, "tempogram: winLength must be a positive integer")
    let n = envelope.count
    guard n > 0 else { return }
    let pad = winLength / 2
    var padded = [Float](repeating: 0, count: n + 2 * pad)
    for j in 0 ..< pad {
        padded[j] = Float(Double(envelope[0]) * Double(j) / Double(pad))
        padded[n + 2 * pad - 1 - j] = Float(Double(envelope[n - 1]) * Double(j) / Double(pad))
    }
    for i in 0 ..< n { padded[pad + i] = envelope[i] }
    let window = (0 ..< winLength).map { Float(0.5 - 0.5 * cos(2 * Double.pi * Double($0) / Double(winLength))) }
    // FFT size: the smallest 2^a 3^b 5^c >= 2 winLength - 1.
    var size = 2 * winLength - 1
    func smooth(_ m: Int) -> Bool { var m = m; for f in [2, 3, 5] { while m % f == 0 { m /= f } }; return m == 1 }
    while !smooth(size) { size += 1 }
    let forward = FFTPlanCache.shared.plan(.realToComplex, n: size)
    let inverse = FFTPlanCache.shared.plan(.complexToReal, n: size)
    let real = FFTBuffer(floats: size), spectrum = FFTBuffer(floats: 2 * (size / 2 + 1))
    var ac = [Double](repeating: 0, count: winLength)
    ac.withUnsafeMutableBufferPointer { a in
        padded.withUnsafeBufferPointer { x in
            for t in 0 ..< n {
                let r = real.pointer
                for i in 0 ..< winLength { r[i] = x[t + i] * window[i] }
                for i in winLength ..< size { r[i] = 0 }
                spectrum.complex { fftwf_execute_dft_r2c(forward, r, $0) }
                let c = spectrum.pointer
                for k in 0 ..< size / 2 + 1 {
                    c[2 * k] = c[2 * k] * c[2 * k] + c[2 * k + 1] * c[2 * k + 1]
                    c[2 * k + 1] = 0
                }
                spectrum.complex { fftwf_execute_dft_c2r(inverse, $0, r) }
                let zero = Double(r[0])
                let norm = abs(zero) < Double(Float.leastNormalMagnitude) ? 1 : abs(zero)
                for l in 0 ..< winLength { a[l] = Double(r[l]) / norm }
                body(t, UnsafeBufferPointer(a))
            }
        }
    }
}
