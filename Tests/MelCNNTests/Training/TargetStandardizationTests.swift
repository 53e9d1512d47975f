import Foundation
import HDF5
@testable import MelCNN
import NN
import Tensor
import XCTest

/// `train.target_scaling: standardize` for factor regression: statistics from the training
/// split, stored in the checkpoint, folded back into the output layer for inference.
final class TargetStandardizationTests: XCTestCase {
    static let factors = 4

    /// Factors of track `i` of class `c`: ALS-sized values with unequal means and spreads;
    /// the last factor is constant (std 0 -> 1).
    static func target(_ c: Int, _ i: Int) -> [Float] {
        [0.01 * Float(c) + 0.002 * Float(i), -0.03 + 0.02 * Float(c * c), 0.5 + 0.001 * Float(i % 3), 0.25]
    }

    func makeData() throws -> (URL, TrainingTracks) {
        let dir = try TinyDataset.temporaryDirectory(self)
        let path = try TinyDataset.write(to: dir.appendingPathComponent("f.h5").path, data: TinyDataset.config().data,
                                         factors: Self.factors, target: Self.target)
        return (dir, try TrainingTracks.load(path: path))
    }

    /// A trained tiny factor model (`epochs` epochs, `scaling` as `train.target_scaling`).
    func train(_ dir: URL, _ tracks: TrainingTracks, epochs: Int = 1, scaling: TrainConfig.TargetScaling? = nil) throws -> Trainer {
        var config = TinyDataset.config()
        config.train.epochs = epochs
        config.train.targetScaling = scaling
        let trainer = try Trainer(config: config, tracks: tracks, runDirectory: dir.appendingPathComponent("run"))
        _ = try trainer.run()
        return trainer
    }

    func testStoredStatisticsAreTheTrainingTargetsMeanAndStd() throws {
        let (dir, tracks) = try makeData()
        let trainer = try train(dir, tracks)
        let stored = try XCTUnwrap(try Checkpoint.read(from: trainer.lastURL.path).targetStandardization)
        // numpy: rows.mean(axis=0), rows.std(axis=0) (ddof 0) over the training tracks only.
        let train = tracks.tracks(in: .train), k = Self.factors
        XCTAssertLessThan(train.count, tracks.count)
        for d in 0 ..< k {
            let column = train.map { Double(tracks.targets(of: $0)[$0 * k + d]) }
            let mean = column.reduce(0, +) / Double(column.count)
            let std = (column.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(column.count)).squareRoot()
            XCTAssertEqual(Double(stored.mean[d]), mean, accuracy: 1e-7 * max(1, abs(mean)), "mean of factor \(d)")
            XCTAssertEqual(Double(stored.std[d]), std > 0 ? std : 1, accuracy: 1e-6 * max(std, 1e-3), "std of factor \(d)")
        }
        XCTAssertEqual(stored.std[3], 1, "a constant factor keeps std 1")
        let all = TargetStandardization(rows: (0 ..< tracks.count).flatMap { tracks.targets(of: $0) }, dimension: k)
        XCTAssertNotEqual(stored, all, "statistics of all splits would leak validation and test targets")
        XCTAssertEqual(trainer.targetStandardization, stored)
    }

    func testPredictionsAreMappedBackToFactors() throws {
        let (dir, tracks) = try makeData()
        let config = TinyDataset.config()
        let trainer = try train(dir, tracks, epochs: 2)
        let scaling = try XCTUnwrap(trainer.targetStandardization)
        let validation = tracks.tracks(in: .validation)
        let raw = try trainer.model.predict(tracks: tracks, trackIndices: validation, patchFrames: config.data.patchFrames,
                                        hop: 8, batchSize: 16, rawOutputs: true)
        let trained = try TrainedModel(checkpointPath: trainer.lastURL.path)
        let mapped = try trained.model.predict(tracks: tracks, trackIndices: validation, patchFrames: config.data.patchFrames,
                                           hop: 8, batchSize: 16, rawOutputs: true)
        XCTAssertEqual(mapped.patchTracks, raw.patchTracks)
        let expected = scaling.unstandardize(raw.probabilities)
        for (m, e) in zip(mapped.probabilities, expected) { XCTAssertEqual(m, e, accuracy: 1e-5 * max(1, abs(e))) }
        XCTAssertNotEqual(mapped.probabilities, raw.probabilities)
        // The patch loss of `eval` (standardised again) is the validation loss of training.
        let report = RegressionReport(patchOutputs: mapped.probabilities, patchTracks: mapped.patchTracks,
                                      targets: validation.flatMap { tracks.targets(of: $0) }, factors: Self.factors,
                                      loss: .mse, standardization: trained.checkpoint.targetStandardization)
        let valLoss = try XCTUnwrap(trained.checkpoint.metrics["val_loss"])
        XCTAssertEqual(report.patchLoss, valLoss, accuracy: 1e-5 * max(1, valLoss))
        XCTAssertTrue(report.textSummary(loss: .mse).contains("patch loss (mse, standardised)"))
    }

    func testResumedRunEqualsUninterrupted() throws {
        let (dir, tracks) = try makeData()
        var config = TinyDataset.config()
        config.train.epochs = 2
        let (straight, resumed) = try TinyDataset.trainStraightAndResumed(config, tracks: tracks, in: dir)
        XCTAssertEqual(straight.model.stateDict(), resumed.model.stateDict())
        XCTAssertEqual(try Checkpoint.read(from: straight.lastURL.path).targetStandardization,
                       try Checkpoint.read(from: resumed.lastURL.path).targetStandardization)

        // Resuming with other target scaling is one line naming the checkpoint.
        var raw = config
        raw.train.targetScaling = TrainConfig.TargetScaling.none
        raw.train.epochs = 3
        XCTAssertThrowsError(try Trainer(config: raw, tracks: tracks, runDirectory: dir.appendingPathComponent("b")).run(resume: true)) { error in
            XCTAssertTrue("\(error)".contains("b/last.h5") && "\(error)".contains("target"), "\(error)")
        }
    }

    func testTargetScalingKeyDefaultsAndErrors() throws {
        var train = TrainConfig()
        XCTAssertEqual(train.resolvedTargetScaling, .standardize)
        train.loss = .cosine
        XCTAssertEqual(train.resolvedTargetScaling, TrainConfig.TargetScaling.none)
        let parsed = try MelCNNConfig.parse("train:\n  target_scaling: none\n", file: "t.yaml")
        XCTAssertEqual(parsed.train.resolvedTargetScaling, TrainConfig.TargetScaling.none)
        XCTAssertEqual(try MelCNNConfig.parse(parsed.yamlText(), file: "again.yaml").train.targetScaling, TrainConfig.TargetScaling.none)
        XCTAssertThrowsError(try MelCNNConfig.parse("train:\n  loss: cosine\n  target_scaling: standardize\n", file: "t.yaml").validate()) { error in
            XCTAssertTrue("\(error)".contains("train.target_scaling"), "\(error)")
        }
        XCTAssertThrowsError(try MelCNNConfig.parse("train:\n  target_scaling: minmax\n", file: "t.yaml")) { error in
            XCTAssertTrue("\(error)".contains("train.target_scaling"), "\(error)")
        }
    }

    func testRawTargetsStoreNoStatistics() throws {
        let (dir, tracks) = try makeData()
        let trainer = try train(dir, tracks, scaling: TrainConfig.TargetScaling.none)
        XCTAssertNil(trainer.targetStandardization)
        let file = try H5File.open(trainer.lastURL.path)
        XCTAssertFalse(try file.exists("targets"))
        file.close()
        XCTAssertEqual(try TrainedModel(checkpointPath: trainer.lastURL.path).model.stateDict(), trainer.model.stateDict())
    }

    func testDamagedStatisticsAreAnErrorNamingTheFile() throws {
        let (dir, tracks) = try makeData()
        let trainer = try train(dir, tracks)
        var checkpoint = try Checkpoint.read(from: trainer.lastURL.path)
        let path = dir.appendingPathComponent("bad.h5").path
        for (scaling, expected) in [(TargetStandardization(mean: [0, 0, 0, 0], std: [1, 0, 1, 1]), "/targets/std"),
                                    (TargetStandardization(mean: [0, 0], std: [1, 1]), "/targets/mean"),
                                    (TargetStandardization(mean: [0, .nan, 0, 0], std: [1, 1, 1, 1]), "/targets/mean")] {
            checkpoint.targetStandardization = scaling
            try checkpoint.write(to: path)
            XCTAssertThrowsError(try Checkpoint.read(from: path)) { error in
                XCTAssertTrue("\(error)".contains(path) && "\(error)".contains(expected), "\(error)")
            }
        }
    }
}
