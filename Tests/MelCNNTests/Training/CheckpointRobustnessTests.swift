import DSP
import Foundation
import NN
import HDF5
@testable import MelCNN
import XCTest

/// Damaged or edited checkpoints are `MelCNNError.invalidFile`s naming the file, not traps.
final class CheckpointRobustnessTests: XCTestCase {
    func good() -> Checkpoint {
        Checkpoint(configYAML: "", classes: ["a", "b"], normalizerMean: [0, 1], normalizerStd: [1, 2],
                   logMel: LogMelParameters(), datasetPath: "d.h5", seed: 1, epoch: 2, step: 4,
                   model: StateDict([("fc.bias", NamedArray(shape: [2], values: [0, 0]))]))
    }

    func assertInvalid(_ edit: (inout Checkpoint) -> Void, attributes: [(String, Double)] = [], mentioning needle: String,
                       line: UInt = #line) throws {
        let path = try TinyDataset.temporaryDirectory(self).appendingPathComponent("ck.h5").path
        var c = good()
        edit(&c)
        try c.write(to: path)
        if !attributes.isEmpty {
            let file = try H5File.open(path, mode: .readWrite)
            for (name, value) in attributes { try file.attributes.write(name, value) }
            file.close()
        }
        XCTAssertThrowsError(try Checkpoint.read(from: path), line: line) { error in
            guard case .invalidFile(let file, let reason)? = error as? MelCNNError else { return XCTFail("\(error)", line: line) }
            XCTAssertEqual(file, path, line: line)
            XCTAssertTrue(reason.contains(needle), reason, line: line)
        }
    }

    func testGoodCheckpointReads() throws {
        let path = try TinyDataset.temporaryDirectory(self).appendingPathComponent("ck.h5").path
        try good().write(to: path)
        XCTAssertEqual(try Checkpoint.read(from: path).classes, ["a", "b"])
    }

    func testEmptyClassesNormaliserMismatchAndNegativeCounters() throws {
        try assertInvalid({ $0.classes = [] }, mentioning: "/classes is empty")
        try assertInvalid({ $0.normalizerStd = [1] }, mentioning: "/normalizer/std 1")
        try assertInvalid({ $0.normalizerStd = [1, -1] }, mentioning: "negative std")
        try assertInvalid({ $0.epoch = -5 }, mentioning: "epoch = -5")
    }

    func testNonFiniteOrHugeAttributes() throws {
        try assertInvalid({ _ in }, attributes: [("n_mels", .nan)], mentioning: "n_mels = nan")
        try assertInvalid({ _ in }, attributes: [("sample_rate", 1e300)], mentioning: "sample_rate")
        try assertInvalid({ _ in }, attributes: [("sample_rate", 0)], mentioning: "sample_rate = 0.0")
        try assertInvalid({ _ in }, attributes: [("n_fft", 0)], mentioning: "n_fft = 0.0")
        try assertInvalid({ _ in }, attributes: [("epoch", 1e300)], mentioning: "epoch")
    }

    func testUnrepresentableLogMelAttributesAreInvalid() throws {
        try assertInvalid({ _ in }, attributes: [("n_mels", .nan)], mentioning: "n_mels")
        try assertInvalid({ _ in }, attributes: [("sample_rate", 1e300)], mentioning: "sample_rate")
        try assertInvalid({ _ in }, attributes: [("hop_length", 2.5)], mentioning: "hop_length")
    }
}

/// Data sets from a newer melcnn are refused by name rather than misread.
final class DatasetVersionRobustnessTests: XCTestCase {
    func testNewerFormatVersionIsRefused() throws {
        let path = try TinyDataset.temporaryDirectory(self).appendingPathComponent("d.h5").path
        try TinyDataset.write(to: path, data: TinyDataset.config().data)
        XCTAssertNoThrow(try TrainingTracks.load(path: path))
        let file = try H5File.open(path, mode: .readWrite)
        try file.attributes.write("version", Int32(99))
        file.close()
        XCTAssertThrowsError(try TrainingTracks.load(path: path)) { error in
            XCTAssertTrue("\(error)".contains("format version 99"), "\(error)")
        }
    }
}

final class RunDirectoryRobustnessTests: XCTestCase {
    func testFileInTheWayOrUncreatableFolderIsOneLine() throws {
        let dir = try TinyDataset.temporaryDirectory(self)
        let file = dir.appendingPathComponent("run")
        try Data([1]).write(to: file)
        XCTAssertThrowsError(try Trainer.makeRunDirectory(file)) { error in
            XCTAssertEqual(error as? MelCNNError, .invalidFile(path: file.path, reason: "is a file, expected a run folder"))
        }
        XCTAssertThrowsError(try Trainer.makeRunDirectory(URL(fileURLWithPath: "/proc/melcnn-run"))) { error in
            XCTAssertEqual(error as? MelCNNError, .invalidFile(path: "/proc/melcnn-run", reason: "cannot create the run folder"))
        }
        XCTAssertNoThrow(try Trainer.makeRunDirectory(dir.appendingPathComponent("a/b")))
    }
}
