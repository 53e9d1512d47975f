import Foundation
import XCTest
@testable import MelCNN
import NN
import Tensor

final class TrainerTests: XCTestCase {
    func makeData() throws -> (URL, TrainingTracks) {
        let dir = try TinyDataset.temporaryDirectory(self)
        let path = try TinyDataset.write(to: dir.appendingPathComponent("d.h5").path, data: TinyDataset.config().data)
        return (dir, try TrainingTracks.load(path: path))
    }

    func testTinyRunLowersTheLossAndWritesTheRunFolder() throws {
        let (dir, tracks) = try makeData()
        var config = TinyDataset.config()
        config.train.epochs = 4
        let runDir = dir.appendingPathComponent("run")
        let trainer = try Trainer(config: config, tracks: tracks, runDirectory: runDir)
        var rows: [EpochMetrics] = []
        let result = try trainer.run(events: { event in if case let .epochFinished(m, _) = event { rows.append(m) } })
        XCTAssertEqual(result.stop, .completed)
        XCTAssertEqual(result.epochsCompleted, 4)
        XCTAssertEqual(result.steps, 16)
        XCTAssertLessThan(rows.last!.trainLoss, rows.first!.trainLoss)
        for name in ["last.h5", "best.h5", "metrics.csv", "config.yaml", "curves.svg"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: runDir.appendingPathComponent(name).path), name)
        }
        // curves.svg is rewritten after every epoch from metrics.csv: one point per epoch.
        let curves = try String(contentsOf: runDir.appendingPathComponent("curves.svg"), encoding: .utf8)
        XCTAssertEqual(curves, learningCurvesSVG(rows, bestEpoch: result.bestEpoch))
        XCTAssertTrue(curves.contains(#"data-series="train_loss" points=""#), curves)
        XCTAssertEqual(LearningCurvesTests.pointCounts(curves)["train_loss"], 4)
        let csv = try String(contentsOf: runDir.appendingPathComponent("metrics.csv"), encoding: .utf8)
        XCTAssertEqual(csv.split(separator: "\n").count, 5)
        XCTAssertTrue(csv.hasPrefix(EpochMetrics.csvHeader))
        XCTAssertEqual(try MelCNNConfig.load(path: runDir.appendingPathComponent("config.yaml").path), config)
        let last = try Checkpoint.read(from: runDir.appendingPathComponent("last.h5").path)
        XCTAssertEqual(last.epoch, 4)
        XCTAssertEqual(last.logMel.nMels, 8)
        XCTAssertFalse(last.optimizer.count == 0)
        // The checkpoint loads back into a model that evaluates.
        let trained = try TrainedModel(checkpointPath: runDir.appendingPathComponent("best.h5").path)
        let test = try trained.loadTracks(dataset: tracks.path, splits: [.test])
        let report = try trained.evaluate(test)
        XCTAssertEqual(report.tracks, 3)
    }

    /// The tiny config with every augmentation on.
    static func augmentedConfig() -> MelCNNConfig {
        var config = TinyDataset.config()
        config.augment.timeMasks = 2
        config.augment.timeMaskWidth = 4
        config.augment.freqMasks = 1
        config.augment.freqMaskWidth = 2
        config.augment.mixupAlpha = 0.4
        config.augment.gainDB = 3
        return config
    }

    func testResumeEqualsUninterrupted() throws {
        try checkResumeEqualsUninterrupted(TinyDataset.config())
    }

    func testResumeEqualsUninterruptedWithAugmentation() throws {
        try checkResumeEqualsUninterrupted(Self.augmentedConfig())
    }

    func checkResumeEqualsUninterrupted(_ base: MelCNNConfig) throws {
        let (dir, tracks) = try makeData()
        var config = base
        config.train.epochs = 2
        let (straight, resumed) = try TinyDataset.trainStraightAndResumed(config, tracks: tracks, in: dir)
        XCTAssertEqual(straight.model.stateDict(), resumed.model.stateDict())

        // Interrupted mid-epoch (after 3 steps), then resumed.
        var calls = 0
        let interrupted = try Trainer(config: config, tracks: tracks, runDirectory: dir.appendingPathComponent("c"))
        let r = try interrupted.run(shouldStop: { calls += 1; return calls > 3 })
        XCTAssertEqual(r.stop, .interrupted)
        XCTAssertEqual(r.steps, 3)
        XCTAssertEqual(try Checkpoint.read(from: interrupted.lastURL.path).stepInEpoch, 3)
        let finished = try Trainer(config: config, tracks: tracks, runDirectory: dir.appendingPathComponent("c"))
        _ = try finished.run(resume: true)
        XCTAssertEqual(straight.model.stateDict(), finished.model.stateDict())
        let csv = try String(contentsOf: dir.appendingPathComponent("c/metrics.csv"), encoding: .utf8)
        XCTAssertEqual(csv.split(separator: "\n").count, 3)
    }

    func testAugmentationChangesTrainingButEvaluationNeverAugments() throws {
        let (dir, tracks) = try makeData()
        var plain = TinyDataset.config()
        plain.train.epochs = 1
        var augmented = Self.augmentedConfig()
        augmented.train.epochs = 1
        var rows: [EpochMetrics] = []
        let a = try Trainer(config: augmented, tracks: tracks, runDirectory: dir.appendingPathComponent("aug"))
        _ = try a.run(events: { if case let .epochFinished(m, _) = $0 { rows.append(m) } })
        let p = try Trainer(config: plain, tracks: tracks, runDirectory: dir.appendingPathComponent("plain"))
        _ = try p.run()
        XCTAssertNotEqual(a.model.stateDict(), p.model.stateDict(), "augmentation changes what is trained on")
        // The validation metrics the augmented run logged are those of a plain evaluation of its weights,
        // and evaluating twice gives the same numbers (nothing random in evaluation).
        let trained = try TrainedModel(checkpointPath: a.lastURL.path)
        XCTAssertTrue(trained.config.augment.isActive)
        let validation = try trained.loadTracks(dataset: tracks.path, splits: [.validation])
        let report = try trained.evaluate(validation)
        XCTAssertEqual(report.trackAccuracy, rows[0].valTrackAccuracy)
        XCTAssertEqual(report.patchAccuracy, rows[0].valPatchAccuracy)
        XCTAssertEqual(report.patchLoss, rows[0].valLoss, accuracy: 1e-9)
        XCTAssertEqual(try trained.evaluate(validation).patchLoss, report.patchLoss)
    }

    func testBestCheckpointFollowsTheMonitorWithTiesToTheLowerLoss() throws {
        let (dir, tracks) = try makeData()
        for monitor in ValidationMonitor.allCases {
            var config = TinyDataset.config()
            config.train.epochs = 5
            config.train.monitor = monitor
            var rows: [EpochMetrics] = [], improved: [Bool] = []
            let trainer = try Trainer(config: config, tracks: tracks, runDirectory: dir.appendingPathComponent(monitor.rawValue))
            let result = try trainer.run(events: { if case let .epochFinished(m, i) = $0 { rows.append(m); improved.append(i) } })
            // Expected: the highest monitored metric, ties to the lower validation loss, then the earlier epoch.
            func key(_ m: EpochMetrics) -> (Double, Double) {
                switch monitor {
                case .trackAccuracy: return (m.valTrackAccuracy, -m.valLoss)
                case .patchAccuracy: return (m.valPatchAccuracy, -m.valLoss)
                case .loss: return (-m.valLoss, -m.valLoss)
                }
            }
            var best = rows[0]
            for m in rows.dropFirst() where key(m) > key(best) { best = m }
            XCTAssertEqual(result.bestEpoch, best.epoch, "\(monitor)")
            XCTAssertEqual(result.bestValTrackAccuracy, best.valTrackAccuracy, "\(monitor)")
            XCTAssertEqual(try Checkpoint.read(from: trainer.bestURL.path).epoch, best.epoch, "\(monitor)")
            XCTAssertEqual(improved.lastIndex(of: true).map { $0 + 1 }, best.epoch, "\(monitor)")
        }
    }

    func testNonFiniteLossStopsNamingTheStep() throws {
        let (dir, tracks) = try makeData()
        var config = TinyDataset.config()
        config.train.lr = 1e30
        config.train.optimizer = .sgd
        config.train.nesterov = false
        config.train.momentum = 0
        config.model.batchNorm = false
        let trainer = try Trainer(config: config, tracks: tracks, runDirectory: dir.appendingPathComponent("nan"))
        XCTAssertThrowsError(try trainer.run()) { error in
            guard case MelCNNError.nonFiniteLoss(_, let step, _, _, _) = error else { return XCTFail("\(error)") }
            XCTAssertTrue("\(error)".contains("at step \(step)"), "\(error)")
            XCTAssertTrue("\(error)".hasPrefix(tracks.path + ": "), "the message names the data set: \(error)")
        }
    }

    func testDSPMismatchIsAnErrorNamingBothValues() throws {
        let (dir, tracks) = try makeData()
        var config = TinyDataset.config()
        config.data.logMel.hopLength = 256
        XCTAssertThrowsError(try Trainer(config: config, tracks: tracks, runDirectory: dir)) { error in
            XCTAssertEqual("\(error)", "\(tracks.path): hop_length = 512 but tiny.yaml has hop_length = 256; prepare the data set with config tiny.yaml, or set data.hop_length: 512 in tiny.yaml")
        }
    }
}
