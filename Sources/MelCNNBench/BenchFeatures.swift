import ArgumentParser
import Audio
import DSP
import Foundation
import Tensor

/// `melcnn-bench features`: the feature catalogue on a 30 s clip, the peer being librosa 0.11
/// (Benchmarks/features/peer.py prints the same benchmark names).
struct BenchFeatures: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "features",
        abstract: "Benchmark the feature catalogue (melcnn's side of `make bench`).",
        discussion: """
            Loads --clip (Benchmarks/features/run.sh writes the 30 s synthetic song of the parity \
            fixtures as a 22050 Hz WAV) and times, as the median of --runs runs after one warm-up, \
            one thread, each starting from the waveform like librosa's `y=` calls:
              chroma_stft        chromaSTFT (stft, tuning estimation, filterbank)
              spectral_contrast  spectralContrast
              onset_strength     onsetStrength (log-mel, spectral flux, mean)
              beat_track         beatTrack (median onset envelope, tempo, DP)
              cqt                cqtMagnitude (84 bins from C1, 12 per octave)
              chroma_cqt         chromaCQT (7 octaves x 36 bins, tuning estimated)
              tonnetz            tonnetz (chroma CQT, L1, 6-D projection)
              hpss               hpss (stft, median filters, masks, two istft)
              gtzan_row_30s      GTZANFeatures.compute (the whole features_30_sec.csv row)
            Prints one JSON line per benchmark on stdout (wall ms, plus the median CPU time of \
            the thread as `cpu_ms`, which stays comparable when the machine is busy).

            Example: melcnn-bench features --clip bench-output/features/clip30.wav --runs 5
            """
    )

    @Option(parsing: .unconditional, help: ArgumentHelp("The audio clip to analyse (22050 Hz).", valueName: "path"))
    var clip: String

    @Option(parsing: .unconditional, help: "Timed runs per benchmark (the median is reported).")
    var runs = 5

    @Option(parsing: .unconditional, help: ArgumentHelp("Run only the benchmark of this name.", valueName: "name"))
    var only: String?

    func run() throws {
        guard runs >= 1 else { throw BenchAudio.BenchError.invalidRuns(runs) }
        Threads.setCount(1)
        let y = try AudioFile.load(clip).samples
        let seconds = Double(y.count) / 22050
        let cases: [(String, () throws -> Void)] = [
            ("chroma_stft", { _ = try chromaSTFT(y) }),
            ("spectral_contrast", { _ = try spectralContrast(y) }),
            ("onset_strength", { _ = try onsetStrength(y) }),
            ("beat_track", { _ = try beatTrack(y) }),
            ("cqt", { _ = try cqtMagnitude(y) }),
            ("chroma_cqt", { _ = try chromaCQT(y) }),
            ("tonnetz", { _ = try tonnetz(y) }),
            ("hpss", { _ = try hpss(y) }),
            ("gtzan_row_30s", { _ = try GTZANFeatures.compute(y) }),
        ]
        if let only, !cases.contains(where: { $0.0 == only }) {
            throw BenchUserError(description: "bench features: --only \(only): no such benchmark (\(cases.map(\.0).joined(separator: ", ")))")
        }
        for (name, body) in cases where only == nil || only == name {
            // Wall time (the table) and this thread's CPU time (robust when the machine is busy).
            var cpu: [Double] = []
            let ms = try BenchTiming.medianMs(runs: runs) {
                let start = Self.threadCPUms()
                try body()
                cpu.append(Self.threadCPUms() - start)
            }
            cpu = Array(cpu.dropFirst()).sorted()          // drop the warm-up
            BenchTiming.emit(name, ms: ms, extra: ["seconds": seconds, "cpu_ms": cpu[cpu.count / 2]])
        }
    }

    /// CPU time of the calling thread in milliseconds (CLOCK_THREAD_CPUTIME_ID).
    static func threadCPUms() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) * 1e3 + Double(ts.tv_nsec) / 1e6
    }
}
