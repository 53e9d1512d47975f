import Foundation
import XCTest

/// `melcnn eval`: the report folder is checked before the evaluation, with one line naming the flag.
final class EvalCommandTests: XCTestCase {
    func testOutputIsCheckedFirst() throws {
        let dir = try CLIRunner.temporaryDirectory(self)
        let (data, ck) = try CLIRunner.junkDataAndCheckpoint(in: dir)
        try CLIRunner.expectUserError(["eval", "--checkpoint", ck, "--data", data, "--out", data], mentioning: "--out")
        try CLIRunner.expectUserError(["eval", "--checkpoint", ck, "--data", data, "--out", "/proc/melcnn-report"], mentioning: "--out")
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: data)), Data([1, 2, 3]))
    }

    func testNegativeThreadCountNamesTheFlag() throws {
        let dir = try CLIRunner.temporaryDirectory(self)
        let ck = dir.appendingPathComponent("c.h5").path, data = dir.appendingPathComponent("d.h5").path
        try CLIRunner.expectUserError(["eval", "--checkpoint", ck, "--data", data, "--threads=-1"], mentioning: "--threads")
    }

    /// Several checkpoints are an ensemble: its patch figures are the models' means, its tracks
    /// scored once each (the mean track probabilities, checked in ModelEnsembleTests); the report
    /// page names the ensemble; a file that is no checkpoint is refused naming it.
    func testSeveralCheckpointsAreEvaluatedAsAnEnsemble() throws {
        let dir = try CLIRunner.temporaryDirectory(self)
        let (_, data) = try TrainCLITests.makeDataset(dir)
        let runs = try [1, 2].map { seed -> String in
            let run = dir.appendingPathComponent("s\(seed)").path
            let r = try CLIRunner.run(["train", "--config", TrainCLITests.configPath, "--data", data, "--run-dir", run,
                                       "--epochs", "1", "--steps-per-epoch", "3", "--threads", "1", "--seed", String(seed)])
            XCTAssertEqual(r.status, 0, r.stderr)
            return run + "/best.h5"
        }
        func eval(_ checkpoints: [String], _ extra: [String] = ["--json"]) throws -> (json: [String: Any], stderr: String) {
            let r = try CLIRunner.run(["eval"] + checkpoints.flatMap { ["--checkpoint", $0] } + ["--data", data, "--split", "train", "--threads", "1"] + extra)
            XCTAssertEqual(r.status, 0, r.stderr)
            return (extra.contains("--json") ? try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]) : [:], r.stderr)
        }
        let (a, b, both) = (try eval([runs[0]]), try eval([runs[1]]), try eval(runs))
        XCTAssertTrue(both.stderr.contains("ensemble of 2 models") && !a.stderr.contains("ensemble"), both.stderr)
        func number(_ json: [String: Any], _ key: String) throws -> Double { try XCTUnwrap(json[key] as? Double, key) }
        XCTAssertEqual(both.json["patches"] as? Int, (a.json["patches"] as! Int) + (b.json["patches"] as! Int))
        XCTAssertEqual(both.json["tracks"] as? Int, a.json["tracks"] as? Int)
        for key in ["patch_accuracy", "patch_loss"] {
            XCTAssertEqual(try number(both.json, key), (try number(a.json, key) + number(b.json, key)) / 2, accuracy: 1e-9, key)
        }
        let tracksOut = try eval(runs, ["--out", dir.appendingPathComponent("report").path])
        XCTAssertTrue(tracksOut.stderr.contains("wrote metrics.json"), tracksOut.stderr)
        let html = try String(contentsOf: dir.appendingPathComponent("report/report.html"), encoding: .utf8)
        XCTAssertTrue(html.contains("ensemble of 2 checkpoints on"), html)
        let confusion = try XCTUnwrap(both.json["confusion"] as? [[Int]])
        let right = confusion.indices.reduce(0) { $0 + confusion[$1][$1] }, total = confusion.joined().reduce(0, +)
        XCTAssertEqual(try number(both.json, "track_accuracy"), Double(right) / Double(total), accuracy: 1e-9)
        XCTAssertEqual(total, both.json["tracks"] as? Int)
        try CLIRunner.expectUserError(["eval", "--checkpoint", runs[0], "--checkpoint", data, "--data", data], mentioning: data)
    }
}
