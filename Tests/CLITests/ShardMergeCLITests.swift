import Foundation
import XCTest

/// `melcnn prepare --shard I/N`, `melcnn merge` and `prepare --fma` option checks, end to end.
final class ShardMergeCLITests: XCTestCase {
    func testShardedPrepareAndMerge() throws {
        let dir = try CLIRunner.temporaryDirectory(self)
        let audio = try CLIRunner.synthSmallAudio(in: dir).audio
        var parts: [String] = []
        for i in 0 ..< 2 {
            let part = dir.appendingPathComponent("part\(i).h5").path
            let r = try CLIRunner.run(["prepare", audio, "--out", part, "--split", "0.34,0.33,0.33", "--jobs", "2", "--shard", "\(i)/2"])
            XCTAssertEqual(r.status, 0, r.stderr)
            XCTAssertTrue(r.stdout.hasPrefix("prepared part \(i)/2: 3 tracks, 132 frames, 0 skipped"), r.stdout)
            parts.append(part)
        }
        let out = dir.appendingPathComponent("data.h5").path
        let merge = try CLIRunner.run(["merge"] + parts + ["--out", out])
        XCTAssertEqual(merge.status, 0, merge.stderr)
        XCTAssertTrue(merge.stdout.hasPrefix("prepared 6 tracks (train 2, validation 2, test 2), 264 frames, 2 classes"), merge.stdout)
        let info = try CLIRunner.run(["info", out])
        XCTAssertTrue(info.stdout.contains("classes: 2: blues (3), classical (3)"), info.stdout)

        try CLIRunner.expectUserError(["merge", parts[0], "--out", out + "2"], mentioning: "pass all 2")
        try CLIRunner.expectUserError(["merge", parts[0], "--out", out + "2"], mentioning: "PART: the parts are of --shard I/2 but 1 were given")
        try CLIRunner.expectUserError(["merge", out, parts[1], "--out", out + "2"], mentioning: "not a part of a sharded prepare")
        try CLIRunner.expectUserError(["merge", parts[0], parts[1], "--out", parts[1]], mentioning: "--out: \(parts[1]) is the part")
        try CLIRunner.expectUserError(["prepare", audio, "--out", out + "3", "--shard", "2/2"],
                                      mentioning: "--shard <shard>': expected I/N with N >= 1 and 0 <= I < N, got 2/2")
        try CLIRunner.expectUserError(["prepare", audio, "--out", out + "3", "--shard", "a/b"], mentioning: "--shard <shard>': expected I/N (part I")
        try CLIRunner.expectUserError(["prepare", audio, "--out", out + "3", "--split", "0.8,0.3,0.1"],
                                      mentioning: "--split <split>': expected three fractions >= 0 summing to 1")
        try CLIRunner.expectUserError(["prepare", audio, "--out", out + "3", "--split-files", "a.txt,b.txt"],
                                      mentioning: "--split-files <split-files>': expected three comma-separated files")
        try CLIRunner.expectUserError(["prepare", audio, "--out", out + "3", "--jobs", "0"], mentioning: "--jobs: must be at least 1, got 0")
        try CLIRunner.expectUserError(["prepare", audio, "--out", out + "3", "--compression", "10"], mentioning: "--compression: gzip level must be 0...9")
    }

    /// A tagged manifest in 2 parts merges to the same tags as one prepare.
    func testTaggedManifestInPartsAndMerge() throws {
        let dir = try CLIRunner.temporaryDirectory(self)
        let audio = dir.appendingPathComponent("tagged").path
        let manifest = audio + "/tags.csv"
        let synth = try CLIRunner.run(["synth", audio, "--tags", "--clips", "8", "--seconds", "1", "--seed", "5"])
        XCTAssertEqual(synth.status, 0, synth.stderr)
        var parts: [String] = []
        for i in 0 ..< 2 {
            let part = dir.appendingPathComponent("part\(i).h5").path
            let r = try CLIRunner.run(["prepare", audio, "--manifest", manifest, "--out", part, "--split", "0.5,0.25,0.25",
                                       "--jobs", "2", "--shard", "\(i)/2"])
            XCTAssertEqual(r.status, 0, r.stderr)
            XCTAssertTrue(r.stdout.hasPrefix("prepared part \(i)/2: 4 tracks"), r.stdout)
            parts.append(part)
        }
        let single = dir.appendingPathComponent("single.h5").path
        let one = try CLIRunner.run(["prepare", audio, "--manifest", manifest, "--out", single, "--split", "0.5,0.25,0.25", "--jobs", "2"])
        XCTAssertEqual(one.status, 0, one.stderr)
        let out = dir.appendingPathComponent("data.h5").path
        let merge = try CLIRunner.run(["merge"] + parts + ["--out", out])
        XCTAssertEqual(merge.status, 0, merge.stderr)
        XCTAssertTrue(merge.stdout.hasPrefix("prepared 8 tracks") && merge.stdout.contains(" tags, "), merge.stdout)
        XCTAssertEqual(merge.stdout.components(separatedBy: " in ").first, one.stdout.components(separatedBy: " in ").first)
        let (a, b) = (try CLIRunner.run(["info", out]), try CLIRunner.run(["info", single]))
        XCTAssertTrue(a.stdout.contains("tags: "), a.stdout)
        XCTAssertEqual(a.stdout.replacingOccurrences(of: out, with: "X"), b.stdout.replacingOccurrences(of: single, with: "X"))
    }

    func testFMAOptionMistakesAreOneLine() throws {
        let dir = try CLIRunner.temporaryDirectory(self)
        let out = dir.appendingPathComponent("x.h5").path
        let csv = dir.appendingPathComponent("fma_metadata/tracks.csv").path
        try CLIRunner.expectUserError(["prepare", "--fma", csv, "--out", out], mentioning: "--subset")
        try CLIRunner.expectUserError(["prepare", "--fma", csv, "--subset", "tiny", "--out", out], mentioning: "--subset")
        try CLIRunner.expectUserError(["prepare", dir.path, "--subset", "small", "--out", out], mentioning: "--subset")
        try CLIRunner.expectUserError(["prepare", dir.path, "--fma", csv, "--subset", "small", "--out", out], mentioning: "AUDIO_DIR")
        try CLIRunner.expectUserError(["prepare", "--fma", csv, "--subset", "small", "--split", "0.8,0.1,0.1", "--out", out], mentioning: "--split")
        try CLIRunner.expectUserError(["prepare", "--fma", csv, "--subset", "small", "--out", out], mentioning: "fma_small")
        try CLIRunner.expectUserError(["prepare", "--fma", csv, "--subset", "small", "--audio-dir", dir.path, "--out", out],
                                      mentioning: "FMA tracks.csv not found")
        try CLIRunner.expectUserError(["prepare", "--out", out], mentioning: "AUDIO_DIR")
    }
}
