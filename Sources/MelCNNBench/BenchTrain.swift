import ArgumentParser
import Foundation
import MelCNN
import ToolSupport

/// `melcnn-bench train`: a whole training run plus test evaluation on a dataset.h5, the
/// Swift side of `Benchmarks/train/` (peer: `Benchmarks/train/peer.py`, the same
/// architecture, optimiser, schedule and patch sampling in PyTorch on the same file).
struct BenchTrain: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Benchmark a full training run and its test accuracy (melcnn vs PyTorch).",
        discussion: """
            Trains --config on --data (into --run-dir), evaluates best.h5 on the test split and \
            prints one JSON line: {"name": "<name>_fit", "ms": training ms, "test_track_acc", \
            "test_patch_acc", "data_wait_share", "samples_per_s"}. The run's config.yaml is what \
            the peer reads.
            Example: melcnn-bench train --config Configs/demo.yaml --data demo.h5 --run-dir bench-output/run
            """
    )

    @Option(parsing: .unconditional, help: "Config YAML.") var config: String
    @Option(parsing: .unconditional, help: "Data set from `melcnn prepare`.") var data: String
    @Option(parsing: .unconditional, help: "Run folder (overwritten).") var runDir: String
    @Option(parsing: .unconditional, help: "Threads for OpenBLAS and melcnn's loops.") var threads: Int = 1
    @Option(parsing: .unconditional, help: "Benchmark name prefix.") var name: String = "train_demo"

    func run() throws {
        var cfg = try MelCNNConfig.load(path: config)
        cfg.train.threads = threads
        try? FileManager.default.removeItem(atPath: runDir)
        let tracks = try TrainingTracks.load(path: data, splits: [.train, .validation], storage: cfg.data.storage,
                                             memoryBudget: cfg.data.memoryBudget)  // the test split is for `melcnn eval`
        let trainer = try Trainer(config: cfg, tracks: tracks, runDirectory: URL(fileURLWithPath: runDir))
        var samples = 0.0, seconds = 0.0
        let start = DispatchTime.now().uptimeNanoseconds
        let result = try trainer.run(events: { event in
            if case let .epochFinished(m, _) = event {
                samples += m.samplesPerSecond * m.seconds
                seconds += m.seconds
                Console.error(String(format: "bench train: epoch %d loss %.4f val track %.1f%%", m.epoch, m.trainLoss, 100 * m.valTrackAccuracy))
            }
        })
        let ms = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
        let trained = try TrainedModel(checkpointPath: result.bestCheckpoint.path)
        let report = try trained.evaluate(trained.loadTracks(dataset: data, splits: [.test]))
        BenchTiming.emit("\(name)_fit", ms: ms, extra: [
            "test_track_acc": report.trackAccuracy, "test_patch_acc": report.patchAccuracy,
            "data_wait_share": result.dataWaitShare, "epochs": Double(result.epochsCompleted),
            "steps": Double(result.steps),
        ])
    }
}
