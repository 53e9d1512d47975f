import ArgumentParser
import Foundation
import MelCNN

/// `melcnn bench prepare`: `prepare` throughput on a folder of synthetic 30 s clips
/// (made with `melcnn synth` by Benchmarks/prepare/run.sh), with `--jobs` workers.
/// Prints one JSON line: wall time, clips per second and peak resident memory.
struct BenchPrepare: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prepare",
        abstract: "Time `prepare` on a folder of clips (clips/s, peak memory).",
        discussion: "Example: melcnn bench prepare --dir bench-output/prepare/audio200 --jobs 2 --name prepare_200"
    )

    @Option(help: "GTZAN-layout folder of clips.") var dir: String
    @Option(help: "Parallel jobs.") var jobs: Int = 2
    @Option(help: "gzip level of /mels (0: none).") var compression: Int = 1
    @Option(help: "Benchmark name in the JSON line.") var name: String = "prepare"
    @Option(help: "Where to write the data set (removed afterwards).") var out: String = "/tmp/melcnn-bench-prepare.h5"

    func run() throws {
        let start = DispatchTime.now().uptimeNanoseconds
        let summary = try DatasetPreparer.prepare(audioDirectory: dir, output: out, options: PrepareOptions(jobs: jobs, compressionLevel: compression))
        let ms = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
        try? FileManager.default.removeItem(atPath: out)
        BenchTiming.emit(name, ms: ms, extra: ["clips": Double(summary.tracks),
                                               "clips_per_s": Double(summary.tracks) / (ms / 1000),
                                               "peak_rss_mb": BenchTiming.peakResidentMB()])
    }
}
