import Foundation
import TestSupport
import XCTest
@testable import MelCNN

final class ConfigTests: XCTestCase {
    static let configsDir = Repository.configs

    func testShippedConfigsParse() throws {
        for name in ["spotify", "gtzan", "demo", "realmusic", "realmusic2d", "realmusic2d-3s"] {
            let path = Self.configsDir.appendingPathComponent("\(name).yaml").path
            let config = try MelCNNConfig.load(path: path)
            XCTAssertEqual(config.source, path)
        }
        let spotify = try MelCNNConfig.load(path: Self.configsDir.appendingPathComponent("spotify.yaml").path)
        XCTAssertEqual(spotify.data.patchFrames, 599)
        XCTAssertEqual(spotify.data.logMel.nMels, 128)
        XCTAssertEqual(spotify.model.conv.map(\.channels), [256, 256, 512])
        XCTAssertEqual(spotify.model.conv.map(\.pool), [4, 2, 1])
        XCTAssertEqual(spotify.model.globalPool, [.mean, .max, .l2])
        XCTAssertEqual(spotify.model.dense, [2048, 2048])
        XCTAssertEqual(spotify.train.optimizer, .sgd)
        XCTAssertTrue(spotify.train.nesterov)
        // 599 -> conv4 596 -> pool4 149 -> conv4 146 -> pool2 73 -> conv4 70 (Dieleman's figure).
        XCTAssertEqual(spotify.model.timeLengths(frames: 599), [149, 73, 70])
        XCTAssertEqual(spotify.model.pooledWidth, 1536)
        let gtzan = try MelCNNConfig.load(path: Self.configsDir.appendingPathComponent("gtzan.yaml").path)
        XCTAssertEqual(gtzan.data.patchFrames, 128)
        // realmusic.yaml: gtzan.yaml on 64-frame patches, without augmentation.
        let realMusic = try MelCNNConfig.load(path: Self.configsDir.appendingPathComponent("realmusic.yaml").path)
        XCTAssertEqual(realMusic.data.patchFrames, 64)
        XCTAssertEqual(realMusic.model.timeLengths(frames: 64), [15, 6, 3])
        XCTAssertEqual(realMusic.model, gtzan.model)
        XCTAssertEqual(realMusic.train, gtzan.train)
        XCTAssertFalse(realMusic.augment.isActive)
        XCTAssertEqual(realMusic.eval.patchHop, 32)
        // realmusic2d.yaml: the same data, training and evaluation with a six-block cnn2d.
        let realMusic2d = try MelCNNConfig.load(path: Self.configsDir.appendingPathComponent("realmusic2d.yaml").path)
        XCTAssertEqual(realMusic2d.data, realMusic.data)
        XCTAssertEqual(realMusic2d.train, realMusic.train)
        XCTAssertEqual(realMusic2d.eval, realMusic.eval)
        XCTAssertFalse(realMusic2d.augment.isActive)
        XCTAssertEqual(realMusic2d.model.kind, .cnn2d)
        XCTAssertEqual(realMusic2d.model.channels, [32, 32, 64, 64, 64, 128])
        let planes = try XCTUnwrap(realMusic2d.model.planeSizes(nMels: 128, frames: 64))
        XCTAssertEqual(planes.map(\.h), [64, 32, 16, 8, 4, 2])
        XCTAssertEqual(planes.map(\.w), [32, 16, 8, 4, 2, 1])
        // realmusic2d-3s.yaml, the ensemble's second member: the same with 128-frame patches and a seventh block.
        let threeSeconds = try MelCNNConfig.load(path: Self.configsDir.appendingPathComponent("realmusic2d-3s.yaml").path)
        var expected = realMusic2d
        expected.data.patchFrames = 128
        expected.model.channels = [32, 32, 64, 64, 64, 128, 128]
        expected.eval.patchHop = 64
        expected.source = threeSeconds.source
        XCTAssertEqual(threeSeconds, expected)
        let planes3s = try XCTUnwrap(threeSeconds.model.planeSizes(nMels: 128, frames: 128))
        XCTAssertEqual(planes3s.last.map { [$0.h, $0.w] }, [1, 1])
    }

    func testMissingKeysKeepDefaults() throws {
        let config = try MelCNNConfig.parse("train:\n  epochs: 3\n", file: "x.yaml")
        XCTAssertEqual(config.train.epochs, 3)
        XCTAssertEqual(config.train.batchSize, TrainConfig().batchSize)
        XCTAssertEqual(config.model, ModelSpec())
        XCTAssertEqual(try MelCNNConfig.parse("", file: "empty.yaml"), MelCNNConfig())
    }

    func testResolvedYAMLRoundTrips() throws {
        for name in ["spotify", "gtzan", "demo", "realmusic"] {
            var config = try MelCNNConfig.load(path: Self.configsDir.appendingPathComponent("\(name).yaml").path)
            config.train.lr = 0.000123
            config.data.logMel.fmax = 8000
            config.model.conv[0].poolKind = .avg
            config.model.conv[0].padding = 1
            let again = try MelCNNConfig.parse(config.yamlText(), file: "resolved.yaml")
            XCTAssertEqual(again, config, name)
        }
    }

    private func assertConfigError(_ yaml: String, key: String, contains fragment: String,
                                   file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try MelCNNConfig.parse(yaml, file: "bad.yaml"), file: file, line: line) { error in
            guard let error = error as? ConfigError else { return XCTFail("not a ConfigError: \(error)", file: file, line: line) }
            XCTAssertEqual(error.file, "bad.yaml", file: file, line: line)
            XCTAssertEqual(error.key, key, file: file, line: line)
            XCTAssertTrue(error.description.contains(fragment), "\(error)", file: file, line: line)
            XCTAssertTrue(error.description.hasPrefix("bad.yaml: \(key)"), "\(error)", file: file, line: line)
            XCTAssertFalse(error.description.contains("\n"), file: file, line: line)
        }
    }

    func testUnknownKeysAreErrors() {
        assertConfigError("trian:\n  epochs: 3\n", key: "trian", contains: "unknown key")
        assertConfigError("train:\n  epoch: 3\n", key: "train.epoch", contains: "unknown key")
        assertConfigError("model:\n  conv:\n    - {channels: 8, kernel: 3, kernal: 2}\n", key: "model.conv[0].kernal", contains: "unknown key")
    }

    func testWrongTypesAreErrors() {
        assertConfigError("train:\n  lr: fast\n", key: "train.lr", contains: "expected a number, got \"fast\"")
        assertConfigError("train:\n  epochs: 2.5\n", key: "train.epochs", contains: "expected an integer")
        assertConfigError("train:\n  nesterov: 3\n", key: "train.nesterov", contains: "expected true or false")
        assertConfigError("train:\n  optimizer: rmsprop\n", key: "train.optimizer", contains: "sgd, adam, adamw")
        assertConfigError("model:\n  dense: 64\n", key: "model.dense", contains: "expected a list")
        assertConfigError("model:\n  dense: [64, wide]\n", key: "model.dense[1]", contains: "expected an integer")
        assertConfigError("model:\n  global_pool: [mean, median]\n", key: "model.global_pool[1]", contains: "mean, max, l2")
        assertConfigError("data: 5\n", key: "data", contains: "expected a mapping")
        assertConfigError("model:\n  conv:\n    - {channels: 8}\n", key: "model.conv[0].kernel", contains: "missing")
    }

    func testOutOfRangeValuesAreErrors() {
        assertConfigError("train:\n  batch_size: 0\n", key: "train.batch_size", contains: "positive")
        assertConfigError("model:\n  dropout: 1.5\n", key: "model.dropout", contains: "[0, 1)")
        assertConfigError("data:\n  fmax: 20000\n", key: "data.fmax", contains: "sample_rate/2")
        assertConfigError("data:\n  patch_frames: 10\n", key: "data.patch_frames", contains: "too short")
    }

    func testInvalidYAMLNamesTheFile() {
        XCTAssertThrowsError(try MelCNNConfig.parse("train: [1, 2\n", file: "broken.yaml")) { error in
            XCTAssertTrue("\(error)".hasPrefix("broken.yaml: invalid YAML"), "\(error)")
        }
        XCTAssertThrowsError(try MelCNNConfig.load(path: "/nonexistent/c.yaml")) { error in
            XCTAssertTrue("\(error)".contains("/nonexistent/c.yaml"), "\(error)")
        }
    }

    func testLearningRateSchedules() {
        var t = TrainConfig()
        t.lr = 1
        t.epochs = 10
        XCTAssertEqual(t.learningRate(epoch: 7), 1)
        t.schedule = .step
        t.stepSize = 3
        t.gamma = 0.5
        XCTAssertEqual(t.learningRate(epoch: 2), 1)
        XCTAssertEqual(t.learningRate(epoch: 3), 0.5)
        XCTAssertEqual(t.learningRate(epoch: 6), 0.25)
        t.schedule = .cosine
        t.minLR = 0
        XCTAssertEqual(t.learningRate(epoch: 0), 1, accuracy: 1e-12)
        XCTAssertEqual(t.learningRate(epoch: 5), 0.5, accuracy: 1e-12)
        t.warmupEpochs = 2
        XCTAssertEqual(t.learningRate(epoch: 0), 0.1, accuracy: 1e-12)
        XCTAssertEqual(t.learningRate(epoch: 1), 0.55, accuracy: 1e-12)
        XCTAssertEqual(t.learningRate(epoch: 2), 1, accuracy: 1e-12)
    }
}
