import DSP
import Foundation
import NN
import HDF5
import Tensor
@testable import MelCNN
import XCTest

/// Absurd numbers in a data set or checkpoint (what a flipped bit makes of them) are
/// `MelCNNError.invalidFile`s naming the file and the object, never traps (issue 12, item 6).
final class DamagedValuesTests: XCTestCase {
    func dataset() throws -> (URL, String) {
        let dir = try TinyDataset.temporaryDirectory(self)
        return (dir, try TinyDataset.write(to: dir.appendingPathComponent("d.h5").path, data: TinyDataset.config().data))
    }

    /// Overwrites dataset `object` of `path` in place with `values`.
    func overwrite<T: H5Scalar>(_ path: String, _ object: String, _ values: [T]) throws {
        let file = try H5File.open(path, mode: .readWrite)
        defer { file.close() }
        try file.openDataset(object).write(values)
    }

    func assertInvalid(_ body: () throws -> Void, path: String, mentioning needles: [String], line: UInt = #line) {
        XCTAssertThrowsError(try body(), line: line) { error in
            guard case .invalidFile(let file, let reason)? = error as? MelCNNError else { return XCTFail("\(error)", line: line) }
            XCTAssertEqual(file, path, line: line)
            for needle in needles { XCTAssertTrue(reason.contains(needle), reason, line: line) }
        }
    }

    func testNonFiniteStatisticsAndNonPositiveStd() throws {
        let (_, path) = try dataset()
        let nMels = TinyDataset.config().data.logMel.nMels
        let good: [Float] = try H5File.open(path).openDataset("stats/std").read()
        var bad = [Float](repeating: 0, count: nMels)
        bad[3] = .nan
        try overwrite(path, "stats/mean", bad)
        assertInvalid({ _ = try TrainingTracks.load(path: path) }, path: path, mentioning: ["/stats/mean", "nan"])
        try overwrite(path, "stats/mean", [Float](repeating: 0, count: nMels))
        var zero = good
        zero[5] = 0
        try overwrite(path, "stats/std", zero)
        assertInvalid({ _ = try TrainingTracks.load(path: path) }, path: path, mentioning: ["/stats/std", "bin 5"])
    }

    func testNonFiniteMelsInMemoryAndStreamed() throws {
        let (_, path) = try dataset()
        let file = try H5File.open(path, mode: .readWrite)
        let mels = try file.openDataset("mels")
        var row: [Float] = try mels.readRows(2 ..< 3)
        row[1] = .infinity
        try mels.writeRows(row, at: 2)
        file.close()
        assertInvalid({ _ = try TrainingTracks.load(path: path, storage: .memory) }, path: path, mentioning: ["/mels", "inf"])
        let streamed = try TrainingTracks.load(path: path, storage: .stream)
        var out = [Float](repeating: 0, count: streamed.nMels * 16)
        streamed.copyPatch(track: 0, start: 0, patchFrames: 16, into: &out, at: 0)
        assertInvalid({ try streamed.throwReadError() }, path: path, mentioning: ["/mels row 2", "inf"])
        // Predictions over a streamed set throw the read error themselves.
        let config = TinyDataset.config()
        var rng = SeededGenerator(seed: 1)
        let model = GenreCNN(spec: config.model, inputChannels: streamed.nMels, classCount: streamed.classes.count, using: &rng)
        let fresh = try TrainingTracks.load(path: path, storage: .stream)
        assertInvalid({ _ = try model.predict(tracks: fresh, trackIndices: [0], patchFrames: config.data.patchFrames,
                                              hop: config.data.patchFrames, batchSize: 4) }, path: path, mentioning: ["/mels row 2", "inf"])
    }

    func testHugeOffsetAndFramesAreErrorsNotTraps() throws {
        let (_, path) = try dataset()
        let offsets: [Int64] = try H5File.open(path).openDataset("tracks/offset").read()
        var huge = offsets
        huge[1] = Int64.max - 9
        try overwrite(path, "tracks/offset", huge)
        assertInvalid({ _ = try TrainingTracks.load(path: path) }, path: path, mentioning: ["track 1"])
        try overwrite(path, "tracks/offset", offsets)
        // Two tracks pointing at the same rows: each fits in /mels, together they overlap.
        var shared = offsets
        shared[2] = shared[1]
        try overwrite(path, "tracks/offset", shared)
        assertInvalid({ _ = try TrainingTracks.load(path: path) }, path: path, mentioning: ["overlap"])
    }

    func testNonFiniteWeightAndZeroStdInACheckpoint() throws {
        let path = try TinyDataset.temporaryDirectory(self).appendingPathComponent("ck.h5").path
        var c = Checkpoint(configYAML: "", classes: ["a", "b"], normalizerMean: [0, 1], normalizerStd: [1, 2],
                           logMel: LogMelParameters(), datasetPath: "d.h5", seed: 1, epoch: 2, step: 4,
                           model: StateDict([("fc.bias", NamedArray(shape: [2], values: [0, .nan]))]))
        try c.write(to: path)
        assertInvalid({ _ = try Checkpoint.read(from: path) }, path: path, mentioning: ["/model/fc.bias", "nan"])
        c.model["fc.bias"]!.values = [0, 0]
        c.normalizerStd = [1, 0]
        try c.write(to: path)
        assertInvalid({ _ = try Checkpoint.read(from: path) }, path: path, mentioning: ["/normalizer/std", "std 0.0"])
    }

    func testResumeRejectsAbsurdCounters() throws {
        let (dir, path) = try dataset()
        let tracks = try TrainingTracks.load(path: path)
        var config = TinyDataset.config()
        config.train.epochs = 1
        let runDir = dir.appendingPathComponent("run")
        _ = try Trainer(config: config, tracks: tracks, runDirectory: runDir).run()
        let last = runDir.appendingPathComponent("last.h5").path
        for (name, value, needle) in [("step_in_epoch", Int64(1_000_000_000), "step_in_epoch = 1000000000"),
                                      ("epoch", Int64.max, "epoch = \(Int64.max)")] {
            let file = try H5File.open(last, mode: .readWrite)
            let before = try file.attributes.value(name)
            try file.attributes.write(name, value)
            file.close()
            config.train.epochs = 2
            let trainer = try Trainer(config: config, tracks: tracks, runDirectory: runDir)
            assertInvalid({ _ = try trainer.run(resume: true) }, path: last, mentioning: [needle])
            let restore = try H5File.open(last, mode: .readWrite)
            if case .int(let v) = before { try restore.attributes.write(name, v) }
            restore.close()
        }
        let file = try H5File.open(last, mode: .readWrite)
        try file.openGroup("partial").attributes.write("correct", Double.nan)
        file.close()
        let trainer = try Trainer(config: config, tracks: tracks, runDirectory: runDir)
        assertInvalid({ _ = try trainer.run(resume: true) }, path: last, mentioning: ["correct = nan"])
    }
}
