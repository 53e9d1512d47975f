import Foundation
import XCTest

extension CLIRunner {
    /// Runs melcnn (or `tool`) and checks the user-error contract (status 1, one stderr line containing
    /// `needle`, no trap); returns that line.
    @discardableResult
    static func expectUserError(_ args: [String], mentioning needle: String, tool: URL = executable,
                                file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let r = try run(args, tool: tool)
        XCTAssertEqual(r.status, 1, "\(args): \(r.stderr)", file: file, line: line)
        let lines = r.stderr.split(separator: "\n")
        XCTAssertEqual(lines.count, 1, "\(args): \(r.stderr)", file: file, line: line)
        XCTAssertTrue(r.stderr.contains(needle), "\(args): expected \(needle) in \(r.stderr)", file: file, line: line)
        return String(lines.first ?? "")
    }
}

extension CLIRunner {
    /// Two files that are neither a data set nor a checkpoint: `d.h5` holds 1, 2, 3 and `c.h5`
    /// 4, 5, 6 (a test checks afterwards that they are unchanged).
    static func junkDataAndCheckpoint(in dir: URL) throws -> (data: String, checkpoint: String) {
        let data = dir.appendingPathComponent("d.h5").path, checkpoint = dir.appendingPathComponent("c.h5").path
        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: data))
        try Data([4, 5, 6]).write(to: URL(fileURLWithPath: checkpoint))
        return (data, checkpoint)
    }

    /// A 440 Hz tone of 8192 samples at `relative` below `dir` (folders created); its path.
    static func tone(in dir: URL, at relative: String) throws -> String {
        let path = dir.appendingPathComponent(relative).path
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try ToneWAV.write(path, samples: 8192, frequency: 440, amplitude: 8000)
        return path
    }
}

extension CLIRunner {
    /// `melcnn synth DIR/audio` with 2 genres x 3 clips of 1 s (asserting that it succeeds);
    /// the audio folder and synth's result.
    static func synthSmallAudio(in dir: URL, file: StaticString = #filePath, line: UInt = #line) throws -> (audio: String, result: Result) {
        let audio = dir.appendingPathComponent("audio").path
        let synth = try run(["synth", audio, "--genres", "2", "--per-genre", "3", "--seconds", "1", "--jobs", "2"])
        XCTAssertEqual(synth.status, 0, synth.stderr, file: file, line: line)
        return (audio, synth)
    }
}
