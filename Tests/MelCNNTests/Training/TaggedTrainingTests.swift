import Foundation
import HDF5
@testable import MelCNN
import XCTest

/// Training on a tagged data set: one sigmoid per tag with binary cross-entropy, selection by
/// validation macro ROC-AUC, a tag checkpoint that `TrainedModel` evaluates and embeds.
final class TaggedTrainingTests: XCTestCase {
    /// The tiny data set with tags: tag c is "in band c" (the class), tag "loud" every third track.
    static func taggedDataset(_ dir: URL, config: MelCNNConfig) throws -> String {
        let path = try TinyDataset.write(to: dir.appendingPathComponent("tagged.h5").path, data: config.data)
        let file = try H5File.open(path, mode: .readWrite)
        defer { file.close() }
        let labels: [Int32] = try file.openDataset("tracks/label").read()
        let names = ["genre0", "genre1", "genre2"]
        var matrix = [UInt8](repeating: 0, count: labels.count * names.count)
        for (t, l) in labels.enumerated() {
            matrix[t * 3 + Int(l)] = 1
            if t % 3 == 0 { matrix[t * 3 + (Int(l) + 1) % 3] = 1 }   // a second tag on some tracks
        }
        try file.createStringDataset("tags/names", values: names)
        try file.createDataset("tracks/tags", values: matrix, shape: [labels.count, 3])
        return path
    }

    func testTagModelTrainsEvaluatesAndEmbeds() throws {
        let dir = try TinyDataset.temporaryDirectory(self)
        var config = TinyDataset.config()
        config.train.epochs = 3
        config.train.posWeight = .auto
        let data = try Self.taggedDataset(dir, config: config)
        let tracks = try TrainingTracks.load(path: data)
        XCTAssertTrue(tracks.isTagged)
        let trainer = try Trainer(config: config, tracks: tracks, runDirectory: dir.appendingPathComponent("run"))
        // pos_weight auto: negatives / positives over the training tracks.
        let train = tracks.tracks(in: .train)
        let positives = train.filter { tracks.tags(of: $0)[tracks.tags(of: $0).startIndex] != 0 }.count
        XCTAssertEqual(trainer.positiveWeights(train)[0], Float(train.count - positives) / Float(positives))
        var aucs: [Double] = []
        let result = try trainer.run(events: { event in
            if case let .epochFinished(m, _) = event { aucs.append(m.valTrackAccuracy) }
        })
        XCTAssertEqual(result.epochsCompleted, 3)
        XCTAssertTrue(aucs.allSatisfy { $0 >= 0 && $0 <= 1 }, "\(aucs)")
        let trained = try TrainedModel(checkpointPath: result.bestCheckpoint.path)
        XCTAssertTrue(trained.isTagger)
        let test = try trained.loadTracks(dataset: data, splits: [.test, .validation])
        let report = try trained.evaluateTags(test, thresholds: [0.5, 0.5, 0.5])
        XCTAssertEqual(report.tags, ["genre0", "genre1", "genre2"])
        XCTAssertGreaterThan(report.macroROCAUC, 0.5)   // the bands are easy: a few steps beat chance
        // Sigmoid outputs: a track's tag probabilities need not sum to 1.
        let p = try trained.predict(test)
        XCTAssertTrue(p.probabilities.allSatisfy { $0 > 0 && $0 < 1 })
        let embedded = try trained.embed(test, layer: .pool)
        XCTAssertEqual(embedded.paths.count, test.count)
        // ONNX export: one sigmoid per tag instead of the softmax, and the task in the metadata.
        let onnx = dir.appendingPathComponent("tags.onnx").path
        try ModelExporter.export(checkpointPath: result.bestCheckpoint.path, format: .onnx, to: onnx)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: onnx))
        XCTAssertNotNil(bytes.range(of: Data("Sigmoid".utf8)))
        XCTAssertNil(bytes.range(of: Data("Softmax".utf8)))
        XCTAssertNotNil(bytes.range(of: Data("task".utf8)))
        // A single-label data set is refused for a tag model, and the other way round.
        let plain = try TinyDataset.write(to: dir.appendingPathComponent("plain.h5").path, data: config.data)
        XCTAssertThrowsError(try trained.loadTracks(dataset: plain, splits: [.test]))
        let resumed = try Trainer(config: config, tracks: try TrainingTracks.load(path: plain), runDirectory: dir.appendingPathComponent("run"))
        XCTAssertThrowsError(try resumed.run(resume: true)) { XCTAssertTrue("\($0)".contains("is a tag model but"), "\($0)") }
    }

    /// `train.pos_weight` parses, round-trips through the resolved YAML, and a bad value names the key.
    func testPosWeightConfigKey() throws {
        XCTAssertEqual(try MelCNNConfig.parse("", file: "x.yaml").train.posWeight, TrainConfig.PositiveWeight.none)
        let config = try MelCNNConfig.parse("train:\n  pos_weight: auto\n", file: "x.yaml")
        XCTAssertEqual(config.train.posWeight, .auto)
        XCTAssertEqual(try MelCNNConfig.parse(config.yamlText(), file: "resolved.yaml").train.posWeight, .auto)
        XCTAssertThrowsError(try MelCNNConfig.parse("train:\n  pos_weight: yes\n", file: "x.yaml")) {
            XCTAssertTrue("\($0)".contains("train.pos_weight"), "\($0)")
        }
    }

    func testLabelSmoothingIsRefusedForTags() throws {
        let dir = try TinyDataset.temporaryDirectory(self)
        var config = TinyDataset.config()
        config.train.labelSmoothing = 0.1
        let tracks = try TrainingTracks.load(path: try Self.taggedDataset(dir, config: config))
        XCTAssertThrowsError(try Trainer(config: config, tracks: tracks, runDirectory: dir.appendingPathComponent("run"))) {
            XCTAssertTrue("\($0)".contains("train.label_smoothing"), "\($0)")
        }
    }

    /// Tagged batches carry the patches' tags as targets; mixup mixes them like the inputs.
    func testBatchesCarryTags() throws {
        let dir = try TinyDataset.temporaryDirectory(self)
        var config = TinyDataset.config()
        let tracks = try TrainingTracks.load(path: try Self.taggedDataset(dir, config: config))
        let sampler = try RandomPatchSampler(tracks: tracks, patchFrames: 16, batchSize: 4, seed: 3)
        let batch = sampler.batch(step: 0)
        XCTAssertEqual(batch.targets, sampler.positions(step: 0).flatMap { p in tracks.tags(of: p.track).map(Float.init) })
        config.augment.mixupAlpha = 0.4
        let augmenter = PatchAugmenter(config: config.augment, nMels: 8, patchFrames: 16, classCount: 3, std: tracks.std, seed: 3)
        var mixed = batch
        augmenter.apply(to: &mixed, step: 0)
        let plans = augmenter.plan(step: 0, count: 4)
        for i in 0 ..< 4 {
            for c in 0 ..< 3 {
                let expected = plans[i].lambda * batch.targets![i * 3 + c] + (1 - plans[i].lambda) * batch.targets![plans[i].partner * 3 + c]
                XCTAssertEqual(mixed.targets![i * 3 + c], expected, accuracy: 1e-6)
            }
        }
    }
}
