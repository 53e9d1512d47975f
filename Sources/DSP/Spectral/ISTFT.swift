import CFFTW3

/// Inverse STFT by weighted overlap-add (librosa `istft`): each frame is inverse
/// transformed, multiplied by the synthesis window and added at `t * hop`; the
/// sum is divided by the overlapped squared window (`window_sumsquare`) wherever
/// that exceeds the smallest normal float. Centred, the first `nFFT / 2` samples
/// are dropped. `length` trims or zero-pads the result to exactly that many samples.
///
/// `istft(stft(y, parameters: p), parameters: p, length: y.count)` reproduces `y`
/// to about 1e-6 for the Hann window at hop `nFFT / 4`.
public func istft(_ S: ComplexSpectrogram, parameters: STFTParameters = .init(), length: Int? = nil) throws -> [Float] {
    try istft(S, gain: nil, parameters: parameters, length: length)
}

/// `istft(S.scaled(by: gain))` without the scaled copy: each bin is multiplied by its gain as
/// the frames are read (the same products, so the same bits).
func istft(_ S: ComplexSpectrogram, gain: [Float]?, parameters: STFTParameters, length: Int?) throws -> [Float] {
    try parameters.validate()
    precondition(gain.map { $0.count == S.real.count } ?? true, "istft: one gain per bin")
    let n = parameters.nFFT, hop = parameters.hopLength, bins = parameters.bins
    guard S.bins == bins else {
        throw DSPError.invalidInput("istft: spectrogram has \(S.bins) bins, n_fft = \(n) needs \(bins)")
    }
    if let length, length < 0 {
        throw DSPError.invalidParameter(parameter: "length", value: "\(length)", reason: "must be non-negative")
    }
    let trim = parameters.center ? n / 2 : 0
    var frames = S.frames
    if let length {
        let padded = length + 2 * trim
        frames = min(frames, (padded + hop - 1) / hop)
    }
    let outLength = length ?? max(0, n + hop * (frames - 1) - 2 * trim)
    guard frames > 0 else { return [Float](repeating: 0, count: outLength) }

    let total = n + hop * (frames - 1)
    var signal = [Float](repeating: 0, count: total)
    var windowSum = [Float](repeating: 0, count: total)
    let overlapAdd = OverlapAdd(parameters: parameters)
    signal.withUnsafeMutableBufferPointer { y in
        windowSum.withUnsafeMutableBufferPointer { wss in
            S.real.withUnsafeBufferPointer { re in
                S.imag.withUnsafeBufferPointer { im in
                    withOptionalPointer(gain) { g in
                        overlapAdd.add(frames: frames, real: re.baseAddress!, imag: im.baseAddress!, gain: g,
                                       signal: y.baseAddress!, windowSum: wss.baseAddress!)
                    }
                }
            }
        }
    }
    var out = [Float](repeating: 0, count: outLength)
    let count = min(outLength, total - trim)
    if count > 0 {
        signal.withUnsafeBufferPointer { y in windowSum.withUnsafeBufferPointer { wss in
            out.withUnsafeMutableBufferPointer { o in
                normaliseOverlapAdd(y.baseAddress! + trim, windowSum: wss.baseAddress! + trim, count: count, into: o.baseAddress!)
            }
        } }
    }
    return out
}

/// The weighted overlap-add of `istft`: frames inverse transformed `batch` at a time with FFTW's
/// batched complex-to-real plan, scaled by `1 / nFFT`, multiplied by the synthesis window and
/// added in frame order, with the squared window summed alongside. `StreamingISTFT` runs the
/// same calls on consecutive runs of frames (each run but the last a multiple of `batch`), so
/// every sum is formed in the same order as the one-shot `istft`.
struct OverlapAdd {
    let nFFT: Int, hop: Int, bins: Int
    let window: [Float]
    /// Frames per FFTW call.
    let batch: Int
    private let input: FFTBuffer, output: FFTBuffer
    private let inStride: Int, outStride: Int

    init(parameters: STFTParameters) {
        nFFT = parameters.nFFT
        hop = parameters.hopLength
        bins = parameters.bins
        window = parameters.paddedWindow()
        batch = max(1, min(64, 16384 / nFFT))
        inStride = 2 * FFTPlanCache.complexStride(nFFT)
        outStride = FFTPlanCache.realStride(nFFT)
        input = FFTBuffer(floats: inStride * batch)
        output = FFTBuffer(floats: outStride * batch)
    }

    /// Adds `frames` frames (rows of `bins` values at `real`, `imag`, each value multiplied by
    /// the one at `gain` when given): frame `t` at `signal + t * hop`, its squared window at
    /// `windowSum + t * hop`.
    func add(frames: Int, real re: UnsafePointer<Float>, imag im: UnsafePointer<Float>, gain: UnsafePointer<Float>?,
             signal y: UnsafeMutablePointer<Float>, windowSum wss: UnsafeMutablePointer<Float>) {
        let n = nFFT, scale = 1 / Float(n)  // FFTW's c2r is unnormalised; irfft divides by n
        window.withUnsafeBufferPointer { w in
            var t = 0
            while t < frames {
                let count = min(batch, frames - t)
                let plan = FFTPlanCache.shared.plan(.complexToReal, n: n, batch: count)
                for k in 0 ..< count {
                    let row = input.pointer + k * inStride, src = (t + k) * bins
                    interleave(real: re + src, imag: im + src, gain: gain.map { $0 + src }, count: bins, into: row)
                }
                input.complex { fftwf_execute_dft_c2r(plan, $0, output.pointer) }
                for k in 0 ..< count {
                    let frame = output.pointer + k * outStride, start = (t + k) * hop
                    addWindowed(frame, window: w.baseAddress!, scale: scale, count: n, signal: y + start, windowSum: wss + start)
                }
                t += count
            }
        }
    }
}

/// FFTW's interleaved complex input from split parts: `row[2i] = real[i] * gain[i]`,
/// `row[2i + 1] = imag[i] * gain[i]` (no product without a gain), four bins per step.
@inline(__always)
private func interleave(real re: UnsafePointer<Float>, imag im: UnsafePointer<Float>, gain: UnsafePointer<Float>?,
                        count: Int, into row: UnsafeMutablePointer<Float>) {
    typealias V4 = SIMD4<Float>
    func load(_ p: UnsafePointer<Float>) -> V4 { UnsafeRawPointer(p).loadUnaligned(as: V4.self) }
    var i = 0
    while i + 4 <= count {
        var r = load(re + i), m = load(im + i)
        if let gain { let g = load(gain + i); r *= g; m *= g }
        UnsafeMutableRawPointer(row + 2 * i).storeBytes(of: SIMD8(r[0], m[0], r[1], m[1], r[2], m[2], r[3], m[3]),
                                                        as: SIMD8<Float>.self)
        i += 4
    }
    for j in i ..< count {
        if let gain {
            row[2 * j] = re[j] * gain[j]
            row[2 * j + 1] = im[j] * gain[j]
        } else {
            row[2 * j] = re[j]
            row[2 * j + 1] = im[j]
        }
    }
}

/// One frame of the overlap-add: `signal[i] += frame[i] * scale * window[i]` and
/// `windowSum[i] += window[i]^2` for `i < count`, eight samples per step (the same products
/// and sums as one at a time).
@inline(__always)
private func addWindowed(_ frame: UnsafePointer<Float>, window w: UnsafePointer<Float>, scale: Float, count n: Int,
                         signal y: UnsafeMutablePointer<Float>, windowSum wss: UnsafeMutablePointer<Float>) {
    typealias V8 = SIMD8<Float>
    func load(_ p: UnsafePointer<Float>) -> V8 { UnsafeRawPointer(p).loadUnaligned(as: V8.self) }
    var i = 0
    while i + 8 <= n {
        let f = load(frame + i), wv = load(w + i)
        UnsafeMutableRawPointer(y + i).storeBytes(of: load(y + i) + f * scale * wv, as: V8.self)
        UnsafeMutableRawPointer(wss + i).storeBytes(of: load(wss + i) + wv * wv, as: V8.self)
        i += 8
    }
    while i < n {
        y[i] += frame[i] * scale * w[i]
        wss[i] += w[i] * w[i]
        i += 1
    }
}

/// The overlap-added signal divided by the summed squared window where that exceeds the
/// smallest normal float (librosa's `window_sumsquare` normalisation): `out[i]` for `i < count`.
@inline(__always)
func normaliseOverlapAdd(_ signal: UnsafePointer<Float>, windowSum: UnsafePointer<Float>, count: Int,
                         into out: UnsafeMutablePointer<Float>) {
    let tiny = Float.leastNormalMagnitude
    for i in 0 ..< count {
        let s = windowSum[i]
        out[i] = s > tiny ? signal[i] / s : signal[i]
    }
}

/// `body` with a pointer to the elements of `values`, or nil without values.
@inline(__always)
func withOptionalPointer<R>(_ values: [Float]?, _ body: (UnsafePointer<Float>?) throws -> R) rethrows -> R {
    guard let values else { return try body(nil) }
    return try values.withUnsafeBufferPointer { try body($0.baseAddress) }
}
