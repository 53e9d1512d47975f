import ArgumentParser
import Audio
import CFFTW3
import DSP
import Foundation
import Tensor

/// `melcnn bench dsp`: STFT, mel + dB, MFCC and load-WAV + log-mel on one clip,
/// single thread, median of repeated runs of the process CPU time (see
/// `BenchTiming.medianCPUMs`); the peer is `Benchmarks/dsp/peer.py`, timed the same way.
///
/// Also measures the *floor*: the same FFT + power + mel + log arithmetic for as
/// many frames, with everything that is not arithmetic removed: one batch of 8
/// frames windowed beforehand and transformed again and again (input in cache), the
/// batched FFTW plan made beforehand, preallocated outputs, sparse mel projection,
/// `log10f` in place; no padding, windowing, allocation or top_db pass. Timed the
/// same way. `x_floor` on each line = its time / the floor.
/// A user error of a `melcnn bench` area (exit code 1); the description names the flag or file.
struct BenchUserError: Error, CustomStringConvertible { let description: String }

struct BenchDSP: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dsp",
        abstract: "DSP benchmarks (stft, mel + dB, mfcc, load WAV + log-mel) on one clip; JSON lines on stdout.",
        discussion: "Used by Benchmarks/dsp/run.sh, which writes the clip and runs librosa on the same file.")

    @Option(name: .long, parsing: .unconditional, help: "WAV clip to analyse (22050 Hz mono; Benchmarks/dsp/peer.py --write-clip makes one).")
    var clip: String
    @Option(name: .long, parsing: .unconditional, help: "Timed repetitions per benchmark (the median is reported).")
    var runs: Int = 21

    func run() throws {
        Threads.setCount(1)
        guard runs >= 1 else { throw BenchUserError(description: "bench dsp: --runs must be >= 1 (got \(runs))") }
        let y = try AudioFile.load(clip, sampleRate: 22050).samples
        // The floor measurement works on whole batches of 8 frames at hop 512.
        guard y.count >= 8 * 512 else {
            throw BenchUserError(description: "bench dsp: \(clip): too short for bench dsp (\(y.count) samples; needs at least 4096 at 22050 Hz)")
        }
        let parts = try Self.floorMs(y, runs: runs)
        let floor = parts.total
        let seconds = Double(y.count) / 22050
        func report(_ name: String, _ body: () throws -> Void) rethrows {
            let ms = try BenchTiming.medianCPUMs(runs: runs, warmup: 2, body)
            BenchTiming.emit(name, ms: ms, extra: ["x_floor": ms / floor, "audio_s": seconds])
        }
        try report("dsp.stft") { _ = try stft(y) }
        try report("dsp.mel_db") { _ = try powerToDb(try melSpectrogram(y)) }
        let extractor = try MelSpectrogramExtractor()
        try report("dsp.logmel_extractor") { _ = try extractor.logMelSpectrogram(y) }
        try report("dsp.mfcc") { _ = try mfcc(y) }
        try report("dsp.load_wav_logmel") {
            _ = try extractor.logMelSpectrogram(try AudioFile.load(clip, sampleRate: 22050).samples)
        }
        BenchTiming.emit("dsp.floor_fft_power_mel_log", ms: floor, extra: [
            "x_floor": 1, "audio_s": seconds, "fft_ms": parts.fft, "power_ms": parts.power, "mel_ms": parts.mel, "log_ms": parts.log])
    }

    /// Median times (ms) of the bare FFT + power + mel + log10 arithmetic for `y` at librosa's
    /// defaults, in batches of `batch` frames (so the working set stays in cache, as in the
    /// extractor): total, and each stage alone.
    static func floorMs(_ y: [Float], runs: Int, batch: Int = 8) throws -> (total: Double, fft: Double, power: Double, mel: Double, log: Double) {
        let p = STFTParameters()
        let n = p.nFFT, bins = p.bins, frames = try p.frameCount(length: y.count)
        let bank = try MelFilterbank(nFFT: n)
        let nMels = bank.nMels
        let padded = padSignal(y, left: n / 2, right: n / 2, mode: .constant)
        let window = p.paddedWindow()
        let batches = frames / batch  // whole batches only: the floor of a slightly shorter clip
        let inStride = FFTPlanCache.realStride(n), outStride = 2 * FFTPlanCache.complexStride(n)
        // One batch of pre-windowed frames, transformed over and over: input in cache, pure arithmetic.
        let input = FFTBuffer(floats: batch * inStride)
        for t in 0 ..< batch {
            for i in 0 ..< n { input.pointer[t * inStride + i] = padded[t * p.hopLength + i] * window[i] }
        }
        let spectra = FFTBuffer(floats: outStride * batch)
        let plan = FFTPlanCache.shared.plan(.realToComplex, n: n, batch: batch)
        let power = UnsafeMutablePointer<Float>.allocate(capacity: batch * bins)
        let mel = UnsafeMutablePointer<Float>.allocate(capacity: frames * nMels)
        power.initialize(repeating: 1, count: batch * bins)
        mel.initialize(repeating: 1, count: frames * nMels)
        defer { power.deallocate(); mel.deallocate() }
        let scale = Double(frames) / Double(batches * batch)
        func fft(_ b: Int) { spectra.complex { fftwf_execute_dft_r2c(plan, input.pointer, $0) } }
        func pow2() {
            for t in 0 ..< batch {
                let z = spectra.pointer + t * outStride, row = power + t * bins
                for k in 0 ..< bins { row[k] = z[2 * k] * z[2 * k] + z[2 * k + 1] * z[2 * k + 1] }
            }
        }
        func project(_ b: Int) { for t in 0 ..< batch { bank.apply(row: power + t * bins, into: mel + (b * batch + t) * nMels) } }
        func log() { for k in 0 ..< frames * nMels { mel[k] = 10 * log10f(max(1e-10, mel[k])) } }
        let total = BenchTiming.medianCPUMs(runs: runs, warmup: 2) {
            for b in 0 ..< batches { fft(b); pow2(); project(b) }
            log()
        }
        let tFFT = BenchTiming.medianCPUMs(runs: runs, warmup: 2) { for b in 0 ..< batches { fft(b) } }
        let tPow = BenchTiming.medianCPUMs(runs: runs, warmup: 2) { for _ in 0 ..< batches { pow2() } }
        let tMel = BenchTiming.medianCPUMs(runs: runs, warmup: 2) { for b in 0 ..< batches { project(b) } }
        let tLog = BenchTiming.medianCPUMs(runs: runs, warmup: 2) { mel.update(repeating: 1, count: frames * nMels); log() }
        return (total * scale, tFFT * scale, tPow * scale, tMel * scale, tLog)
    }
}
