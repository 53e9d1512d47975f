import Foundation
import XCTest

/// `melcnn info` on paths that are long, loop, dangle, or hold junk a decoder chatters about:
/// one line naming the file, exit status 1.
extension InfoCommandTests {
    /// libsndfile keeps 1024 bytes of a path: a longer one still opens; one over the system's
    /// limit is reported as too long, not as corrupt audio.
    func testLongPaths() throws {
        let dir = try CLIRunner.temporaryDirectory(self)
        var folder = dir
        for i in 0 ..< 6 { folder = folder.appendingPathComponent(String(repeating: "d\(i)", count: 100)) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let long = folder.appendingPathComponent("tone.wav").path
        XCTAssertGreaterThan(long.utf8.count, 1100)
        try ToneWAV.write(long, samples: 2205, frequency: 440, amplitude: 8000)
        let r = try CLIRunner.run(["info", long])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("frames:      2205"), r.stdout)

        let tooLong = dir.path + "/" + Array(repeating: String(repeating: "x", count: 200), count: 25).joined(separator: "/") + "/a.wav"
        try CLIRunner.expectUserError(["info", tooLong], mentioning: "path too long")
    }

    func testLinkLoopIsReportedAsALoop() throws {
        let dir = try CLIRunner.temporaryDirectory(self)
        let a = dir.appendingPathComponent("a.wav").path, b = dir.appendingPathComponent("b.wav").path
        try FileManager.default.createSymbolicLink(atPath: a, withDestinationPath: b)
        try FileManager.default.createSymbolicLink(atPath: b, withDestinationPath: a)
        let line = try CLIRunner.expectUserError(["info", a], mentioning: "symbolic link loop")
        XCTAssertTrue(line.contains(a), line)
        try CLIRunner.expectUserError(["spectrogram", a, "--kind", "mel", "--out", dir.appendingPathComponent("s.h5").path],
                                      mentioning: "symbolic link loop")
        let dangling = dir.appendingPathComponent("gone.wav").path
        try FileManager.default.createSymbolicLink(atPath: dangling, withDestinationPath: "nowhere.wav")
        try CLIRunner.expectUserError(["info", dangling], mentioning: "dangling symbolic link")
    }

    /// An MP3 of junk makes libmpg123 print its own notes; only melcnn's line may appear.
    func testMP3DecoderChatterIsSilenced() throws {
        let dir = try CLIRunner.temporaryDirectory(self)
        let path = dir.appendingPathComponent("junk.mp3").path
        var bytes = Array("ID3".utf8) + [3, 0, 0, 0, 0, 0, 0]
        var state: UInt32 = 3
        for _ in 0 ..< 3000 {
            bytes += [0xFF, 0xFB, 0x90, 0x00]
            for _ in 0 ..< 100 { state = state &* 1_664_525 &+ 1_013_904_223; bytes.append(UInt8(state >> 24)) }
        }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let line = try CLIRunner.expectUserError(["info", path], mentioning: path)
        XCTAssertFalse(line.contains("libmpg123"), line)
    }
}
