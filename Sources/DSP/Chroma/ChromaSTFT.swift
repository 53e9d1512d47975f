import Foundation

// Chroma from a power spectrogram (librosa.filters.chroma, librosa.feature.chroma_stft).

/// The chroma filterbank (librosa.filters.chroma, Ellis' chromagram_E): `[bins x nChroma]` in
/// melcnn's orientation (librosa's `[nChroma x bins]` transposed), `bins = nFFT / 2 + 1`.
///
/// Gaussian bumps around each pitch class in every octave, L2-normalised per FFT bin, weighted
/// by a Gaussian over octaves centred on `ctroct` with width `octwidth` (nil: flat), rows
/// rotated to start at C when `baseC`. `tuning` is in fractions of a chroma bin.
public func chromaFilterbank(sampleRate: Double, nFFT: Int, nChroma: Int = 12, tuning: Double = 0,
                             ctroct: Double = 5, octwidth: Double? = 2, baseC: Bool = true) -> FeatureMatrix {
    let nc = Double(nChroma)
    let a440 = 440.0 * pow(2.0, tuning / nc)
    // frqbins for FFT bins 1 ..< nFFT, then the "bin 0" extrapolation first.
    var frqbins = [Double](repeating: 0, count: nFFT)
    for k in 1 ..< nFFT {
        let f = Double(k) * sampleRate / Double(nFFT)
        frqbins[k] = nc * log2(f / (a440 / 16))
    }
    frqbins[0] = frqbins[1] - 1.5 * nc
    var widths = [Double](repeating: 1, count: nFFT)
    for k in 0 ..< nFFT - 1 { widths[k] = max(frqbins[k + 1] - frqbins[k], 1) }
    let half = (nc / 2).rounded(.toNearestOrEven)
    let bins = nFFT / 2 + 1
    var out = FeatureMatrix(frames: bins, bins: nChroma)
    let roll = baseC ? 3 * (nChroma / 12) : 0
    var column = [Double](repeating: 0, count: nChroma)
    for k in 0 ..< bins {
        var norm = 0.0
        for c in 0 ..< nChroma {
            var d = frqbins[k] - Double(c) + half + 10 * nc
            d = d - nc * (d / nc).rounded(.down)            // np.remainder
            d -= half
            let w = exp(-0.5 * pow(2 * d / widths[k], 2))
            column[c] = w
            norm += w * w
        }
        norm = norm.squareRoot()
        if norm < Double.leastNormalMagnitude { norm = 1 }
        let octave = octwidth.map { exp(-0.5 * pow((frqbins[k] / nc - ctroct) / $0, 2)) } ?? 1
        for c in 0 ..< nChroma {
            // np.roll(wts, -roll, axis=0): output row c is input row (c + roll) mod nChroma
            out[k, c] = Float(column[(c + roll) % nChroma] / norm * octave)
        }
    }
    return out
}

/// Chromagram from a power spectrogram `[frames x bins]` (librosa.feature.chroma_stft with `S`):
/// the tuning is estimated with `estimateTuning` when nil, the filterbank applied to every
/// frame, and each frame divided by its maximum (librosa's `norm=np.inf`). `[frames x nChroma]`.
public func chromaSTFT(power S: FeatureMatrix, sampleRate: Double = 22050, tuning: Double? = nil,
                       nChroma: Int = 12) -> FeatureMatrix {
    let nFFT = 2 * (S.bins - 1)
    let tune = tuning ?? estimateTuning(spectrogram: S, sampleRate: sampleRate, binsPerOctave: nChroma)
    let fb = chromaFilterbank(sampleRate: sampleRate, nFFT: nFFT, nChroma: nChroma, tuning: tune)
    // Filterbank rows per chroma, contiguous along frequency, for the dot products.
    let fbT = fb.transposed()
    var out = FeatureMatrix(frames: S.frames, bins: nChroma)
    S.data.withUnsafeBufferPointer { s in
        fbT.data.withUnsafeBufferPointer { w in
            out.data.withUnsafeMutableBufferPointer { o in
                for t in 0 ..< S.frames {
                    let row = s.baseAddress! + t * S.bins
                    var peak: Float = 0
                    for c in 0 ..< nChroma {
                        let wr = w.baseAddress! + c * S.bins
                        let acc = dotProduct(wr, row, S.bins)
                        o[t * nChroma + c] = acc
                        peak = max(peak, abs(acc))
                    }
                    if peak < Float.leastNormalMagnitude { peak = 1 }
                    for c in 0 ..< nChroma { o[t * nChroma + c] /= peak }
                }
            }
        }
    }
    return out
}

/// `sum_k a[k] * b[k]` with 8-lane partial sums (auto-vectorised float reductions need this).
@inlinable
func dotProduct(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ n: Int) -> Float {
    var acc = SIMD8<Float>()
    var k = 0
    while k + 8 <= n {
        acc += UnsafeRawPointer(a + k).loadUnaligned(as: SIMD8<Float>.self)
            * UnsafeRawPointer(b + k).loadUnaligned(as: SIMD8<Float>.self)
        k += 8
    }
    var total = acc.sum()
    while k < n { total += a[k] * b[k]; k += 1 }
    return total
}

/// Chromagram of `y` (librosa.feature.chroma_stft(y=...)): `|stft(y)|^2`, then `chromaSTFT(power:)`.
public func chromaSTFT(_ y: [Float], sampleRate: Double = 22050, tuning: Double? = nil, nChroma: Int = 12,
                       stft: STFTParameters = .init()) throws -> FeatureMatrix {
    chromaSTFT(power: try spectrogram(y, parameters: stft, power: 2), sampleRate: sampleRate, tuning: tuning, nChroma: nChroma)
}
