import Foundation
import XCTest

/// Two `train` processes on one run folder: the second fails at once, naming the folder and
/// the first one's PID (before: both exited 0 and mixed their checkpoints).
final class RunFolderLockCLITests: XCTestCase {
    func testSecondTrainOnTheSameRunFolderFailsAtOnce() throws {
        let dir = try CLIRunner.temporaryDirectory(self)
        let (_, data) = try TrainCLITests.makeDataset(dir)
        let run = dir.appendingPathComponent("run")
        let first = try CLIBackground(["train", "--config", TrainCLITests.configPath, "--data", data, "--run-dir", run.path,
                                       "--epochs", "1000", "--steps-per-epoch", "3", "--threads", "1"], stderrIn: dir)
        let lockFile = run.appendingPathComponent(".lock")
        XCTAssertTrue(first.wait(upTo: 60) { (try? String(contentsOf: lockFile, encoding: .utf8)) == "\(first.pid)\n" },
                      first.stderr)
        try assertRefused(data: data, run: run, holder: first.pid, extra: ["--overwrite"])
        // Once the first run has written last.h5, plain and --resume runs are refused too.
        XCTAssertTrue(first.wait(upTo: 120) { FileManager.default.fileExists(atPath: run.appendingPathComponent("last.h5").path) },
                      first.stderr)
        try assertRefused(data: data, run: run, holder: first.pid, extra: [])
        try assertRefused(data: data, run: run, holder: first.pid, extra: ["--resume"])
        XCTAssertTrue(first.process.isRunning, "the first run goes on")
        first.kill(SIGKILL)
        // The kernel released the dead process's lock: the folder is usable again.
        let r = try CLIRunner.run(["train", "--config", TrainCLITests.configPath, "--data", data, "--run-dir", run.path,
                                   "--epochs", "1", "--steps-per-epoch", "1", "--threads", "1", "--overwrite"])
        XCTAssertEqual(r.status, 0, r.stderr)
    }

    private func assertRefused(data: String, run: URL, holder: Int32, extra: [String], line: UInt = #line) throws {
        let started = Date()
        let r = try CLIRunner.run(["train", "--config", TrainCLITests.configPath, "--data", data, "--run-dir", run.path,
                                   "--epochs", "2", "--threads", "1"] + extra)
        XCTAssertEqual(r.status, 1, "\(extra): \(r.stderr)", line: line)
        XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, "\(extra): \(r.stderr)", line: line)
        XCTAssertTrue(r.stderr.contains("run folder \(run.path) is in use by process \(holder)"), "\(extra): \(r.stderr)", line: line)
        XCTAssertLessThan(Date().timeIntervalSince(started), 30, "refused at once", line: line)
    }
}
