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
        let n = p.nFFT, hop = p.hopLength, batch = self.batch, half = n / 2
        // Centred frames read the signal in place; only those that overlap an end read a
        // padded copy of the first / last 2 nFFT samples (both pad modes need no more), so
        // a long signal is not copied whole. Short signals are padded whole.
        let edges = p.center && y.count >= 2 * n
        let whole = p.center && !edges ? padSignal(y, left: half, right: half, mode: p.padMode) : y
        let head = edges ? padSignal(Array(y[0 ..< 2 * n]), left: half, right: half, mode: p.padMode) : []
        let tail = edges ? padSignal(Array(y[(y.count - 2 * n)...]), left: half, right: half, mode: p.padMode) : []
        let inStride = FFTPlanCache.realStride(n), outStride = 2 * FFTPlanCache.complexStride(n)
        let input = FFTBuffer(floats: batch * inStride)
        let output = FFTBuffer(floats: outStride * batch)
        let fullPlan = FFTPlanCache.shared.plan(.realToComplex, n: n, batch: batch)
        whole.withUnsafeBufferPointer { signal in
            head.withUnsafeBufferPointer { head in
                tail.withUnsafeBufferPointer { tail in
                    window.withUnsafeBufferPointer { w in
                        /// The first sample of frame `f` (nFFT samples from there are the frame).
                        func frameStart(_ f: Int) -> UnsafePointer<Float> {
                            guard edges else { return signal.baseAddress! + f * hop }
                            let s = f * hop - half // in signal coordinates
                            if s < 0 { return head.baseAddress! + f * hop }
                            if s + n > signal.count { return tail.baseAddress! + (s - (signal.count - 2 * n) + half) }
                            return signal.baseAddress! + s
                        }
                        var t = 0
                        while t < frames {
                            let count = min(batch, frames - t)
                            let plan = count == batch ? fullPlan : FFTPlanCache.shared.plan(.realToComplex, n: n, batch: count)
                            for k in 0 ..< count {
                                Kernels.multiply(frameStart(t + k), w.baseAddress!, into: input.pointer + k * inStride, n)
                            }
                            output.complex { fftwf_execute_dft_r2c(plan, input.pointer, $0) }
                            consume(t, count, UnsafePointer(output.pointer), outStride)
                            t += count
                        }
                    }
                }
            }
        }
        return frames
    }
}
