import DSP
import Foundation
@testable import MelCNN
import XCTest

/// Streaming storage (patches read from dataset.h5) and frames-uniform sampling.
final class StreamingSamplerTests: XCTestCase {
    func testStreamedBatchesEqualInMemoryBatches() throws {
        let path = try DataFixture.prepared()
        let memory = try TrainingTracks.load(path: path, storage: .memory)
        let stream = try TrainingTracks.load(path: path, storage: .stream)
        XCTAssertFalse(memory.isStreaming)
        XCTAssertTrue(stream.isStreaming)
        XCTAssertTrue(stream.mels.isEmpty)
        XCTAssertEqual(stream.paths, memory.paths)
        XCTAssertEqual(stream.labels, memory.labels)
        XCTAssertEqual((0 ..< stream.count).map(stream.frames), (0 ..< memory.count).map(memory.frames))
        for sampling in PatchSampling.allCases {
            // 64 frames is longer than the 44-frame tracks: padding is streamed the same way.
            for patch in [16, 64] {
                let a = try RandomPatchSampler(tracks: memory, patchFrames: patch, batchSize: 5, seed: 9, sampling: sampling)
                let b = try RandomPatchSampler(tracks: stream, patchFrames: patch, batchSize: 5, seed: 9, sampling: sampling)
                for step in [0, 1, 7, 100] {
                    let x = a.batch(step: step), y = b.batch(step: step)
                    XCTAssertEqual(x.labels, y.labels)
                    XCTAssertTrue(x.inputs == y.inputs, "\(sampling) patch \(patch) step \(step)")
                }
            }
        }
        // Evaluation patches (sequential, overlapping) too.
        for t in 0 ..< memory.count {
            for s in memory.evaluationStarts(track: t, patchFrames: 16, hop: 8) {
                var x = [Float](repeating: 1, count: 128 * 16), y = x
                memory.copyPatch(track: t, start: s, patchFrames: 16, into: &x, at: 0)
                stream.copyPatch(track: t, start: s, patchFrames: 16, into: &y, at: 0)
                XCTAssertTrue(x == y, "track \(t) start \(s)")
            }
        }
        XCTAssertNoThrow(try stream.throwReadError())
    }

    func testStreamingReadsOnlyThePatchRows() throws {
        let path = try DataFixture.prepared()
        // A 1-byte budget: `auto` must stream rather than load /mels.
        let tracks = try TrainingTracks.load(path: path, storage: .auto, memoryBudget: 1)
        XCTAssertTrue(tracks.isStreaming)
        XCTAssertEqual(tracks.rowsRead, 0, "opening reads no rows")
        let total = (0 ..< tracks.count).reduce(0) { $0 + tracks.frames($1) }
        let sampler = try RandomPatchSampler(tracks: tracks, patchFrames: 8, batchSize: 2, seed: 1)
        _ = sampler.batch(step: 0)
        XCTAssertEqual(tracks.rowsRead, 16, "one batch reads its 2 x 8 rows")
        XCTAssertLessThan(tracks.rowsRead, total)
        // A generous budget keeps the small data set in memory.
        XCTAssertFalse(try TrainingTracks.load(path: path, storage: .auto, memoryBudget: 1 << 30).isStreaming)
        XCTAssertTrue(try TrainingTracks.load(path: path, storage: .stream, memoryBudget: 1 << 30).isStreaming)
    }

    func testStreamingReportsAFileThatBreaksWhileOpen() throws {
        let src = try DataFixture.prepared()
        let dir = try DataFixture.temporaryDirectory(self)
        let copy = dir.appendingPathComponent("d.h5").path
        try FileManager.default.copyItem(atPath: src, toPath: copy)
        let tracks = try TrainingTracks.load(path: copy, storage: .stream)
        // Truncate the file under the open handle: later reads fail, leave zeros and are reported.
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: copy))
        try handle.truncate(atOffset: 4096)
        try handle.close()
        var out = [Float](repeating: 1, count: 128 * 8)
        for t in 0 ..< tracks.count { tracks.copyPatch(track: t, start: 0, patchFrames: 8, into: &out, at: 0) }
        if tracks.rowsRead < 8 * tracks.count {
            XCTAssertThrowsError(try tracks.throwReadError()) { XCTAssertTrue("\($0)".contains(copy), "\($0)") }
        }
    }

    /// Tracks of 20, 40, 80 and 160 one-bin frames, all training.
    private func unevenTracks() -> TrainingTracks {
        let lengths = [20, 40, 80, 160]
        return TrainingTracks(path: "mem", classes: ["a", "b", "c", "d"], nMels: 1, logMel: LogMelParameters(), mean: [0], std: [1],
                              paths: ["a", "b", "c", "d"], labels: [0, 1, 2, 3], splits: [.train, .train, .train, .train],
                              mels: lengths.map { n in (0 ..< n).map(Float.init) })
    }

    /// Pearson's chi-square statistic of the track counts of 16000 draws against `expected` shares.
    private func chiSquare(_ sampler: RandomPatchSampler, expected: [Double]) -> Double {
        var counts = [Int](repeating: 0, count: expected.count)
        var draws = 0
        for step in 0 ..< 2000 {
            for p in sampler.positions(step: step) {
                counts[p.track] += 1
                draws += 1
                XCTAssertTrue((0 ... max(0, sampler.tracks.frames(p.track) - sampler.patchFrames)).contains(p.start))
            }
        }
        return zip(counts, expected).reduce(0) { acc, pair in
            let e = pair.1 * Double(draws)
            return acc + (Double(pair.0) - e) * (Double(pair.0) - e) / e
        }
    }

    func testFramesUniformDrawsTracksInProportionToTheirStarts() throws {
        let tracks = unevenTracks()
        // Usable starts with 10-frame patches: 11, 31, 71, 151 (264 in all).
        let proportional = [11.0, 31, 71, 151].map { $0 / 264 }
        let frames = try RandomPatchSampler(tracks: tracks, patchFrames: 10, batchSize: 8, seed: 5, sampling: .frames)
        let uniform = try RandomPatchSampler(tracks: tracks, patchFrames: 10, batchSize: 8, seed: 5, sampling: .tracks)
        // 3 degrees of freedom: 16.27 is the 0.1% critical value.
        XCTAssertLessThan(chiSquare(frames, expected: proportional), 16.27)
        XCTAssertLessThan(chiSquare(uniform, expected: [0.25, 0.25, 0.25, 0.25]), 16.27)
        XCTAssertGreaterThan(chiSquare(uniform, expected: proportional), 1000, "the test can tell the two modes apart")
        // Deterministic for a seed.
        XCTAssertEqual(frames.batch(step: 3).inputs, frames.batch(step: 3).inputs)
    }

    func testConfigKeys() throws {
        let c = try MelCNNConfig.parse("data:\n  sampling: frames\n  storage: stream\n  memory_budget_mb: 64\n", file: "x.yaml")
        XCTAssertEqual(c.data.sampling, .frames)
        XCTAssertEqual(c.data.storage, .stream)
        XCTAssertEqual(c.data.memoryBudget, 64 << 20)
        XCTAssertEqual(try MelCNNConfig.parse(c.yamlText(), file: "y.yaml"), c)
        XCTAssertThrowsError(try MelCNNConfig.parse("data:\n  storage: disk\n", file: "x.yaml")) {
            XCTAssertTrue("\($0)".contains("data.storage"), "\($0)")
        }
        XCTAssertThrowsError(try MelCNNConfig.parse("data:\n  memory_budget_mb: -1\n", file: "x.yaml")) {
            XCTAssertTrue("\($0)".contains("data.memory_budget_mb"), "\($0)")
        }
    }
}

/// The trainer gives the same weights whether its tracks are in memory or streamed.
final class StreamingTrainerTests: XCTestCase {
    func testStreamedRunEqualsInMemoryRun() throws {
        let dir = try TinyDataset.temporaryDirectory(self)
        var config = TinyDataset.config()
        config.train.epochs = 2
        let path = try TinyDataset.write(to: dir.appendingPathComponent("d.h5").path, data: config.data)
        let memory = try Trainer(config: config, tracks: try TrainingTracks.load(path: path, storage: .memory),
                                 runDirectory: dir.appendingPathComponent("m"))
        _ = try memory.run()
        let streamed = try TrainingTracks.load(path: path, storage: .stream)
        let stream = try Trainer(config: config, tracks: streamed, runDirectory: dir.appendingPathComponent("s"))
        _ = try stream.run()
        XCTAssertGreaterThan(streamed.rowsRead, 0)
        XCTAssertEqual(memory.model.stateDict(), stream.model.stateDict())
    }
}
