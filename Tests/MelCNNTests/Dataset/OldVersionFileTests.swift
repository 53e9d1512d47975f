import DSP
import Foundation
import HDF5
@testable import MelCNN
import NN
import XCTest

/// Files laid out as melcnn wrote them before `LogMelParameters` (`Tests/Fixtures/old_versions`,
/// written by `Tests/Fixtures/generate_old_version_files.py`): `top_db = 0` meaning none, float64
/// sizes in a checkpoint. They still read, to the same numbers.
final class OldVersionFileTests: XCTestCase {
    static func fixture(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/old_versions/\(name)").path
    }

    /// The generator's log-mel value of frame `f`, bin `b`.
    static func mel(_ f: Int, _ b: Int) -> Float { Float(sin(0.7 * Double(f) + Double(b)) * 10 - 40) }

    func expectedLogMel() -> LogMelParameters {
        var p = LogMelParameters()
        (p.nFFT, p.hopLength, p.nMels, p.fmax, p.topDB) = (512, 256, 4, 11025, nil)
        return p
    }

    func testVersion1DatasetReads() throws {
        let path = Self.fixture("dataset_v1.h5")
        XCTAssertEqual(try MelDataset.logMelParameters(path: path), expectedLogMel())
        let tracks = try TrainingTracks.load(path: path, storage: .memory)
        XCTAssertEqual(tracks.classes, ["blues", "jazz"])
        XCTAssertEqual(tracks.paths, ["blues/a.wav", "jazz/b.wav", "blues/c.wav"])
        XCTAssertEqual(tracks.labels, [0, 1, 0])
        XCTAssertEqual(tracks.splits, [.train, .validation, .test])
        // The training statistics (track 0, frames 0..<5), then each standardised value.
        for b in 0 ..< 4 {
            let train = (0 ..< 5).map { Double(Self.mel($0, b)) }
            let mean = train.reduce(0, +) / 5
            let std = (train.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 5).squareRoot()
            XCTAssertEqual(Double(tracks.mean[b]), mean, accuracy: 1e-4)
            XCTAssertEqual(Double(tracks.std[b]), std, accuracy: 1e-4)
        }
        let offsets = [0, 5, 8]
        for t in 0 ..< 3 {
            for f in 0 ..< tracks.frames(t) {
                for b in 0 ..< 4 {
                    let expected = (Self.mel(offsets[t] + f, b) - tracks.mean[b]) / tracks.std[b]
                    XCTAssertEqual(tracks.mels[t][f * 4 + b], expected, accuracy: 1e-5)
                }
            }
        }
        let streamed = try TrainingTracks.load(path: path, storage: .stream)
        var a = [Float](repeating: 0, count: 4 * 6), b = a
        tracks.copyPatch(track: 2, start: 0, patchFrames: 6, into: &a, at: 0)
        streamed.copyPatch(track: 2, start: 0, patchFrames: 6, into: &b, at: 0)
        XCTAssertEqual(a, b)
    }

    func testVersion1CheckpointReads() throws {
        let path = Self.fixture("checkpoint_v1.h5")
        let c = try Checkpoint.read(from: path)
        XCTAssertEqual(c.logMel, expectedLogMel())
        XCTAssertEqual(try c.config(path: path).data.logMel.topDB, nil)
        XCTAssertEqual([c.epoch, c.step, c.seed], [3, 12, 7])
        XCTAssertEqual(c.metrics, ["val_track_acc": 0.75, "best_epoch": 2])
        XCTAssertEqual(c.model.names, ["conv1.bias", "conv1.weight"])
        XCTAssertEqual(c.model["conv1.weight"], NamedArray(shape: [2, 4, 3], values: (0 ..< 24).map { Float($0) / 8 - 1 }))
        XCTAssertEqual(c.model["conv1.bias"]?.values, [0.5, -0.25])
        XCTAssertEqual(c.optimizer["momentum_buffer.conv1.weight"]?.values, (0 ..< 24).map { (Float($0) / 8 - 1) * 2 })
        XCTAssertEqual(c.normalizerStd, [1, 2, 3, 4])
    }

    /// Rewritten by this melcnn: sizes int64, `top_db` absent, and the same values back.
    func testVersion1CheckpointRewritesWithIntegerSizesAndNoTopDB() throws {
        let c = try Checkpoint.read(from: Self.fixture("checkpoint_v1.h5"))
        let path = try TinyDataset.temporaryDirectory(self).appendingPathComponent("ck.h5").path
        try c.write(to: path)
        let file = try H5File.open(path)
        defer { file.close() }
        XCTAssertEqual(try file.attributes.value("n_fft"), .int(512))
        XCTAssertEqual(try file.attributes.value("n_mels"), .int(4))
        XCTAssertFalse(try file.attributes.contains("top_db"))
        let r = try Checkpoint.read(from: path)
        XCTAssertEqual(r.logMel, c.logMel)
        XCTAssertEqual(r.model, c.model)
        XCTAssertEqual(r.metrics, c.metrics)
    }
}
