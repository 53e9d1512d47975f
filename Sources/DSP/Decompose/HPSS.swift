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
    let splitZeros = margin == 1
    // Four output arrays every element of which the loop below writes (no zero fill, no copies).
    func uninitialized() -> [Float] { [Float](unsafeUninitializedCapacity: D.real.count) { $1 = $0.count } }
    var h = ComplexSpectrogram(frames: D.frames, bins: D.bins, real: uninitialized(), imag: uninitialized())
    var p = ComplexSpectrogram(frames: D.frames, bins: D.bins, real: uninitialized(), imag: uninitialized())
    h.real.withUnsafeMutableBufferPointer { hr in h.imag.withUnsafeMutableBufferPointer { hi in
        p.real.withUnsafeMutableBufferPointer { pr in p.imag.withUnsafeMutableBufferPointer { pi in
            D.real.withUnsafeBufferPointer { dr in D.imag.withUnsafeBufferPointer { di in
                for i in 0 ..< dr.count {
                    let mh = softmask(harm[i], perc[i] * margin, power: power, splitZeros: splitZeros)
                    let mp = softmask(perc[i], harm[i] * margin, power: power, splitZeros: splitZeros)
                    hr[i] = dr[i] * mh; hi[i] = di[i] * mh
                    pr[i] = dr[i] * mp; pi[i] = di[i] * mp
                }
            } }
        } }
    } }
    return (h, p)
}

/// Harmonic and percussive waveforms of `y` (librosa.effects.hpss): stft, `hpss(stft:)`, and the
/// inverse STFT of each part trimmed to `y.count` samples.
public func hpss(_ y: [Float], kernelSize: Int = 31, power: Float = 2, margin: Float = 1,
                 stft parameters: STFTParameters = .init()) throws -> (harmonic: [Float], percussive: [Float]) {
    let D = try stft(y, parameters: parameters)
    let (h, p) = hpss(stft: D, kernelSize: kernelSize, power: power, margin: margin)
    return (try istft(h, parameters: parameters, length: y.count), try istft(p, parameters: parameters, length: y.count))
}
