@testable import MelCNN
import XCTest

/// Config values that would trap or allocate tens of gigabytes are errors naming the key.
final class ConfigRobustnessTests: XCTestCase {
    func assertKey(_ yaml: String, _ key: String, line: UInt = #line) {
        XCTAssertThrowsError(try MelCNNConfig.parse(yaml, file: "c.yaml"), line: line) { error in
            XCTAssertEqual((error as? ConfigError)?.key, key, "\(error)", line: line)
            XCTAssertEqual((error as? ConfigError)?.file, "c.yaml", line: line)
        }
    }

    func testDSPLimitsNameTheDataKey() {
        assertKey("data:\n  sample_rate: 100000000\n", "data.sample_rate")
        assertKey("data:\n  top_db: .nan\n", "data.top_db")
        assertKey("data:\n  n_fft: 100000000\n", "data.n_fft")
        assertKey("data:\n  fmin: 20000\n", "data.fmax")
        assertKey("data:\n  power: 1e300\n", "data.power")
        assertKey("data:\n  n_mels: 100000\n", "data.n_mels")
    }

    func testHugeLayersAndBatchesNameTheKey() {
        assertKey("model:\n  conv:\n    - {channels: 1000000000, kernel: 4}\n", "model.conv[0].channels")
        assertKey("model:\n  dense: [1000000000]\n", "model.dense[0]")
        assertKey("model:\n  conv:\n    - {channels: 8, kernel: 4, padding: 1000000000}\n", "model.conv[0]")
        assertKey("train:\n  batch_size: 100000000\n", "train.batch_size")
        assertKey("eval:\n  batch_size: 100000000\n", "eval.batch_size")
        XCTAssertNoThrow(try MelCNNConfig.parse("", file: "defaults.yaml"))
    }
}
