import Foundation
@testable import MelCNN
import XCTest

/// Unreadable audio among readable files is reported and skipped when the caller asks for it.
final class AudioTracksRobustnessTests: XCTestCase {
    func testUnreadableFilesAreSkippedWithTheirReason() throws {
        let (dir, _, _, models) = try TinyDataset.trainedModels(self, seeds: [1], steps: 1)
        let trained = models[0]
        // A stand-in for the log-mel function: "bad" files fail as unreadable audio does.
        let logMel: (String) throws -> [Float] = { path in
            if path.hasSuffix("bad.wav") { throw MelCNNError.invalidFile(path: path, reason: "not audio") }
            return [Float](repeating: 0, count: 8 * 20)
        }
        for name in ["good.wav", "bad.wav", "other.wav"] {
            try Data([0]).write(to: dir.appendingPathComponent(name))
        }
        let paths = ["good.wav", "bad.wav", "missing.wav", "other.wav"].map { dir.appendingPathComponent($0).path }
        var skipped: [String] = []
        let tracks = try trained.tracks(fromAudio: paths, logMel: logMel) { path, reason in
            skipped.append((path as NSString).lastPathComponent + ": " + reason)
        }
        XCTAssertEqual(tracks.paths, [paths[0], paths[3]])
        XCTAssertEqual(skipped, ["bad.wav: not audio", "missing.wav: audio file not found"])
        XCTAssertThrowsError(try trained.tracks(fromAudio: paths, logMel: logMel))  // without onSkip: the first error
        XCTAssertThrowsError(try trained.tracks(fromAudio: [paths[1]], logMel: logMel) { _, _ in })  // nothing readable
    }
}
