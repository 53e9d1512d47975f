import Foundation
@testable import MelCNN
import XCTest

/// The patch sampler on a data set written by `prepare`.
final class SamplerTests: XCTestCase {
    func testStandardisedOverTheTrainingSplit() throws {
        let tracks = try TrainingTracks.load(path: try DataFixture.prepared(), splits: [.train])
        XCTAssertEqual(tracks.count, 6)
        let all = tracks.mels.flatMap { $0 }
        let frames = all.count / 128
        var active = 0
        for b in 0 ..< 128 {
            var s = 0.0, q = 0.0
            for f in 0 ..< frames { let x = Double(all[f * 128 + b]); s += x; q += x * x }
            let m = s / Double(frames), sd = (q / Double(frames) - m * m).squareRoot()
            XCTAssertEqual(m, 0, accuracy: 1e-3, "bin \(b)")
            if tracks.std[b] > 1e-3 { XCTAssertEqual(sd, 1, accuracy: 1e-3, "bin \(b)"); active += 1 }
        }
        XCTAssertGreaterThan(active, 100)
    }

    func testBatchesHaveTheConvLayoutAndCoverEveryTrainingTrack() throws {
        let tracks = try TrainingTracks.load(path: try DataFixture.prepared())
        let sampler = try RandomPatchSampler(tracks: tracks, patchFrames: 16, batchSize: 4, seed: 21)
        var seen = Set<Int>()
        for step in 0 ..< 30 {
            let batch = sampler.batch(step: step)
            XCTAssertEqual(batch.inputs.count, 4 * 128 * 16)
            for i in 0 ..< 4 {
                // Column 0 of patch i ([n_mels, T], time last) is one stored frame of one training track.
                let column = (0 ..< 128).map { batch.inputs[i * 128 * 16 + $0 * 16] }
                let owner = tracks.tracks(in: .train).first { t in
                    (0 ..< tracks.frames(t)).contains { f in Array(tracks.mels[t][(f * 128) ..< (f * 128 + 128)]) == column }
                }
                XCTAssertNotNil(owner)
                if let owner {
                    seen.insert(owner)
                    XCTAssertEqual(batch.labels[i], tracks.labels[owner])
                }
            }
        }
        XCTAssertEqual(seen, Set(tracks.tracks(in: .train)))
    }

    func testShortTracksArePaddedWithZeros() throws {
        let tracks = try TrainingTracks.load(path: try DataFixture.prepared())
        let sampler = try RandomPatchSampler(tracks: tracks, patchFrames: 64, batchSize: 2, seed: 1)
        let batch = sampler.batch(step: 0)
        // Every track has 44 frames: frames 44..<64 of each patch are zero, frame 43 is not.
        for i in 0 ..< 2 {
            for b in 0 ..< 128 { XCTAssertEqual(batch.inputs[i * 128 * 64 + b * 64 + 50], 0) }
            XCTAssertTrue((0 ..< 128).contains { batch.inputs[i * 128 * 64 + $0 * 64 + 43] != 0 })
        }
        XCTAssertEqual(tracks.evaluationStarts(track: 0, patchFrames: 16, hop: 8), [0, 8, 16, 24, 28])
    }
}
