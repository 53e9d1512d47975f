import Foundation
import XCTest

/// `features` walks folders with the shared walk: an unreadable folder is reported with its
/// reason and counted as skipped, a folder of links is used in full.
final class DiscoveryCLITests: XCTestCase {
    /// Runs melcnn as user `nobody` when the tests run as root (root reads any folder).
    private func runUnprivileged(_ args: [String]) throws -> CLIRunner.Result {
        guard geteuid() == 0 else { return try CLIRunner.run(args) }
        let setpriv = "/usr/bin/setpriv"
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: setpriv), "needs setpriv (util-linux) to drop root")
        return try CLIRunner.run(program: setpriv, ["--reuid=65534", "--regid=65534", "--clear-groups", "--",
                                                    CLIRunner.executable.path] + args)
    }

    func testUnreadableFolderAndLinksInFeatures() throws {
        let dir = try CLIRunner.temporaryDirectory(self)
        let audio = dir.appendingPathComponent("audio")
        let fm = FileManager.default
        for folder in ["audio/rock", "audio/locked", "audio/jazz", "store"] {
            try fm.createDirectory(at: dir.appendingPathComponent(folder), withIntermediateDirectories: true)
        }
        try ToneWAV.write(audio.appendingPathComponent("rock/a.wav").path, samples: 22050 * 2, frequency: 440, amplitude: 8000)
        try ToneWAV.write(audio.appendingPathComponent("locked/b.wav").path, samples: 22050 * 2, frequency: 440, amplitude: 8000)
        for i in 0 ..< 3 {
            let target = dir.appendingPathComponent("store/s\(i).wav").path
            try ToneWAV.write(target, samples: 22050 * 2, frequency: 220 * Double(i + 1), amplitude: 8000)
            try fm.createSymbolicLink(atPath: audio.appendingPathComponent("jazz/l\(i).wav").path, withDestinationPath: target)
        }
        XCTAssertEqual(chmod(audio.appendingPathComponent("locked").path, 0), 0)
        XCTAssertEqual(chmod(dir.path, 0o777), 0)
        addTeardownBlock { _ = chmod(audio.appendingPathComponent("locked").path, 0o755) }
        let out = dir.appendingPathComponent("f.csv").path
        let r = try runUnprivileged(["features", audio.path, "--out", out, "--jobs", "1"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("features: skipped \(audio.path)/locked: unreadable folder: Permission denied"), r.stderr)
        XCTAssertTrue(r.stderr.contains("4 files processed, 1 skipped"), r.stderr)
        let csv = try String(contentsOfFile: out, encoding: .utf8)
        XCTAssertEqual(csv.split(separator: "\n").count, 5, "header + rock/a + 3 linked jazz files")
    }
}
