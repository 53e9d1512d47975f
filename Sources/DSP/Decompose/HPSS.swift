import Foundation

// Harmonic-percussive source separation by median filtering (Fitzgerald 2010; Driedger,
// Müller and Disch 2014 for the margin), as librosa.decompose.hpss does it.

/// Soft masks of HPSS on a magnitude spectrogram `[frames x bins]` (librosa.decompose.hpss with
/// `mask=True`): the harmonic estimate is the median over `kernelSize` frames (along time),
/// the percussive one the median over `kernelSize` bins (along frequency), both in scipy's
/// reflect mode; the masks are `H^p / (H^p + (margin P)^p)` and the converse, computed as
/// librosa.util.softmask does (0.5 each where both estimates vanish and the margins are 1).
public func hpssMasks(magnitude S: FeatureMatrix, kernelSize: Int = 31, power: Float = 2,
                      margin: Float = 1) -> (harmonic: FeatureMatrix, percussive: FeatureMatrix) {
    hpssMasks(magnitude: S, kernelSize: (kernelSize, kernelSize), power: power, margin: (margin, margin))
}

/// HPSS masks with separate harmonic (time) and percussive (frequency) kernel sizes and margins.
public func hpssMasks(magnitude S: FeatureMatrix, kernelSize: (harmonic: Int, percussive: Int),
                      power: Float = 2, margin: (harmonic: Float, percussive: Float) = (1, 1))
    -> (harmonic: FeatureMatrix, percussive: FeatureMatrix) {
    precondition(margin.harmonic >= 1 && margin.percussive >= 1, "hpss: margins must be >= 1")
    precondition(power > 0, "hpss: power must be strictly positive")
    let harm = medianFilter(S, size: kernelSize.harmonic, alongFrames: true)
    let perc = medianFilter(S, size: kernelSize.percussive, alongFrames: false)
    var maskH = FeatureMatrix(frames: S.frames, bins: S.bins)
    var maskP = FeatureMatrix(frames: S.frames, bins: S.bins)
    let splitZeros = margin.harmonic == 1 && margin.percussive == 1
    for i in 0 ..< S.data.count {
        let h = harm[i], p = perc[i]
        maskH.data[i] = softmask(h, p * margin.harmonic, power: power, splitZeros: splitZeros)
        maskP.data[i] = softmask(p, h * margin.percussive, power: power, splitZeros: splitZeros)
    }
    return (maskH, maskP)
}

/// librosa.util.softmask for one value: `(x/z)^p / ((x/z)^p + (ref/z)^p)` with `z = max(x, ref)`.
@inline(__always)
func softmask(_ x: Float, _ ref: Float, power: Float, splitZeros: Bool) -> Float {
    let z = max(x, ref)
    if z < Float.leastNormalMagnitude { return splitZeros ? 0.5 : 0 }
    let a: Float, b: Float
    if power == 2 { let u = x / z, v = ref / z; a = u * u; b = v * v }
    else if power.isInfinite { return x > ref ? 1 : 0 }
    else { a = pow(x / z, power); b = pow(ref / z, power) }
    return a / (a + b)
}

/// HPSS of a magnitude spectrogram (librosa.decompose.hpss): the harmonic and percussive
/// magnitudes `S * mask`.
public func hpss(magnitude S: FeatureMatrix, kernelSize: Int = 31, power: Float = 2,
                 margin: Float = 1) -> (harmonic: FeatureMatrix, percussive: FeatureMatrix) {
    var (h, p) = hpssMasks(magnitude: S, kernelSize: kernelSize, power: power, margin: margin)
    for i in 0 ..< S.data.count { h.data[i] *= S.data[i]; p.data[i] *= S.data[i] }
    return (h, p)
}

/// HPSS of a complex STFT: the harmonic and percussive complex spectrograms `D * mask`.
public func hpss(stft D: ComplexSpectrogram, kernelSize: Int = 31, power: Float = 2,
                 margin: Float = 1) -> (harmonic: ComplexSpectrogram, percussive: ComplexSpectrogram) {
    hpss(stft: D, magnitude: D.magnitude(), kernelSize: kernelSize, power: power, margin: margin)
}

/// `hpss(stft:)` given `|D|`: the masks are applied as they are computed (no mask matrices).
func hpss(stft D: ComplexSpectrogram, magnitude S: FeatureMatrix, kernelSize: Int = 31, power: Float = 2,
          margin: Float = 1) -> (harmonic: ComplexSpectrogram, percussive: ComplexSpectrogram) {
    precondition(margin >= 1 && power > 0, "hpss: margins must be >= 1 and the power strictly positive")
    let harm = medianFilter(S, size: kernelSize, alongFrames: true)
    let perc = medianFilter(S, size: kernelSize, alongFrames: false)
    return (maskedPart(D, own: harm, other: perc, power: power, margin: margin),
            maskedPart(D, own: perc, other: harm, power: power, margin: margin))
}

/// Harmonic and percussive waveforms from `D` and `|D|` (`istft` of each `hpss(stft:magnitude:)`
/// part, trimmed to `length` samples): the parts are masked and inverted one after the other,
/// so only one masked complex spectrogram (`frames x bins` complex values) exists at a time.
/// Same values, bit for bit, as inverting the two parts of `hpss(stft:magnitude:)`.
func hpssWaveforms(stft D: ComplexSpectrogram, magnitude S: FeatureMatrix, parameters: STFTParameters,
                   length: Int, kernelSize: Int = 31, power: Float = 2,
                   margin: Float = 1) throws -> (harmonic: [Float], percussive: [Float]) {
    precondition(margin >= 1 && power > 0, "hpss: margins must be >= 1 and the power strictly positive")
    let harm = medianFilter(S, size: kernelSize, alongFrames: true)
    let perc = medianFilter(S, size: kernelSize, alongFrames: false)
    let harmonic = try istft(maskedPart(D, own: harm, other: perc, power: power, margin: margin),
                             parameters: parameters, length: length)
    let percussive = try istft(maskedPart(D, own: perc, other: harm, power: power, margin: margin),
                               parameters: parameters, length: length)
    return (harmonic, percussive)
}

/// `D * softmask(own, other * margin)` elementwise: the harmonic part with `own` the
/// time-median-filtered magnitude, the percussive part with the frequency-filtered one.
func maskedPart(_ D: ComplexSpectrogram, own: [Float], other: [Float], power: Float,
                        margin: Float) -> ComplexSpectrogram {
    let splitZeros = margin == 1
    // Two output arrays every element of which the loop below writes (no zero fill, no copies).
    func uninitialized() -> [Float] { [Float](unsafeUninitializedCapacity: D.real.count) { $1 = $0.count } }
    var part = ComplexSpectrogram(frames: D.frames, bins: D.bins, real: uninitialized(), imag: uninitialized())
    part.real.withUnsafeMutableBufferPointer { pr in part.imag.withUnsafeMutableBufferPointer { pi in
        D.real.withUnsafeBufferPointer { dr in D.imag.withUnsafeBufferPointer { di in
            own.withUnsafeBufferPointer { own in other.withUnsafeBufferPointer { other in
                for i in 0 ..< dr.count {
                    let m = softmask(own[i], other[i] * margin, power: power, splitZeros: splitZeros)
                    pr[i] = dr[i] * m; pi[i] = di[i] * m
                }
            } }
        } }
    } }
    return part
}

/// Harmonic and percussive waveforms of `y` (librosa.effects.hpss): stft, `hpss(stft:)`, and the
/// inverse STFT of each part trimmed to `y.count` samples.
public func hpss(_ y: [Float], kernelSize: Int = 31, power: Float = 2, margin: Float = 1,
                 stft parameters: STFTParameters = .init()) throws -> (harmonic: [Float], percussive: [Float]) {
    let D = try stft(y, parameters: parameters)
    return try hpssWaveforms(stft: D, magnitude: D.magnitude(), parameters: parameters, length: y.count,
                             kernelSize: kernelSize, power: power, margin: margin)
}
