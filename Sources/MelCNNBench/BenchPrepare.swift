import ArgumentParser
import Foundation
import MelCNN

/// `melcnn-bench prepare`: `prepare` throughput on a folder of synthetic 30 s clips
/// (made with `melcnn synth` by Benchmarks/prepare/run.sh), with `--jobs` workers.
/// Prints one JSON line: the best wall time of `--repeat` runs (the peer reports its best
/// too, so a busy moment on a shared machine does not decide the ratio), clips per second,
/// the process CPU time of that run, the file's size against the raw float32 log-mels,
/// and peak resident memory.
struct BenchPrepare: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prepare",
        abstract: "Time `prepare` on a folder of clips (clips/s, compression, peak memory).",
        discussion: "Example: melcnn-bench prepare --dir bench-output/prepare/audio200 --jobs 2 --name prepare_200"
    )

    @Option(parsing: .unconditional, help: "GTZAN-layout folder of clips.") var dir: String
    @Option(parsing: .unconditional, help: "Parallel jobs.") var jobs: Int = 2
    @Option(parsing: .unconditional, help: "gzip level of /mels (0: none).") var compression: Int = 1
    @Option(name: .customLong("repeat"), parsing: .unconditional, help: "Runs; the fastest is reported.") var runs: Int = 3
    @Option(parsing: .unconditional, help: "Benchmark name in the JSON line.") var name: String = "prepare"
    @Option(parsing: .unconditional, help: "Where to write the data set (removed afterwards).") var out: String = "/tmp/melcnn-bench-prepare.h5"

    func run() throws {
        guard runs >= 1 else { throw BenchUserError(description: "--repeat must be at least 1, got \(runs)") }
        var best: (ms: Double, cpuMs: Double, summary: PrepareSummary, bytes: Double)?
        for _ in 0 ..< runs {
            let start = DispatchTime.now().uptimeNanoseconds, cpuStart = Self.cpuMs()
            let summary = try DatasetPreparer.prepare(audioDirectory: dir, output: out,
                                                      options: PrepareOptions(jobs: jobs, compressionLevel: compression))
            let ms = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6, cpuMs = Self.cpuMs() - cpuStart
            let bytes = ((try? FileManager.default.attributesOfItem(atPath: out)[.size]) as? NSNumber)?.doubleValue ?? 0
            try? FileManager.default.removeItem(atPath: out)
            if best == nil || ms < best!.ms { best = (ms, cpuMs, summary, bytes) }
        }
        let b = best!, clips = Double(b.summary.tracks)
        let raw = Double(b.summary.frames * PrepareOptions().data.logMel.nMels * 4)
        BenchTiming.emit(name, ms: b.ms, extra: ["clips": clips,
                                                 "clips_per_s": clips / (b.ms / 1000),
                                                 "cpu_ms_per_clip": b.cpuMs / clips,
                                                 "file_vs_raw_mels": raw > 0 ? b.bytes / raw : 0,
                                                 "peak_rss_mb": BenchTiming.peakResidentMB()])
    }

    /// CPU time of this process (all threads) in milliseconds.
    static func cpuMs() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) * 1000 + Double(ts.tv_nsec) / 1e6
    }
}
