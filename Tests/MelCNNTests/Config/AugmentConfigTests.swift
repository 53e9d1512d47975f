import Foundation
import XCTest
@testable import MelCNN

/// The `augment:` section and `train.monitor`: defaults, shipped recipes, errors, resolved YAML.
final class AugmentConfigTests: XCTestCase {
    func load(_ name: String) throws -> MelCNNConfig {
        try MelCNNConfig.load(path: ConfigTests.configsDir.appendingPathComponent("\(name).yaml").path)
    }

    func testOffByDefaultAndInTheSpotifyRecipeOnInGTZAN() throws {
        XCTAssertFalse(AugmentConfig().isActive)
        XCTAssertEqual(try MelCNNConfig.parse("", file: "x.yaml").augment, AugmentConfig())
        XCTAssertEqual(try MelCNNConfig.parse("", file: "x.yaml").train.monitor, .trackAccuracy)
        XCTAssertFalse(try load("spotify").augment.isActive)
        XCTAssertFalse(try load("demo").augment.isActive)
        let gtzan = try load("gtzan").augment
        XCTAssertTrue(gtzan.isActive)
        XCTAssertGreaterThan(gtzan.timeMasks, 0)
        XCTAssertGreaterThan(gtzan.freqMasks, 0)
        XCTAssertGreaterThan(gtzan.mixupAlpha, 0)
        XCTAssertGreaterThan(gtzan.gainDB, 0)
    }

    func testParsesEveryKeyAndWritesThemBack() throws {
        let yaml = """
        train:
          monitor: loss
        augment:
          time_masks: 2
          time_mask_width: 10
          freq_masks: 1
          freq_mask_width: 7
          mixup_alpha: 0.3
          gain_db: 4.5
        """
        let config = try MelCNNConfig.parse(yaml, file: "a.yaml")
        XCTAssertEqual(config.train.monitor, .loss)
        XCTAssertEqual(config.augment.timeMasks, 2)
        XCTAssertEqual(config.augment.timeMaskWidth, 10)
        XCTAssertEqual(config.augment.freqMasks, 1)
        XCTAssertEqual(config.augment.freqMaskWidth, 7)
        XCTAssertEqual(config.augment.mixupAlpha, 0.3)
        XCTAssertEqual(config.augment.gainDB, 4.5)
        let text = config.yamlText()
        XCTAssertTrue(text.contains("augment:\n  time_masks: 2\n"), text)
        XCTAssertTrue(text.contains("  monitor: loss\n"), text)
        XCTAssertEqual(try MelCNNConfig.parse(text, file: "resolved.yaml"), config)
        var other = config
        other.augment.gainDB = 1
        XCTAssertNotEqual(other, config)
    }

    func testErrorsNameTheKey() {
        let cases: [(String, String, String)] = [
            ("augment:\n  time_mask: 2\n", "augment.time_mask", "unknown key"),
            ("augment:\n  mixup: 0.2\n", "augment.mixup", "unknown key"),
            ("augment: 3\n", "augment", "expected a mapping"),
            ("augment:\n  time_masks: -1\n", "augment.time_masks", "must be >= 0"),
            ("augment:\n  time_masks: 2\n", "augment.time_mask_width", "must be positive when time_masks > 0"),
            ("data:\n  patch_frames: 64\naugment:\n  time_masks: 1\n  time_mask_width: 65\n", "augment.time_mask_width", "patch_frames = 64"),
            ("data:\n  n_mels: 32\naugment:\n  freq_masks: 1\n  freq_mask_width: 33\n", "augment.freq_mask_width", "n_mels = 32"),
            ("augment:\n  mixup_alpha: -0.5\n", "augment.mixup_alpha", "must be >= 0"),
            ("augment:\n  gain_db: lots\n", "augment.gain_db", "expected a number"),
            ("augment:\n  gain_db: -3\n", "augment.gain_db", "must be in [0, 120]"),
            ("train:\n  monitor: accuracy\n", "train.monitor", "expected one of: track_accuracy, patch_accuracy, loss"),
        ]
        for (yaml, key, fragment) in cases {
            XCTAssertThrowsError(try MelCNNConfig.parse(yaml, file: "bad.yaml"), yaml) { error in
                guard let error = error as? ConfigError else { return XCTFail("not a ConfigError: \(error)") }
                XCTAssertEqual(error.key, key, yaml)
                XCTAssertTrue(error.description.hasPrefix("bad.yaml: \(key)"), "\(error)")
                XCTAssertTrue(error.description.contains(fragment), "\(error)")
            }
        }
    }
}
