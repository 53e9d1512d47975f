import Foundation

// Chromagram from a constant-Q transform (librosa.feature.chroma_cqt, librosa.filters.cq_to_chroma).

/// How a vector (a CQT filter, a chroma frame) is normalised (librosa util.normalize's `norm`).
public enum VectorNorm: Equatable, Sendable {
    /// Divide by the largest magnitude (`norm=np.inf`; chroma's default).
    case max
    /// Divide by the L^p norm, `p > 0` (`norm=1`: CQT filters, tonnetz's chroma).
    case lp(Double)
    /// Leave the values as they are (`norm=None`).
    case none
}

extension VectorNorm {
    /// The norm of a vector from its magnitudes, in double precision (nil for `.none`).
    func length(ofMagnitudes mags: UnsafeBufferPointer<Double>) -> Double? {
        switch self {
        case .none: return nil
        case .max: return mags.max() ?? 0
        case .lp(let p) where p == 1: return mags.reduce(0, +)
        case .lp(let p): return pow(mags.reduce(0) { $0 + pow($1, p) }, 1 / p)
        }
    }
}

/// Normalises every frame of `m` in place (librosa util.normalize along the feature axis, `fill=None`):
/// frames whose norm is below the smallest positive float are left unchanged.
func normalizeFrames(_ m: inout FeatureMatrix, norm: VectorNorm) {
    let bins = m.bins
    guard norm != .none, bins > 0 else { return }
    var mags = [Double](repeating: 0, count: bins)
    m.data.withUnsafeMutableBufferPointer { d in
        mags.withUnsafeMutableBufferPointer { mag in
            for t in 0 ..< m.frames {
                let row = d.baseAddress! + t * bins
                for b in 0 ..< bins { mag[b] = Double(abs(row[b])) }
                guard let length = norm.length(ofMagnitudes: UnsafeBufferPointer(mag)),
                      length >= Double(Float.leastNormalMagnitude) else { continue }
                for b in 0 ..< bins { row[b] = Float(Double(row[b]) / length) }
            }
        }
    }
}

/// The matrix folding constant-Q bins onto pitch classes (librosa.filters.cq_to_chroma with
/// `window=None`), `[nInput x nChroma]` (librosa's transposed): each chroma takes
/// `binsPerOctave / nChroma` adjacent bins centred on it, in every octave, rotated so that chroma 0
/// is C (`baseC`) or A given the note of `fmin` (default C1).
public func cqToChroma(nInput: Int, binsPerOctave: Int = 12, nChroma: Int = 12, fmin: Double? = nil,
                       baseC: Bool = true) throws -> FeatureMatrix {
    try DSPError.requirePositive(nInput, "n_input")
    try DSPError.requirePositive(binsPerOctave, "bins_per_octave")
    try DSPError.requirePositive(nChroma, "n_chroma")
    guard binsPerOctave % nChroma == 0 else {
        throw DSPError.invalidParameter(parameter: "bins_per_octave", value: "\(binsPerOctave)",
                                        reason: "must be an integer multiple of n_chroma = \(nChroma)")
    }
    let merge = binsPerOctave / nChroma
    let f0 = fmin ?? noteC1Hz
    guard f0 > 0, f0.isFinite else {
        throw DSPError.invalidParameter(parameter: "fmin", value: "\(f0)", reason: "must be a positive frequency")
    }
    // np.mod(hz_to_midi(fmin), 12), minus 9 for base A, in chroma units, rounded half to even.
    var midi0 = (12 * (log2(f0) - log2(440.0)) + 69).truncatingRemainder(dividingBy: 12)
    if midi0 < 0 { midi0 += 12 }
    let roll = Int(((baseC ? midi0 : midi0 - 9) * Double(nChroma) / 12).rounded(.toNearestOrEven))
    var out = FeatureMatrix(frames: nInput, bins: nChroma)
    for i in 0 ..< nInput {
        // Column i of the tiled identity rolled left by merge / 2: chroma of (i + merge / 2) / merge.
        let c = ((i % binsPerOctave + merge / 2) / merge) % nChroma
        let rolled = ((c + roll) % nChroma + nChroma) % nChroma
        out[i, rolled] = 1
    }
    return out
}

/// Chromagram from CQT magnitudes `C` `[frames x bins]` (librosa.feature.chroma_cqt with `C`):
/// `cqToChroma` applied to every frame, values below `threshold` set to 0, then each frame
/// normalised (`norm`, default its maximum). `[frames x nChroma]`.
public func chromaCQT(cqtMagnitude C: FeatureMatrix, binsPerOctave: Int = 36, nChroma: Int = 12,
                      fmin: Double? = nil, norm: VectorNorm = .max, threshold: Float = 0) throws -> FeatureMatrix {
    let map = try cqToChroma(nInput: C.bins, binsPerOctave: binsPerOctave, nChroma: nChroma, fmin: fmin)
    // Each CQT bin feeds at most one chroma (window=None): a gather-add, not a dense product.
    var target = [Int](repeating: -1, count: C.bins)
    for i in 0 ..< C.bins { for c in 0 ..< nChroma where map[i, c] != 0 { target[i] = c } }
    var out = FeatureMatrix(frames: C.frames, bins: nChroma)
    C.data.withUnsafeBufferPointer { src in
        out.data.withUnsafeMutableBufferPointer { dst in
            for t in 0 ..< C.frames {
                let row = src.baseAddress! + t * C.bins, o = dst.baseAddress! + t * nChroma
                for i in 0 ..< C.bins where target[i] >= 0 { o[target[i]] += row[i] }
                for c in 0 ..< nChroma where o[c] < threshold { o[c] = 0 }
            }
        }
    }
    normalizeFrames(&out, norm: norm)
    return out
}

/// Constant-Q chromagram of `y` (librosa.feature.chroma_cqt): `|cqt|` with `nOctaves *
/// binsPerOctave` bins from `fmin` (C1) at `binsPerOctave` (36) per octave, the tuning estimated
/// when nil, folded to `nChroma` pitch classes and normalised per frame. `[frames x nChroma]`.
/// ```swift
/// let chroma = try chromaCQT(y)                      // [frames x 12], each frame's maximum 1
/// ```
public func chromaCQT(_ y: [Float], sampleRate: Double = 22050, hopLength: Int = 512, fmin: Double? = nil,
                      norm: VectorNorm = .max, threshold: Float = 0, tuning: Double? = nil, nChroma: Int = 12,
                      nOctaves: Int = 7, binsPerOctave: Int = 36) throws -> FeatureMatrix {
    try DSPError.requirePositive(nChroma, "n_chroma")
    try DSPError.requirePositive(nOctaves, "n_octaves")
    guard binsPerOctave > 0, binsPerOctave % nChroma == 0 else {
        throw DSPError.invalidParameter(parameter: "bins_per_octave", value: "\(binsPerOctave)",
                                        reason: "must be a positive multiple of n_chroma = \(nChroma)")
    }
    let parameters = CQTParameters(sampleRate: sampleRate, hopLength: hopLength, fmin: fmin,
                                   nBins: nOctaves * binsPerOctave, binsPerOctave: binsPerOctave, tuning: tuning)
    return try chromaCQT(cqtMagnitude: cqtMagnitude(y, parameters: parameters), binsPerOctave: binsPerOctave,
                         nChroma: nChroma, fmin: fmin, norm: norm, threshold: threshold)
}
