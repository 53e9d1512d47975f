import Foundation
import XCTest

/// Temporary files of interrupted writes: SIGTERM/SIGINT remove them at once; after
/// kill -9 the next run of the same output removes them and says so (before: the
/// `.data.h5.tmp-PID-xxxx` files stayed for ever, unmentioned).
final class TemporaryFileCLITests: XCTestCase {
    /// An audio folder that takes `prepare --jobs 1` long enough to be interrupted mid-write.
    private func slowInput(_ dir: URL) throws -> String {
        let audio = dir.appendingPathComponent("audio").path
        let r = try CLIRunner.run(["synth", audio, "--genres", "2", "--per-genre", "8", "--seconds", "30"])
        XCTAssertEqual(r.status, 0, r.stderr)
        return audio
    }

    /// Starts `prepare` into `out/data.h5` and waits until its temporary file holds data.
    private func startPrepare(_ audio: String, out: URL, in dir: URL) throws -> CLIBackground {
        let run = try CLIBackground(["prepare", audio, "--out", out.appendingPathComponent("data.h5").path, "--jobs", "1"],
                                    stderrIn: dir)
        // Data in it: past the brief check that the folder accepts files (a probe file of the same name).
        let written = { temporaryFiles(in: out).contains { name in
            ((try? FileManager.default.attributesOfItem(atPath: out.appendingPathComponent(name).path))?[.size] as? Int ?? 0) > 0
        } }
        XCTAssertTrue(run.wait(upTo: 120, until: written), "no temporary file appeared: \(run.stderr)")
        return run
    }

    func testKill9LeavesATemporaryFileThatTheNextRunRemoves() throws {
        let dir = try CLIRunner.temporaryDirectory(self)
        let audio = try slowInput(dir)
        let out = dir.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        let killed = try startPrepare(audio, out: out, in: dir)
        killed.kill(SIGKILL)
        let left = temporaryFiles(in: out)
        XCTAssertEqual(left.count, 1, "kill -9 cannot be caught: \(left)")
        XCTAssertTrue(left.first?.hasPrefix(".data.h5.tmp-\(killed.pid)-") ?? false, "\(left)")

        let r = try CLIRunner.run(["prepare", audio, "--out", out.appendingPathComponent("data.h5").path])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("removed stale temporary file \(out.path)/\(left[0]) (left by process \(killed.pid)"),
                      r.stderr)
        XCTAssertEqual(temporaryFiles(in: out), [])
    }

    func testSIGTERMAndSIGINTDuringPrepareLeaveNoTemporaryFile() throws {
        let dir = try CLIRunner.temporaryDirectory(self)
        let audio = try slowInput(dir)
        for signal in [SIGTERM, SIGINT] {
            let out = dir.appendingPathComponent("out-\(signal)")
            try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
            let run = try startPrepare(audio, out: out, in: dir)
            run.kill(signal)
            XCTAssertEqual(run.process.terminationReason, .uncaughtSignal, run.stderr)
            XCTAssertEqual(run.process.terminationStatus, signal)
            XCTAssertEqual(temporaryFiles(in: out), [], "signal \(signal)")
            XCTAssertFalse(FileManager.default.fileExists(atPath: out.appendingPathComponent("data.h5").path))
        }
    }
}
