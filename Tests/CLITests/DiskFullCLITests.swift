import Foundation
import XCTest

/// A disk that fills at the end of a write: the previous output stays byte for byte, no
/// temporary file is left, one error line names the output and "no space left on device",
/// exit status 1 (before: the corrupt temporary file replaced the output and libhdf5
/// crashed at exit with SIGSEGV, status 139).
final class DiskFullCLITests: XCTestCase {
    private func assertDiskFullError(_ r: CLIRunner.Result, naming path: String, line: UInt = #line) {
        XCTAssertEqual(r.status, 1, r.stderr, line: line)
        let errors = r.stderr.split(separator: "\n").filter { $0.contains("Error") || $0.contains("error") }
        XCTAssertEqual(errors.count, 1, r.stderr, line: line)
        XCTAssertTrue(errors.first?.contains("\(path): no space left on device") ?? false, r.stderr, line: line)
    }

    func testPrepareOnAFullDiskKeepsThePreviousDataSet() throws {
        let disk = try SmallDisk(self)
        let dir = try CLIRunner.temporaryDirectory(self)
        let audio = dir.appendingPathComponent("audio").path
        var r = try CLIRunner.run(["synth", audio, "--genres", "2", "--per-genre", "4", "--seconds", "10"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let out = disk.folder.appendingPathComponent("data.h5").path
        r = try CLIRunner.run(["prepare", audio, "--out", out])
        XCTAssertEqual(r.status, 0, r.stderr)
        let good = try Data(contentsOf: URL(fileURLWithPath: out))
        // The same inputs need the same size again: leave one page less than that.
        try disk.fill(leavingFree: good.count - 4096)
        r = try CLIRunner.run(["prepare", audio, "--out", out])
        assertDiskFullError(r, naming: out)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: out)), good)
        XCTAssertEqual(temporaryFiles(in: disk.folder), [])
    }

    func testCheckpointOnAFullDiskKeepsThePreviousCheckpoint() throws {
        let disk = try SmallDisk(self)
        let dir = try CLIRunner.temporaryDirectory(self)
        let (_, data) = try TrainCLITests.makeDataset(dir)
        let run = disk.folder.appendingPathComponent("run")
        var r = try CLIRunner.run(["train", "--config", TrainCLITests.configPath, "--data", data, "--run-dir", run.path,
                                   "--epochs", "1", "--steps-per-epoch", "2", "--threads", "1"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let last = run.appendingPathComponent("last.h5")
        let good = try Data(contentsOf: last)
        let best = try Data(contentsOf: run.appendingPathComponent("best.h5"))
        let metrics = try Data(contentsOf: run.appendingPathComponent("metrics.csv"))
        try disk.fill(leavingFree: good.count - 4096)
        r = try CLIRunner.run(["train", "--data", data, "--run-dir", run.path, "--resume",
                               "--epochs", "2", "--steps-per-epoch", "2", "--threads", "1"])
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertEqual(r.stderr.split(separator: "\n").filter { $0.hasPrefix("Error") }.count, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains("no space left on device"), r.stderr)
        XCTAssertTrue(r.stderr.contains(run.path + "/"), r.stderr)
        XCTAssertEqual(try Data(contentsOf: last), good)
        XCTAssertEqual(try Data(contentsOf: run.appendingPathComponent("best.h5")), best)
        XCTAssertEqual(try Data(contentsOf: run.appendingPathComponent("metrics.csv")), metrics)
        XCTAssertEqual(temporaryFiles(in: run), [])
    }
}
