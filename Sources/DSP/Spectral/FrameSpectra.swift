import CFFTW3
import CSTFT

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
    var batch: Int { Self.batch(nFFT: parameters.nFFT) }

    /// `batch` for transforms of size `nFFT`.
    static func batch(nFFT: Int) -> Int { max(1, min(64, 16384 / nFFT)) }

    /// Computes the spectra of every frame of `y` (padded as `parameters` say) and calls
    /// `consume(firstFrame, count, spectra, rowStride)` per batch, where `spectra` holds
    /// `count` rows of `bins` interleaved complex values (re, im), row `k` starting at
    /// float `k * rowStride` (rows are padded for alignment). Returns the frame count.
    @discardableResult
    func run(_ y: [Float], _ consume: (_ firstFrame: Int, _ count: Int, _ spectra: UnsafePointer<Float>, _ rowStride: Int) -> Void) throws -> Int {
        let p = parameters
        let n = p.nFFT, batch = self.batch
        let inStride = FFTPlanCache.realStride(n), outStride = 2 * FFTPlanCache.complexStride(n)
        let input = FFTBuffer(floats: batch * inStride)
        let output = FFTBuffer(floats: outStride * batch)
        let fullPlan = FFTPlanCache.shared.plan(.realToComplex, n: n, batch: batch)
        return try withFrameStarts(y) { frames, frameStart in
            window.withUnsafeBufferPointer { w in
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
            return frames
        }
    }

    /// `|X|^2` of every frame of `y`, 16 frames per call of `consume(firstFrame, count, power)`
    /// where `power[k * 16 + l]` is bin `k` of frame `firstFrame + l` (l < count) — melcnn's
    /// vector transform (`FrameFFT16`), or nil (nothing called) when it is not available
    /// for this size or CPU. Returns the frame count.
    func runPower16(_ y: [Float], _ consume: (_ firstFrame: Int, _ count: Int, _ power: UnsafePointer<Float>) -> Void) throws -> Int? {
        guard let fft = FrameFFT16.shared(n: parameters.nFFT) else { return nil }
        let n = parameters.nFFT
        let powerBytes = 4 * 16 * (n / 2 + 1), scratchBytes = 4 * melcnn_frame_fft_scratch_floats(n)
        let raw = UnsafeMutableRawPointer.allocate(byteCount: powerBytes + scratchBytes, alignment: 64)
        defer { raw.deallocate() }
        let power = raw.bindMemory(to: Float.self, capacity: powerBytes / 4)
        let scratch = (raw + powerBytes).bindMemory(to: Float.self, capacity: scratchBytes / 4)
        return try withFrameStarts(y) { frames, frameStart in
            window.withUnsafeBufferPointer { w in
                var starts = [UnsafePointer<Float>](repeating: w.baseAddress!, count: 16)
                var t = 0
                while t < frames {
                    let count = min(16, frames - t)
                    // Lanes past the last frame repeat it (their results are not used).
                    for l in 0 ..< 16 { starts[l] = frameStart(t + min(l, count - 1)) }
                    starts.withUnsafeBufferPointer { s in
                        s.withMemoryRebound(to: UnsafePointer<Float>?.self) {
                            melcnn_frame_fft_power16(fft.pointer, $0.baseAddress!, w.baseAddress!, power, scratch)
                        }
                    }
                    consume(t, count, UnsafePointer(power))
                    t += count
                }
            }
            return frames
        }
    }

    /// Calls `body(frameCount, frameStart)` where `frameStart(f)` points at the nFFT samples of
    /// frame `f` of `y`, padded as `parameters` say. Centred frames read the signal in place;
    /// only those that overlap an end read a padded copy of the first / last 2 nFFT samples
    /// (both pad modes need no more), so a long signal is not copied whole. Short signals are
    /// padded whole.
    private func withFrameStarts<R>(_ y: [Float], _ body: (_ frames: Int, _ frameStart: (Int) -> UnsafePointer<Float>) -> R) throws -> R {
        let p = parameters
        let frames = try p.frameCount(length: y.count)
        let n = p.nFFT, hop = p.hopLength, half = n / 2
        let edges = p.center && y.count >= 2 * n
        let whole = p.center && !edges ? padSignal(y, left: half, right: half, mode: p.padMode) : y
        let head = edges ? padSignal(Array(y[0 ..< 2 * n]), left: half, right: half, mode: p.padMode) : []
        let tail = edges ? padSignal(Array(y[(y.count - 2 * n)...]), left: half, right: half, mode: p.padMode) : []
        return whole.withUnsafeBufferPointer { signal in
            head.withUnsafeBufferPointer { head in
                tail.withUnsafeBufferPointer { tail in
                    body(frames) { f in
                        guard edges else { return signal.baseAddress! + f * hop }
                        let s = f * hop - half // in signal coordinates
                        if s < 0 { return head.baseAddress! + f * hop }
                        if s + n > signal.count { return tail.baseAddress! + (s - (signal.count - 2 * n) + half) }
                        return signal.baseAddress! + s
                    }
                }
            }
        }
    }
}
