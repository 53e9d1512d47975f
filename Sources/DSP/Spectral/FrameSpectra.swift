import CFFTW3

/// The engine under `stft`, `spectrogram` and the mel extractor: windows the
/// frames of a signal and runs FFTW's batched real-to-complex plan on them,
/// `batch` frames per call, handing each batch of spectra to a consumer.
struct FrameSpectra {
    let parameters: STFTParameters
    /// The analysis window padded to `nFFT`.
    let window: [Float]

    init(parameters: STFTParameters, window: [Float]? = nil) throws {
        try parameters.validate()
        self.parameters = parameters
        self.window = window ?? parameters.paddedWindow()
    }

    /// Frames per FFTW call: about 16 k samples of input, so a batch stays in cache.
    var batch: Int { max(1, min(64, 16384 / parameters.nFFT)) }

    /// Computes the spectra of every frame of `y` (padded as `parameters` say) and calls
    /// `consume(firstFrame, count, spectra, rowStride)` per batch, where `spectra` holds
    /// `count` rows of `bins` interleaved complex values (re, im), row `k` starting at
    /// float `k * rowStride` (rows are padded for alignment). Returns the frame count.
    @discardableResult
    func run(_ y: [Float], _ consume: (_ firstFrame: Int, _ count: Int, _ spectra: UnsafePointer<Float>, _ rowStride: Int) -> Void) throws -> Int {
        let p = parameters
        let frames = try p.frameCount(length: y.count)
        let padded = p.center ? padSignal(y, left: p.nFFT / 2, right: p.nFFT / 2, mode: p.padMode) : y
        let n = p.nFFT, hop = p.hopLength, batch = self.batch
        let inStride = FFTPlanCache.realStride(n), outStride = 2 * FFTPlanCache.complexStride(n)
        let input = FFTBuffer(floats: batch * inStride)
        let output = FFTBuffer(floats: outStride * batch)
        let fullPlan = FFTPlanCache.shared.plan(.realToComplex, n: n, batch: batch)
        padded.withUnsafeBufferPointer { signal in
            window.withUnsafeBufferPointer { w in
                var t = 0
                while t < frames {
                    let count = min(batch, frames - t)
                    let plan = count == batch ? fullPlan : FFTPlanCache.shared.plan(.realToComplex, n: n, batch: count)
                    for k in 0 ..< count {
                        Kernels.multiply(signal.baseAddress! + (t + k) * hop, w.baseAddress!, into: input.pointer + k * inStride, n)
                    }
                    output.complex { fftwf_execute_dft_r2c(plan, input.pointer, $0) }
                    consume(t, count, UnsafePointer(output.pointer), outStride)
                    t += count
                }
            }
        }
        return frames
    }
}
