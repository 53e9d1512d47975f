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
    var harm = medianFilter(S, size: kernelSize.harmonic, alongFrames: true)
    var perc = medianFilter(S, size: kernelSize.percussive, alongFrames: false)
    softmasks(harmonic: &harm, percussive: &perc, power: power, margin: margin)
    return (FeatureMatrix(frames: S.frames, bins: S.bins, data: harm), FeatureMatrix(frames: S.frames, bins: S.bins, data: perc))
}

/// Turns the harmonic (time-filtered) and percussive (frequency-filtered) estimates into their
/// soft masks in place: `harmonic[i]` becomes `softmask(h, p * margin.harmonic)` and
/// `percussive[i]` `softmask(p, h * margin.percussive)`, with `h`, `p` the estimates at `i`.
func softmasks(harmonic: inout [Float], percussive: inout [Float], power: Float,
               margin: (harmonic: Float, percussive: Float)) {
    precondition(harmonic.count == percussive.count)
    let splitZeros = margin.harmonic == 1 && margin.percussive == 1
    harmonic.withUnsafeMutableBufferPointer { hs in percussive.withUnsafeMutableBufferPointer { ps in
        if power == 2 {
            // The common case without calls or branches, so that it vectorises.
            let zero: Float = splitZeros ? 0.5 : 0, tiny = Float.leastNormalMagnitude
            let mh = margin.harmonic, mp = margin.percussive
            for i in 0 ..< hs.count {
                let h = hs[i], p = ps[i]
                let rh = p * mh, rp = h * mp
                let zh = max(h, rh), zp = max(p, rp)
                let uh = h / zh, vh = rh / zh, up = p / zp, vp = rp / zp
                let ah = uh * uh, bh = vh * vh, ap = up * up, bp = vp * vp
                hs[i] = zh < tiny ? zero : ah / (ah + bh)
                ps[i] = zp < tiny ? zero : ap / (ap + bp)
            }
        } else {
            for i in 0 ..< hs.count {
                let h = hs[i], p = ps[i]
                hs[i] = softmask(h, p * margin.harmonic, power: power, splitZeros: splitZeros)
                ps[i] = softmask(p, h * margin.percussive, power: power, splitZeros: splitZeros)
            }
        }
    } }
}

/// librosa.util.softmask for one value: `(x/z)^p / ((x/z)^p + (ref/z)^p)` with `z = max(x, ref)`
/// (`softmasks` has its own loop for p = 2).
@inline(__always)
func softmask(_ x: Float, _ ref: Float, power: Float, splitZeros: Bool) -> Float {
    let z = max(x, ref)
    if z < Float.leastNormalMagnitude { return splitZeros ? 0.5 : 0 }
    if power.isInfinite { return x > ref ? 1 : 0 }
    let a = pow(x / z, power), b = pow(ref / z, power)
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
    let masks = hpssMasks(magnitude: D.magnitude(), kernelSize: kernelSize, power: power, margin: margin)
    return (D.scaled(by: masks.harmonic.data), D.scaled(by: masks.percussive.data))
}

/// Harmonic and percussive waveforms from `D` and `|D|` (`istft` of each `hpss(stft:)` part,
/// trimmed to `length` samples): each mask multiplies `D` as the inverse transform reads it,
/// so no masked spectrogram is stored. Same values, bit for bit, as inverting the two parts
/// of `hpss(stft:)`.
func hpssWaveforms(stft D: ComplexSpectrogram, magnitude S: FeatureMatrix, parameters: STFTParameters,
                   length: Int, kernelSize: Int = 31, power: Float = 2,
                   margin: Float = 1) throws -> (harmonic: [Float], percussive: [Float]) {
    let masks = hpssMasks(magnitude: S, kernelSize: kernelSize, power: power, margin: margin)
    return (try istft(D, gain: masks.harmonic.data, parameters: parameters, length: length),
            try istft(D, gain: masks.percussive.data, parameters: parameters, length: length))
}

/// Harmonic and percussive waveforms of `y` (librosa.effects.hpss): stft, `hpss(stft:)`, and the
/// inverse STFT of each part trimmed to `y.count` samples.
public func hpss(_ y: [Float], kernelSize: Int = 31, power: Float = 2, margin: Float = 1,
                 stft parameters: STFTParameters = .init()) throws -> (harmonic: [Float], percussive: [Float]) {
    let D = try stft(y, parameters: parameters)
    return try hpssWaveforms(stft: D, magnitude: D.magnitude(), parameters: parameters, length: y.count,
                             kernelSize: kernelSize, power: power, margin: margin)
}
