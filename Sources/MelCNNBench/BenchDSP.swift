import ArgumentParser
import Audio
import DSP
import Foundation
import Tensor

/// `melcnn-bench dsp`: STFT, mel + dB, MFCC and load-WAV + log-mel on one clip,
/// single thread, median of repeated runs of the process CPU time (see
/// `BenchTiming.medianCPUMs`); the peer is `Benchmarks/dsp/peer.py`, timed the same way.
///
/// Also measures the *floor*: the same FFT + power + mel + log arithmetic for as
/// many frames, with everything that is not arithmetic removed: one batch of 8
/// frames windowed beforehand and transformed again and again (input in cache), the
/// batched FFTW plan made beforehand, preallocated outputs, sparse mel projection,
/// `log10f` in place; no padding, windowing, allocation or top_db pass. Timed the
/// same way. `x_floor` on each line = its time / the floor.
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
    /// extractor): total, and each stage alone (`DSP.LogMelFloorWork` holds the buffers).
    static func floorMs(_ y: [Float], runs: Int, batch: Int = 8) throws -> (total: Double, fft: Double, power: Double, mel: Double, log: Double) {
        let work = try LogMelFloorWork(y, batch: batch)
        let batches = work.batches
        let scale = Double(work.frames) / Double(batches * batch)
        let total = BenchTiming.medianCPUMs(runs: runs, warmup: 2) {
            for b in 0 ..< batches { work.fft(); work.power2(); work.project(batch: b) }
            work.log()
        }
        let tFFT = BenchTiming.medianCPUMs(runs: runs, warmup: 2) { for _ in 0 ..< batches { work.fft() } }
        let tPow = BenchTiming.medianCPUMs(runs: runs, warmup: 2) { for _ in 0 ..< batches { work.power2() } }
        let tMel = BenchTiming.medianCPUMs(runs: runs, warmup: 2) { for b in 0 ..< batches { work.project(batch: b) } }
        let tLog = BenchTiming.medianCPUMs(runs: runs, warmup: 2) { work.resetMel(); work.log() }
        return (total * scale, tFFT * scale, tPow * scale, tMel * scale, tLog)
    }
}
