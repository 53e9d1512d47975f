import CFFTW3
import Foundation

/// The bare arithmetic of a log-mel spectrogram at librosa's defaults, for `melcnn-bench dsp`'s
/// *floor*: FFT + power + mel projection + log10 for as many frames as a signal has, with
/// everything that is not arithmetic removed (one batch of `batch` frames windowed once and
/// transformed again and again with its input in cache, the batched FFTW plan made beforehand,
/// preallocated outputs, sparse mel projection, `log10f` in place; no padding, windowing,
/// allocation or top_db pass). The caller times the stages; this type only owns the buffers,
/// so the FFT plan cache stays internal to DSP. Not shared between threads.
public final class LogMelFloorWork {
    /// Whole batches of `batch` frames that fit in the signal (the floor of a slightly shorter clip).
    public let batches: Int
    /// Frames of the whole signal; `frames / (batches * batch)` scales a timing of the batches up.
    public let frames: Int
    public let batch: Int

    private let nFFT: Int, bins: Int, nMels: Int, outStride: Int
    private let bank: MelFilterbank
    private let input: FFTBuffer, spectra: FFTBuffer
    private let plan: OpaquePointer
    private let power: UnsafeMutablePointer<Float>, mel: UnsafeMutablePointer<Float>

    /// Prepares the buffers for `y` (at least `batch` frames at hop 512).
    public init(_ y: [Float], batch: Int = 8) throws {
        let p = STFTParameters()
        nFFT = p.nFFT
        bins = p.bins
        frames = try p.frameCount(length: y.count)
        bank = try MelFilterbank(nFFT: nFFT)
        nMels = bank.nMels
        self.batch = batch
        batches = frames / batch
        let padded = padSignal(y, left: nFFT / 2, right: nFFT / 2, mode: .constant)
        let window = p.paddedWindow()
        let inStride = FFTPlanCache.realStride(nFFT)
        outStride = 2 * FFTPlanCache.complexStride(nFFT)
        input = FFTBuffer(floats: batch * inStride)
        for t in 0 ..< batch {
            for i in 0 ..< nFFT { input.pointer[t * inStride + i] = padded[t * p.hopLength + i] * window[i] }
        }
        spectra = FFTBuffer(floats: outStride * batch)
        plan = FFTPlanCache.shared.plan(.realToComplex, n: nFFT, batch: batch)
        power = .allocate(capacity: batch * bins)
        mel = .allocate(capacity: frames * nMels)
        power.initialize(repeating: 1, count: batch * bins)
        mel.initialize(repeating: 1, count: frames * nMels)
    }

    deinit { power.deallocate(); mel.deallocate() }

    /// The batched real FFT of the cached frames.
    public func fft() { spectra.complex { fftwf_execute_dft_r2c(plan, input.pointer, $0) } }

    /// |X|^2 of the batch's spectra.
    public func power2() {
        for t in 0 ..< batch {
            let z = spectra.pointer + t * outStride, row = power + t * bins
            for k in 0 ..< bins { row[k] = z[2 * k] * z[2 * k] + z[2 * k + 1] * z[2 * k + 1] }
        }
    }

    /// The mel projection of the batch's power rows into batch number `b` of the output.
    public func project(batch b: Int) {
        for t in 0 ..< batch { bank.apply(row: power + t * bins, into: mel + (b * batch + t) * nMels) }
    }

    /// `10 log10(max(1e-10, x))` over the whole mel output, in place.
    public func log() { for k in 0 ..< frames * nMels { mel[k] = 10 * log10f(max(1e-10, mel[k])) } }

    /// Resets the mel output to ones (so that timing `log()` alone sees the same values each run).
    public func resetMel() { mel.update(repeating: 1, count: frames * nMels) }
}
