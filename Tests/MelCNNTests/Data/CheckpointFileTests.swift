import DSP
import Foundation
import NN
@testable import MelCNN
import Tensor
import XCTest

/// checkpoint.h5 robustness: bit-exact tensors, clear errors for damaged or foreign files.
final class CheckpointFileTests: XCTestCase {
    func checkpoint() -> Checkpoint {
        var rng = SeededGenerator(seed: 4)
        var weights = (0 ..< 4096).map { _ in Float(bitPattern: UInt32(truncatingIfNeeded: rng.next()) & 0x7F7F_FFFF) * (rng.next() % 2 == 0 ? 1 : -1) }
        weights[0] = -0.0
        weights[1] = .leastNonzeroMagnitude
        weights[2] = .greatestFiniteMagnitude
        var c = Checkpoint(configYAML: "data:\n  n_mels: 128\n", classes: ["blues", "jazz"], normalizerMean: [0.25, -3],
                           normalizerStd: [1.5, 2], logMel: LogMelParameters(), datasetPath: "data.h5",
                           seed: 1, epoch: 2, step: 40,
                           model: StateDict([("conv1.weight", NamedArray(shape: [32, 8, 16], values: weights)),
                                             ("fc.bias", NamedArray(shape: [2], values: [0.1, -0.2]))]))
        c.optimizer = StateDict([("exp_avg_sq.conv1.weight", NamedArray(shape: [32, 8, 16], values: weights.map { $0 * $0 }))])
        c.dropoutStates = [SeededGenerator(seed: 9).state]
        return c
    }

    func testTensorsRoundTripBitForBit() throws {
        let dir = try DataFixture.temporaryDirectory(self)
        let path = dir.appendingPathComponent("ck.h5").path
        let c = checkpoint()
        try c.write(to: path)
        let r = try Checkpoint.read(from: path)
        for (stored, restored) in [(c.model, r.model), (c.optimizer, r.optimizer)] {
            for (name, original) in stored {
                XCTAssertEqual(restored[name]?.shape, original.shape, name)
                XCTAssertEqual(restored[name]?.values.map(\.bitPattern), original.values.map(\.bitPattern), name)
            }
        }
        XCTAssertEqual(r.dropoutStates, c.dropoutStates)
        XCTAssertEqual(r.normalizerMean, c.normalizerMean)
        XCTAssertEqual(r.classes, c.classes)
        XCTAssertEqual(r.configYAML, c.configYAML)
    }

    func testTruncatedCheckpointGivesAClearError() throws {
        let dir = try DataFixture.temporaryDirectory(self)
        let path = dir.appendingPathComponent("ck.h5").path
        try checkpoint().write(to: path)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        for keep in [bytes.count / 2, 600] {
            let cut = dir.appendingPathComponent("cut\(keep).h5").path
            try bytes.prefix(keep).write(to: URL(fileURLWithPath: cut))
            XCTAssertThrowsError(try Checkpoint.read(from: cut)) { error in
                let text = "\(error)"
                XCTAssertTrue(text.contains(cut), text)
                XCTAssertFalse(text.contains("\n"), text)
            }
        }
    }

    func testForeignFilesAreRejected() throws {
        let dir = try DataFixture.temporaryDirectory(self)
        let text = dir.appendingPathComponent("notes.h5").path
        try "not hdf5".write(toFile: text, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try Checkpoint.read(from: text)) { XCTAssertTrue("\($0)".contains(text), "\($0)") }
        let dataset = try DataFixture.prepared()
        XCTAssertThrowsError(try Checkpoint.read(from: dataset)) {
            XCTAssertEqual("\($0)", "\(dataset): not a melcnn-checkpoint file")
        }
    }
}
