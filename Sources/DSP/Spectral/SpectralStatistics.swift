// Spectral shape statistics of a magnitude spectrogram (librosa.feature.spectral_*).
import Foundation

// Every function takes `magnitude`, `|stft(y)|` as a `[frames x bins]` FeatureMatrix with
// `bins = nFFT / 2 + 1`, and returns one value per frame (or a small matrix).

/// The bin frequencies for a spectrogram with `bins` rows (`nFFT = 2 * (bins - 1)`).
@usableFromInline
func binFrequencies(bins: Int, sampleRate: Double) -> [Double] {
    fftFrequencies(sampleRate: sampleRate, nFFT: max(1, 2 * (bins - 1)))
}

/// Spectral centroid per frame in Hz: `sum_k f_k S_k / sum_k S_k` (librosa.feature.spectral_centroid).
/// Rounded as librosa does: util.normalize(S, norm=1) divides each float32 magnitude by the frame's
/// float64 L1 norm and stores the quotient in float32 (a norm below float32's tiny is replaced by 1,
/// so a silent frame gives 0), then the float64 frequencies weight those quotients.
public func spectralCentroid(magnitude S: FeatureMatrix, sampleRate: Double = 22050) -> [Float] {
    let freq = binFrequencies(bins: S.bins, sampleRate: sampleRate)
    var out = [Float](repeating: 0, count: S.frames)
    S.data.withUnsafeBufferPointer { s in
        for t in 0 ..< S.frames {
            let row = s.baseAddress! + t * S.bins
            var total = 0.0
            for k in 0 ..< S.bins { total += Double(row[k]) }
            if total < Double(Float.leastNormalMagnitude) { total = 1 }
            var weighted = 0.0
            // librosa.feature.spectral_centroid: np.sum(freq * util.normalize(S, norm=1), axis=-2)
            for k in 0 ..< S.bins { weighted += freq[k] * Double(Float(Double(row[k]) / total)) }
            out[t] = Float(weighted)
        }
    }
    return out
}

/// Spectral bandwidth per frame (librosa.feature.spectral_bandwidth, `norm=True`):
/// `(sum_k s_k |f_k - centroid|^p)^(1/p)` with `s` the L1-normalised frame.
public func spectralBandwidth(magnitude S: FeatureMatrix, sampleRate: Double = 22050,
                              centroid: [Float]? = nil, p: Double = 2) -> [Float] {
    let freq = binFrequencies(bins: S.bins, sampleRate: sampleRate)
    let cent = centroid ?? spectralCentroid(magnitude: S, sampleRate: sampleRate)
    var out = [Float](repeating: 0, count: S.frames)
    S.data.withUnsafeBufferPointer { s in
        for t in 0 ..< S.frames {
            let row = s.baseAddress! + t * S.bins
            var total = 0.0
            for k in 0 ..< S.bins { total += Double(row[k]) }
            if total < Double(Float.leastNormalMagnitude) { total = 1 }
            let c = Double(cent[t])
            var acc = 0.0
            if p == 2 {
                for k in 0 ..< S.bins { let d = freq[k] - c; acc += Double(row[k]) * d * d }
                out[t] = Float((acc / total).squareRoot())
            } else {
                for k in 0 ..< S.bins { acc += Double(row[k]) * pow(abs(freq[k] - c), p) }
                out[t] = Float(pow(acc / total, 1 / p))
            }
        }
    }
    return out
}

/// Roll-off frequency per frame: the lowest bin frequency below which `rollPercent` of the
/// frame's magnitude lies (librosa.feature.spectral_rolloff; float32 running sum as numpy's cumsum).
public func spectralRolloff(magnitude S: FeatureMatrix, sampleRate: Double = 22050,
                           rollPercent: Double = 0.85) -> [Float] {
    let freq = binFrequencies(bins: S.bins, sampleRate: sampleRate)
    var out = [Float](repeating: 0, count: S.frames)
    var cumulative = [Float](repeating: 0, count: S.bins)
    S.data.withUnsafeBufferPointer { s in
        for t in 0 ..< S.frames {
            let row = s.baseAddress! + t * S.bins
            var run: Float = 0
            for k in 0 ..< S.bins { run += row[k]; cumulative[k] = run }
            let threshold = rollPercent * Double(run)
            var k = 0
            while k < S.bins - 1 && Double(cumulative[k]) < threshold { k += 1 }
            out[t] = Float(freq[k])
        }
    }
    return out
}

/// Spectral flatness per frame: geometric over arithmetic mean of `max(amin, S^power)`
/// (librosa.feature.spectral_flatness).
public func spectralFlatness(magnitude S: FeatureMatrix, amin: Float = 1e-10, power: Float = 2) -> [Float] {
    var out = [Float](repeating: 0, count: S.frames)
    S.data.withUnsafeBufferPointer { s in
        for t in 0 ..< S.frames {
            let row = s.baseAddress! + t * S.bins
            var logSum = 0.0, sum = 0.0
            for k in 0 ..< S.bins {
                let v = max(amin, power == 2 ? row[k] * row[k] : pow(row[k], power))
                logSum += Double(log(v))
                sum += Double(v)
            }
            let n = Double(S.bins)
            out[t] = Float(exp(logSum / n) / (sum / n))
        }
    }
    return out
}

/// Polynomial fit of each frame's magnitude against bin frequency, coefficients highest order
/// first (librosa.feature.poly_features): a `[frames x (order + 1)]` matrix.
public func polyFeatures(magnitude S: FeatureMatrix, sampleRate: Double = 22050, order: Int = 1) -> FeatureMatrix {
    precondition(order >= 0, "polyFeatures: order must be >= 0")
    let freq = binFrequencies(bins: S.bins, sampleRate: sampleRate)
    let m = order + 1
    // Least squares on x = f / scale (for conditioning) through the normal equations in Double.
    let scale = max(freq.last ?? 1, 1)
    let x = freq.map { $0 / scale }
    var gram = [Double](repeating: 0, count: m * m)
    for xi in x {
        var powers = [Double](repeating: 1, count: m)
        for j in 1 ..< max(m, 1) { powers[j] = powers[j - 1] * xi }
        for a in 0 ..< m { for b in 0 ..< m { gram[a * m + b] += powers[a] * powers[b] } }
    }
    let inverse = invertSymmetric(gram, m)
    var out = FeatureMatrix(frames: S.frames, bins: m)
    for t in 0 ..< S.frames {
        var rhs = [Double](repeating: 0, count: m)
        for k in 0 ..< S.bins {
            let v = Double(S.data[t * S.bins + k])
            var pw = 1.0
            for j in 0 ..< m { rhs[j] += pw * v; pw *= x[k] }
        }
        for j in 0 ..< m {
            var c = 0.0
            for i in 0 ..< m { c += inverse[j * m + i] * rhs[i] }
            // coefficient of x^j -> of f^j, stored highest order first
            out[t, order - j] = Float(c / pow(scale, Double(j)))
        }
    }
    return out
}

/// Inverse of a small symmetric positive-definite matrix (Gauss-Jordan with partial pivoting).
private func invertSymmetric(_ a: [Double], _ n: Int) -> [Double] {
    var m = a
    var inv = [Double](repeating: 0, count: n * n)
    for i in 0 ..< n { inv[i * n + i] = 1 }
    for c in 0 ..< n {
        var p = c
        for r in c ..< n where abs(m[r * n + c]) > abs(m[p * n + c]) { p = r }
        if p != c {
            for j in 0 ..< n { m.swapAt(p * n + j, c * n + j); inv.swapAt(p * n + j, c * n + j) }
        }
        let d = m[c * n + c]
        guard d != 0 else { continue }
        for j in 0 ..< n { m[c * n + j] /= d; inv[c * n + j] /= d }
        for r in 0 ..< n where r != c {
            let f = m[r * n + c]
            if f == 0 { continue }
            for j in 0 ..< n { m[r * n + j] -= f * m[c * n + j]; inv[r * n + j] -= f * inv[c * n + j] }
        }
    }
    return inv
}

// MARK: - From a signal (librosa's `y=` form: |stft(y)| with the given STFT parameters)

/// Spectral centroid of `y` (librosa.feature.spectral_centroid(y=...)).
public func spectralCentroid(_ y: [Float], sampleRate: Double = 22050, stft: STFTParameters = .init()) throws -> [Float] {
    spectralCentroid(magnitude: try spectrogram(y, parameters: stft), sampleRate: sampleRate)
}

/// Spectral bandwidth of `y` (librosa.feature.spectral_bandwidth(y=...)).
public func spectralBandwidth(_ y: [Float], sampleRate: Double = 22050, p: Double = 2,
                              stft: STFTParameters = .init()) throws -> [Float] {
    spectralBandwidth(magnitude: try spectrogram(y, parameters: stft), sampleRate: sampleRate, p: p)
}

/// Spectral roll-off of `y` (librosa.feature.spectral_rolloff(y=...)).
public func spectralRolloff(_ y: [Float], sampleRate: Double = 22050, rollPercent: Double = 0.85,
                            stft: STFTParameters = .init()) throws -> [Float] {
    spectralRolloff(magnitude: try spectrogram(y, parameters: stft), sampleRate: sampleRate, rollPercent: rollPercent)
}

/// Spectral flatness of `y` (librosa.feature.spectral_flatness(y=...)).
public func spectralFlatness(_ y: [Float], stft: STFTParameters = .init()) throws -> [Float] {
    spectralFlatness(magnitude: try spectrogram(y, parameters: stft))
}
