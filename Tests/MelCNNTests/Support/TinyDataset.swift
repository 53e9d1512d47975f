import Foundation
import HDF5
@testable import MelCNN
import Tensor
import XCTest

/// A tiny synthetic dataset.h5 in the DESIGN.md layout: class c lights up a band of mel
/// bins (and pulses at a class-dependent rate), with noise, so a small CNN separates the
/// classes in a few steps.
enum TinyDataset {
    static func temporaryDirectory(_ test: XCTestCase) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("melcnn-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        test.addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        return dir
    }

    /// Writes the data set; returns its path. Splits cycle train, train, validation, test... per class.
    /// With `factors` > 0, a factor data set (format version 3): `/tracks/targets` `[tracks, factors]`
    /// from `target(class, index)`, classes `factor00`, ..., labels 0.
    @discardableResult
    static func write(to path: String, data: DataConfig, classes: Int = 3, tracksPerClass: Int = 6,
                      frames: Int = 40, seed: UInt64 = 7, factors: Int = 0,
                      target: (Int, Int) -> [Float] = { _, _ in [] }) throws -> String {
        var rng = SeededGenerator(seed: seed)
        let nMels = data.logMel.nMels
        var mels: [Float] = [], paths: [String] = [], labels: [Int32] = [], splits: [UInt8] = []
        var offsets: [Int64] = [], counts: [Int32] = [], targets: [Float] = []
        let splitCycle: [UInt8] = [0, 0, 0, 1, 2, 0]
        for c in 0 ..< classes {
            for i in 0 ..< tracksPerClass {
                offsets.append(Int64(mels.count / nMels))
                let n = frames + Int(rng.next() % 8)
                counts.append(Int32(n))
                for f in 0 ..< n {
                    for b in 0 ..< nMels {
                        let band = b * classes / nMels == c ? 1.0 : 0.0
                        let pulse = (f % (2 + c)) == 0 ? 0.5 : 0.0
                        mels.append(Float(-40 + 30 * band + 10 * pulse * band) + 4 * rng.nextNormal())
                    }
                }
                paths.append("genre\(c)/track\(i).wav")
                labels.append(factors > 0 ? 0 : Int32(c))
                if factors > 0 { targets += target(c, i) }
                splits.append(splitCycle[i % splitCycle.count])
            }
        }
        var mean = [Float](repeating: 0, count: nMels), std = [Float](repeating: 0, count: nMels)
        let total = mels.count / nMels
        for b in 0 ..< nMels {
            var s = 0.0, s2 = 0.0
            for f in 0 ..< total { s += Double(mels[f * nMels + b]); s2 += Double(mels[f * nMels + b] * mels[f * nMels + b]) }
            mean[b] = Float(s / Double(total))
            std[b] = Float((s2 / Double(total) - (s / Double(total)) * (s / Double(total))).squareRoot())
        }
        try H5File.createAtomically(path) { file in
            try file.attributes.write("format", MelDataset.format)
            try file.attributes.write("version", factors > 0 ? MelDataset.factorsVersion : MelDataset.version)
            try data.logMel.write(to: file.attributes)
            if factors > 0 {
                try file.attributes.write("task", "factors")
                try file.createStringDataset("classes", values: (0 ..< factors).map { String(format: "factor%02d", $0) })
            } else {
                try file.createStringDataset("classes", values: (0 ..< classes).map { "genre\($0)" })
            }
            try file.createStringDataset("tracks/path", values: paths)
            try file.createDataset("tracks/label", values: labels)
            try file.createDataset("tracks/split", values: splits)
            try file.createDataset("tracks/offset", values: offsets)
            try file.createDataset("tracks/frames", values: counts)
            if factors > 0 { try file.createDataset("tracks/targets", values: targets, shape: [paths.count, factors]) }
            try file.createDataset("mels", values: mels, shape: [total, nMels])
            try file.createDataset("stats/mean", values: mean)
            try file.createDataset("stats/std", values: std)
        }
        return path
    }

    /// Trains `config` to its last epoch in `dir/a`, and for one epoch, then resumed to the
    /// last, in `dir/b`; resumed runs must end with the same weights.
    static func trainStraightAndResumed(_ config: MelCNNConfig, tracks: TrainingTracks, in dir: URL) throws -> (straight: Trainer, resumed: Trainer) {
        let straight = try Trainer(config: config, tracks: tracks, runDirectory: dir.appendingPathComponent("a"))
        _ = try straight.run()
        var oneEpoch = config
        oneEpoch.train.epochs = 1
        _ = try Trainer(config: oneEpoch, tracks: tracks, runDirectory: dir.appendingPathComponent("b")).run()
        let resumed = try Trainer(config: config, tracks: tracks, runDirectory: dir.appendingPathComponent("b"))
        _ = try resumed.run(resume: true)
        return (straight, resumed)
    }

    /// Trains `config` on the data set at `data` in `runDirectory` and loads its `last.h5`.
    static func trainedModel(_ config: MelCNNConfig, data: String, runDirectory: URL) throws -> TrainedModel {
        _ = try Trainer(config: config, tracks: try TrainingTracks.load(path: data), runDirectory: runDirectory).run()
        return try TrainedModel(checkpointPath: runDirectory.appendingPathComponent("last.h5").path)
    }

    /// A tiny data set (`d.h5` in a fresh folder) and one model per seed trained on it for one
    /// epoch of `steps` steps (run folders `s<seed>`); `config` is what they trained.
    static func trainedModels(_ test: XCTestCase, seeds: [Int], steps: Int = 2) throws
        -> (dir: URL, config: MelCNNConfig, data: String, models: [TrainedModel]) {
        let dir = try temporaryDirectory(test)
        var config = Self.config()
        config.train.epochs = 1
        config.train.stepsPerEpoch = steps
        let data = try write(to: dir.appendingPathComponent("d.h5").path, data: config.data)
        let models = try seeds.map { seed in
            var c = config
            c.train.seed = seed
            return try trainedModel(c, data: data, runDirectory: dir.appendingPathComponent("s\(seed)"))
        }
        return (dir, config, data, models)
    }

    /// A config small enough for unit tests (8 mel bins, 16-frame patches).
    static func config() -> MelCNNConfig {
        var c = MelCNNConfig()
        c.source = "tiny.yaml"
        c.data.logMel.nMels = 8
        c.data.logMel.nFFT = 512
        c.data.patchFrames = 16
        c.data.prefetch = 2
        c.model.conv = [.init(channels: 8, kernel: 3, pool: 2), .init(channels: 8, kernel: 3)]
        c.model.dense = [16]
        c.model.dropout = 0.2
        c.model.batchNorm = true
        c.train.epochs = 2
        c.train.batchSize = 8
        c.train.stepsPerEpoch = 4
        c.train.optimizer = .adam
        c.train.lr = 0.01
        c.train.threads = 1
        c.eval.patchHop = 8
        return c
    }
}
