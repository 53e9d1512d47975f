import DSP
import Foundation
import NN
import HDF5
@testable import MelCNN
import XCTest

/// `melcnn info` descriptions of melcnn's HDF5 files.
final class FileSummariesTests: XCTestCase {
    func testCheckpointDescription() throws {
        let dir = try DataFixture.temporaryDirectory(self)
        let path = dir.appendingPathComponent("best.h5").path
        var c = Checkpoint(configYAML: MelCNNConfig().yamlText(), classes: ["blues", "jazz"], normalizerMean: [0],
                           normalizerStd: [1], logMel: LogMelParameters(),
                           datasetPath: "data.h5", seed: 3, epoch: 7, step: 700,
                           model: StateDict([("conv1.weight", NamedArray(shape: [4, 2, 3], values: [Float](repeating: 0, count: 24))),
                                             ("fc.bias", NamedArray(shape: [2], values: [0, 0]))]))
        c.metrics = ["val_track_acc": 0.925]
        try c.write(to: path)
        let file = try H5File.open(path)
        defer { file.close() }
        XCTAssertNil(try FileSummaries.dataset(file))
        let text = try XCTUnwrap(try FileSummaries.checkpoint(file)).joined(separator: "\n")
        XCTAssertTrue(text.contains("trained: epoch 7, step 700, seed 3, data set data.h5"), text)
        XCTAssertTrue(text.contains("architecture: 128 mel channels -> conv 256 k4 + max-pool 4 -> conv 256 k4 + max-pool 2 -> conv 512 k4 -> global mean+max+l2 -> dense 2048 -> dense 2048 -> 2 outputs"), text)
        XCTAssertTrue(text.contains("parameters: 26 in 2 tensors"), text)
        XCTAssertTrue(text.contains("val_track_acc 0.925"), text)
        XCTAssertTrue(text.contains("log-mel: 22050 Hz, n_fft 2048, hop 512, 128 mels (0-11025 Hz), power 2, top_db 80"), text)

        // The parameters are read and checked by LogMelParameters: a damaged one is named, not printed as a number.
        let copy = dir.appendingPathComponent("damaged.h5").path
        try c.write(to: copy)
        let writable = try H5File.open(copy, mode: .readWrite)
        try writable.attributes.write("n_fft", Int64(-3))
        try writable.attributes.write("fmin", 27.5)
        writable.close()
        let damaged = try H5File.open(copy)
        defer { damaged.close() }
        let lines = try XCTUnwrap(try FileSummaries.checkpoint(damaged))
        XCTAssertEqual(lines.last, "  log-mel: unreadable (attribute n_fft = -3.0 is not a valid log-mel parameter)")
    }

    func testDatasetDescription() throws {
        let file = try H5File.open(try DataFixture.prepared())
        defer { file.close() }
        XCTAssertNil(try FileSummaries.checkpoint(file))
        let lines = try XCTUnwrap(try FileSummaries.dataset(file))
        XCTAssertEqual(lines[1], "  classes: 3: blues (4), classical (4), country (4)")
        XCTAssertTrue(lines[2].hasPrefix("  tracks: 12 (train 6, validation 3, test 3), 528 frames"), lines[2])
        XCTAssertTrue(lines.contains("  skipped inputs: 2"), "\(lines)")
    }
}
