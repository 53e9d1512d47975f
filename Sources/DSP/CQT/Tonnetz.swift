import Foundation

// Tonal centroid features (librosa.feature.tonnetz; Harte, Sandler & Gasser 2006,
// "Detecting harmonic change in musical audio").

/// The `[6 x nChroma]` projection of pitch classes onto the circles of fifths, minor thirds and
/// major thirds (sin and cos rows, radii 1, 1, 0.5), as librosa builds it, row-major.
func tonnetzProjection(nChroma: Int) -> [Double] {
    let scale: [Double] = [7.0 / 6, 7.0 / 6, 3.0 / 2, 3.0 / 2, 2.0 / 3, 2.0 / 3]
    let radius: [Double] = [1, 1, 1, 1, 0.5, 0.5]
    var phi = [Double](repeating: 0, count: 6 * nChroma)
    for r in 0 ..< 6 {
        for c in 0 ..< nChroma {
            var v = scale[r] * (Double(c) * 12 / Double(nChroma))   // np.linspace(0, 12, n, endpoint=False)
            if r % 2 == 0 { v -= 0.5 }                                 // even rows: sin
            phi[r * nChroma + c] = radius[r] * cos(Double.pi * v)
        }
    }
    return phi
}

/// Tonal centroid features from a chromagram `[frames x nChroma]` (librosa.feature.tonnetz with
/// `chroma`): each frame L1-normalised, then projected on the six tonnetz axes (fifth x, fifth y,
/// minor third x, y, major third x, y). `[frames x 6]`.
public func tonnetz(chroma: FeatureMatrix) -> FeatureMatrix {
    var normalized = chroma
    normalizeFrames(&normalized, norm: .lp(1))
    let n = chroma.bins
    let phi = tonnetzProjection(nChroma: n)
    var out = FeatureMatrix(frames: chroma.frames, bins: 6)
    for t in 0 ..< chroma.frames {
        for r in 0 ..< 6 {
            var acc = 0.0
            for c in 0 ..< n { acc += phi[r * n + c] * Double(normalized.data[t * n + c]) }
            out.data[t * 6 + r] = Float(acc)
        }
    }
    return out
}

/// Tonal centroid features of `y` (librosa.feature.tonnetz(y=...)): ``chromaCQT(_:sampleRate:hopLength:fmin:norm:threshold:tuning:nChroma:nOctaves:binsPerOctave:)``
/// with its defaults (tuning estimated), then ``tonnetz(chroma:)``. `[frames x 6]`.
public func tonnetz(_ y: [Float], sampleRate: Double = 22050, hopLength: Int = 512,
                    tuning: Double? = nil) throws -> FeatureMatrix {
    tonnetz(chroma: try chromaCQT(y, sampleRate: sampleRate, hopLength: hopLength, tuning: tuning))
}
