import DSP
import Foundation
import NN
import XCTest
@testable import MelCNN

final class DataPathTests: XCTestCase {
    func testLoadStandardisesAndSamplesDeterministically() throws {
        let dir = try TinyDataset.temporaryDirectory(self)
        let config = TinyDataset.config()
        let path = try TinyDataset.write(to: dir.appendingPathComponent("d.h5").path, data: config.data)
        let tracks = try TrainingTracks.load(path: path)
        XCTAssertEqual(tracks.count, 18)
        XCTAssertEqual(tracks.classes, ["genre0", "genre1", "genre2"])
        XCTAssertEqual(tracks.logMel.nMels, 8)
        XCTAssertEqual(tracks.tracks(in: .validation).count, 3)
        let onlyTest = try TrainingTracks.load(path: path, splits: [.test])
        XCTAssertEqual(onlyTest.splits, [.test, .test, .test])

        let sampler = try RandomPatchSampler(tracks: tracks, patchFrames: 16, batchSize: 4, seed: 3)
        let a = sampler.batch(step: 5), b = sampler.batch(step: 5), c = sampler.batch(step: 6)
        XCTAssertEqual(a.inputs, b.inputs)
        XCTAssertEqual(a.labels, b.labels)
        XCTAssertNotEqual(a.inputs, c.inputs)
        XCTAssertEqual(a.inputs.count, 4 * 8 * 16)
        // The prefetching stream yields the same batches in step order.
        let stream = PrefetchingBatches(sampler: sampler, steps: 5 ..< 8, depth: 2)
        XCTAssertEqual(try stream.next().inputs, a.inputs)
        XCTAssertEqual(try stream.next().inputs, c.inputs)
        XCTAssertEqual(try stream.next().inputs, sampler.batch(step: 7).inputs)
    }

    func testEvaluationStartsCoverTheTrack() throws {
        let t = TrainingTracks(path: "x", classes: ["a"], nMels: 1, logMel: LogMelParameters(), mean: [0], std: [1], paths: ["p", "q"],
                               labels: [0, 0], splits: [.test, .test], mels: [[Float](repeating: 1, count: 50), [1, 2, 3]])
        XCTAssertEqual(t.evaluationStarts(track: 0, patchFrames: 16, hop: 8), [0, 8, 16, 24, 32, 34])
        XCTAssertEqual(t.evaluationStarts(track: 1, patchFrames: 16, hop: 8), [0])
        var out = [Float](repeating: 9, count: 5)
        t.copyPatch(track: 1, start: 1, patchFrames: 4, into: &out, at: 1)
        XCTAssertEqual(out, [9, 2, 3, 0, 0])
    }

    func testCheckpointRoundTrip() throws {
        let dir = try TinyDataset.temporaryDirectory(self)
        var logMel = LogMelParameters()
        (logMel.nMels, logMel.hopLength, logMel.winLength, logMel.topDB, logMel.htk) = (2, 256, 1024, nil, true)
        var c = Checkpoint(configYAML: TinyDataset.config().yamlText(), classes: ["a", "b"], normalizerMean: [1, 2],
                           normalizerStd: [3, 4], logMel: logMel, datasetPath: "d.h5",
                           seed: 9, epoch: 3, step: 12,
                           model: StateDict([("conv1.weight", NamedArray(shape: [2, 2, 1], values: [1, 2, 3, 4])),
                                             ("bn1.num_batches_tracked", NamedArray(shape: [], values: [5]))]))
        c.stepInEpoch = 2
        c.optimizer = StateDict([("exp_avg.conv1.weight", NamedArray(shape: [2, 2, 1], values: [0.5, 0, 0, 1]))])
        c.dropoutStates = [[1, 2, 3, 4], [5, 6, 7, 8]]
        c.metrics = ["val_track_acc": 0.75]
        c.partial = ["seen": 16]
        let path = dir.appendingPathComponent("ck.h5").path
        try c.write(to: path)
        let r = try Checkpoint.read(from: path)
        XCTAssertEqual(r.epoch, 3)
        XCTAssertEqual(r.step, 12)
        XCTAssertEqual(r.stepInEpoch, 2)
        XCTAssertEqual(r.seed, 9)
        var resolved = logMel
        resolved.fmax = 11025   // stored resolved
        XCTAssertEqual(r.logMel, resolved)
        XCTAssertEqual(Set(r.model.names), ["conv1.weight", "bn1.num_batches_tracked"])
        XCTAssertEqual(r.model["bn1.num_batches_tracked"]?.shape, [])
        XCTAssertEqual(r.optimizer, c.optimizer)
        XCTAssertEqual(r.dropoutStates, c.dropoutStates)
        XCTAssertEqual(r.metrics["val_track_acc"], 0.75)
        XCTAssertEqual(r.partial["seen"], 16)
        XCTAssertEqual(try r.config(path: path), TinyDataset.config())
        XCTAssertThrowsError(try Checkpoint.read(from: dir.appendingPathComponent("none.h5").path)) { error in
            XCTAssertTrue("\(error)".contains("none.h5"), "\(error)")
        }
    }
}
