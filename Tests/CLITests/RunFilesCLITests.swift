import Foundation
import XCTest

/// Run folders and configs from the command line: a checkpoint write interrupted by SIGTERM
/// leaves no temporary file, `eval --out` into a folder being trained in is refused, and a
/// deeply nested config is one error line (before: SIGSEGV in Yams, status 139).
final class RunFilesCLITests: XCTestCase {
    private func startLongTrain(_ dir: URL, data: String, run: URL) throws -> CLIBackground {
        try CLIBackground(["train", "--config", TrainCLITests.configPath, "--data", data, "--run-dir", run.path,
                           "--epochs", "100000", "--steps-per-epoch", "1", "--threads", "1"], stderrIn: dir)
    }

    func testSIGTERMDuringACheckpointWriteLeavesNoTemporaryFile() throws {
        let dir = try CLIRunner.temporaryDirectory(self)
        let (_, data) = try TrainCLITests.makeDataset(dir)
        let run = dir.appendingPathComponent("run")
        let train = try startLongTrain(dir, data: data, run: run)
        // Catch a checkpoint write in progress (one per epoch of one step), then SIGTERM it.
        let deadline = Date().addingTimeInterval(120)
        var caught = false
        while !caught && Date() < deadline && train.process.isRunning {
            caught = temporaryFiles(in: run).contains { $0.hasPrefix(".last.h5.tmp-") || $0.hasPrefix(".best.h5.tmp-") }
            if !caught { usleep(200) }
        }
        XCTAssertTrue(caught, "no checkpoint write seen: \(train.stderr)")
        train.kill(SIGTERM)
        XCTAssertEqual(train.process.terminationReason, .uncaughtSignal, train.stderr)
        XCTAssertEqual(train.process.terminationStatus, SIGTERM)
        XCTAssertEqual(temporaryFiles(in: run), [])
    }

    func testEvalIntoARunFolderBeingTrainedInIsRefused() throws {
        let dir = try CLIRunner.temporaryDirectory(self)
        let (_, data) = try TrainCLITests.makeDataset(dir)
        let run = dir.appendingPathComponent("run")
        let train = try startLongTrain(dir, data: data, run: run)
        let best = run.appendingPathComponent("best.h5").path
        XCTAssertTrue(train.wait(upTo: 120) { FileManager.default.fileExists(atPath: best) }, train.stderr)
        try CLIRunner.expectUserError(["eval", "--checkpoint", best, "--data", data, "--out", run.path],
                                      mentioning: "run folder \(run.path) is in use by process \(train.pid)")
        train.kill(SIGKILL)
        let r = try CLIRunner.run(["eval", "--checkpoint", best, "--data", data, "--out", run.path])
        XCTAssertEqual(r.status, 0, r.stderr)
    }

    func testDeeplyNestedConfigIsOneErrorLine() throws {
        let dir = try CLIRunner.temporaryDirectory(self)
        let config = dir.appendingPathComponent("deep.yaml")
        try Data((String(repeating: "[", count: 5_000) + String(repeating: "]", count: 5_000) + "\n").utf8).write(to: config)
        try CLIRunner.expectUserError(["train", "--config", config.path, "--data", dir.appendingPathComponent("d.h5").path,
                                       "--run-dir", dir.appendingPathComponent("run").path],
                                      mentioning: "\(config.path): nested deeper than 64 levels")
        try CLIRunner.expectUserError(["prepare", dir.path, "--config", config.path, "--out", dir.appendingPathComponent("d.h5").path],
                                      mentioning: "\(config.path): nested deeper than 64 levels")
    }
}
