import Foundation
import XCTest
@testable import MelCNN
import NN
import Tensor

/// `train --init` (warm start) and `train.freeze`.
final class WarmStartTests: XCTestCase {
    /// Trains one short run on a 3-class tiny set; returns its folder and last.h5.
    func sourceRun(_ dir: URL) throws -> String {
        let path = try TinyDataset.write(to: dir.appendingPathComponent("source.h5").path, data: TinyDataset.config().data)
        var config = TinyDataset.config()
        config.train.epochs = 1
        let trainer = try Trainer(config: config, tracks: try TrainingTracks.load(path: path),
                                  runDirectory: dir.appendingPathComponent("source"))
        _ = try trainer.run()
        return trainer.lastURL.path
    }

    func testFrozenLayersStayBitIdenticalAndUnfrozenOnesMove() throws {
        let dir = try TinyDataset.temporaryDirectory(self)
        let source = try sourceRun(dir)
        let path = try TinyDataset.write(to: dir.appendingPathComponent("target.h5").path, data: TinyDataset.config().data,
                                         seed: 11)
        for optimizer in [TrainConfig.Optimizer.sgd, .adamw] {
            var config = TinyDataset.config()
            config.train.optimizer = optimizer
            config.train.weightDecay = 0.05   // decay must not move frozen weights either
            config.train.epochs = 2
            config.train.freeze = ["conv1", "fc1"]
            let trainer = try Trainer(config: config, tracks: try TrainingTracks.load(path: path),
                                      runDirectory: dir.appendingPathComponent("ft-\(optimizer)"))
            let report = try trainer.warmStart(from: source)
            XCTAssertTrue(report.skipped.isEmpty && report.new.isEmpty, "\(report.lines)")
            let before = trainer.model.stateDict()
            XCTAssertFalse(trainer.optimizer.parameters.contains { $0.name.hasPrefix("conv1.") || $0.name.hasPrefix("bn1.") })
            _ = try trainer.run()
            let after = trainer.model.stateDict()
            // conv1 freezes its batch norm too: weights and running statistics stay put.
            for name in before.names where ["conv1.", "bn1.", "fc1."].contains(where: { name.hasPrefix($0) }) {
                XCTAssertEqual(after[name]!.values, before[name]!.values, "\(optimizer) \(name) moved")
            }
            for name in ["conv2.weight", "bn2.weight", "bn2.running_mean", "out.weight", "out.bias"] {
                XCTAssertNotEqual(after[name]!.values, before[name]!.values, "\(optimizer) \(name) did not move")
            }
            // The checkpoint of the fine-tuned run resumes with the same freeze (config round trip).
            XCTAssertEqual(try Checkpoint.read(from: trainer.lastURL.path).config(path: "x").train.freeze, ["conv1", "fc1"])
        }
    }

    func testReportListsLoadedSkippedAndNewForAnotherClassCount() throws {
        let dir = try TinyDataset.temporaryDirectory(self)
        let source = try sourceRun(dir)
        let path = try TinyDataset.write(to: dir.appendingPathComponent("four.h5").path, data: TinyDataset.config().data,
                                         classes: 4)
        let trainer = try Trainer(config: TinyDataset.config(), tracks: try TrainingTracks.load(path: path),
                                  runDirectory: dir.appendingPathComponent("four"))
        let fresh = trainer.model.stateDict()
        let report = try trainer.warmStart(from: source)
        XCTAssertTrue(report.outputReplaced)
        XCTAssertEqual(report.skipped, [.init(name: "out.weight", checkpointShape: [3, 16], modelShape: [4, 16]),
                                        .init(name: "out.bias", checkpointShape: [3], modelShape: [4])])
        XCTAssertEqual(report.new, [])
        XCTAssertEqual(Set(report.loaded), Set(fresh.names.filter { !$0.hasPrefix("out.") }))
        let checkpoint = try Checkpoint.read(from: source)
        let conv1 = checkpoint.model["conv1.weight"]!
        XCTAssertEqual(trainer.model.stateDict()["conv1.weight"]!.values, conv1.values)
        XCTAssertEqual(trainer.model.stateDict()["out.weight"]!.values, fresh["out.weight"]!.values)
        XCTAssertTrue(report.lines.joined(separator: "\n").contains("out.weight (checkpoint [3, 16], model [4, 16])"),
                      "\(report.lines)")
    }

    func testSameClassCountWithOtherNamesReplacesTheOutputLayer() throws {
        let dir = try TinyDataset.temporaryDirectory(self)
        let source = try sourceRun(dir)
        var checkpoint = try Checkpoint.read(from: source)
        checkpoint.classes = ["a", "b", "c"]
        let renamed = dir.appendingPathComponent("renamed.h5").path
        try checkpoint.write(to: renamed)
        let path = try TinyDataset.write(to: dir.appendingPathComponent("t.h5").path, data: TinyDataset.config().data)
        let trainer = try Trainer(config: TinyDataset.config(), tracks: try TrainingTracks.load(path: path),
                                  runDirectory: dir.appendingPathComponent("t"))
        let report = try trainer.warmStart(from: renamed)
        XCTAssertEqual(report.new, ["out.weight", "out.bias"])
        XCTAssertEqual(report.skipped, [])
        // The same classes: everything loads.
        XCTAssertEqual(try trainer.warmStart(from: source).new, [])
    }

    func testInitCheckpointWithOtherDSPParametersIsTheMismatchError() throws {
        let dir = try TinyDataset.temporaryDirectory(self)
        var checkpoint = try Checkpoint.read(from: try sourceRun(dir))
        checkpoint.logMel.hopLength = 256
        let other = dir.appendingPathComponent("other.h5").path
        try checkpoint.write(to: other)
        let path = try TinyDataset.write(to: dir.appendingPathComponent("t.h5").path, data: TinyDataset.config().data)
        let trainer = try Trainer(config: TinyDataset.config(), tracks: try TrainingTracks.load(path: path),
                                  runDirectory: dir.appendingPathComponent("t"))
        XCTAssertThrowsError(try trainer.warmStart(from: other)) { error in
            XCTAssertEqual("\(error)", "\(other): hop_length = 256 but tiny.yaml has hop_length = 512; prepare the data set with config tiny.yaml, or set data.hop_length: 256 in tiny.yaml")
        }
    }

    func testFreezeIsParsedAndAnUnknownLayerIsAnError() throws {
        let ok = try MelCNNConfig.parse("train:\n  freeze: [conv1, conv2]\n", file: "f.yaml")
        XCTAssertEqual(ok.train.freeze, ["conv1", "conv2"])
        XCTAssertEqual(try MelCNNConfig.parse(ok.yamlText(), file: "r.yaml").train.freeze, ["conv1", "conv2"])
        XCTAssertThrowsError(try MelCNNConfig.parse("train:\n  freeze: [conv1, conv9]\n", file: "f.yaml")) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("train.freeze") && text.contains("\"conv9\"") && text.contains("f.yaml"), text)
            XCTAssertTrue(text.contains("valid layer names: conv1, "), text)
            XCTAssertTrue(text.contains(", out"), text)
        }
    }
}
