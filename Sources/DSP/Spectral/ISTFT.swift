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
    try parameters.validate()
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
                    overlapAdd.add(frames: frames, real: re.baseAddress!, imag: im.baseAddress!,
                                   signal: y.baseAddress!, windowSum: wss.baseAddress!)
                }
            }
        }
    }
    var out = [Float](repeating: 0, count: outLength)
    let tiny = Float.leastNormalMagnitude
    for i in 0 ..< min(outLength, total - trim) {
        let s = windowSum[trim + i]
        out[i] = s > tiny ? signal[trim + i] / s : signal[trim + i]
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

    /// Adds `frames` frames (rows of `bins` values at `real`, `imag`): frame `t` at
    /// `signal + t * hop`, its squared window at `windowSum + t * hop`.
    func add(frames: Int, real re: UnsafePointer<Float>, imag im: UnsafePointer<Float>,
             signal y: UnsafeMutablePointer<Float>, windowSum wss: UnsafeMutablePointer<Float>) {
        let n = nFFT, scale = 1 / Float(n)  // FFTW's c2r is unnormalised; irfft divides by n
        window.withUnsafeBufferPointer { w in
            var t = 0
            while t < frames {
                let count = min(batch, frames - t)
                let plan = FFTPlanCache.shared.plan(.complexToReal, n: n, batch: count)
                for k in 0 ..< count {
                    let row = input.pointer + k * inStride, src = (t + k) * bins
                    for i in 0 ..< bins {
                        row[2 * i] = re[src + i]
                        row[2 * i + 1] = im[src + i]
                    }
                }
                input.complex { fftwf_execute_dft_c2r(plan, $0, output.pointer) }
                for k in 0 ..< count {
                    let frame = output.pointer + k * outStride
                    let start = (t + k) * hop
                    for i in 0 ..< n {
                        y[start + i] += frame[i] * scale * w[i]
                        wss[start + i] += w[i] * w[i]
                    }
                }
                t += count
            }
        }
    }
}
