import Foundation
import TestSupport
import XCTest

/// `melcnn train/eval/embed/similar/predict` end to end on a tiny synthetic set.
final class TrainCLITests: XCTestCase {
    static let configPath = Repository.configs.appendingPathComponent("demo.yaml").path

    /// 3 genres x 6 clips of 2 s, prepared with the demo config.
    static func makeDataset(_ dir: URL, config: String = TrainCLITests.configPath) throws -> (audio: URL, data: String) {
        let audio = dir.appendingPathComponent("audio")
        let data = dir.appendingPathComponent("data.h5").path
        var r = try CLIRunner.run(["synth", audio.path, "--genres", "3", "--per-genre", "6", "--seconds", "2"])
        XCTAssertEqual(r.status, 0, r.stderr)
        r = try CLIRunner.run(["prepare", audio.path, "--out", data, "--config", config, "--split", "0.5,0.25,0.25"])
        XCTAssertEqual(r.status, 0, r.stderr)
        return (audio, data)
    }

    func train(_ data: String, runDir: String, extra: [String] = [],
               environment: [String: String]? = nil) throws -> CLIRunner.Result {
        try CLIRunner.run(["train", "--config", Self.configPath, "--data", data, "--run-dir", runDir,
                           "--epochs", "2", "--steps-per-epoch", "3", "--threads", "1"] + extra, environment: environment)
    }

    func testTrainEvalEmbedSimilarPredict() throws {
        let dir = try CLIRunner.temporaryDirectory(self)
        let (audio, data) = try Self.makeDataset(dir)
        let run = dir.appendingPathComponent("run").path
        var r = try train(data, runDir: run)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("epoch 2/2"), r.stderr)
        XCTAssertTrue(r.stdout.contains("best: "), r.stdout)
        for name in ["last.h5", "best.h5", "metrics.csv", "config.yaml", "curves.svg"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: run + "/" + name), name)
        }
        let curves = try String(contentsOfFile: run + "/curves.svg", encoding: .utf8)
        XCTAssertEqual(curves.components(separatedBy: "data-series=\"val_track_acc\"").count - 1, 1, curves)
        XCTAssertTrue(curves.contains("best epoch "), curves)
        let best = run + "/best.h5"

        let report = dir.appendingPathComponent("report").path
        r = try CLIRunner.run(["eval", "--checkpoint", best, "--data", data, "--out", report])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("accuracy  patch"), r.stdout)
        for name in ["metrics.json", "confusion.csv", "confusion.svg", "report.html"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: report + "/" + name), name)
        }
        let page = try String(contentsOfFile: report + "/report.html", encoding: .utf8)
        XCTAssertTrue(page.contains("<h2>Worst-classified tracks</h2>"), page)
        XCTAssertTrue(page.contains("learning curves</a>"), "links the run's curves.svg")
        let confusion = try String(contentsOfFile: report + "/confusion.svg", encoding: .utf8)
        XCTAssertTrue(confusion.contains(">true class</text>") && confusion.contains("colour-bar"), confusion)
        r = try CLIRunner.run(["eval", "--checkpoint", best, "--data", data, "--out", report, "--label-noun", "genre"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(try String(contentsOfFile: report + "/confusion.svg", encoding: .utf8).contains(">true genre</text>"))
        r = try CLIRunner.run(["eval", "--checkpoint", best, "--data", data, "--json", "--split", "validation"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let json = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        XCTAssertGreaterThan(json?["tracks"] as? Int ?? 0, 0)

        let emb = dir.appendingPathComponent("emb.h5").path
        r = try CLIRunner.run(["embed", "--checkpoint", best, "--data", data, "--out", emb, "--layer", "fc1"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("18 embeddings of dimension 64"), r.stdout)
        r = try CLIRunner.run(["similar", "--embeddings", emb, "--track", "blues.00002.wav", "--k", "3"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout.split(separator: "\n").count, 4, r.stdout)
        XCTAssertFalse(r.stdout.contains("  blues/blues.00002.wav"), "the query is not its own neighbour")
        r = try CLIRunner.run(["similar", "--embeddings", emb, "--eval", "--k", "2", "--json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("\"precision_at_k\""), r.stdout)

        let clip = audio.appendingPathComponent("classical/classical.00001.wav").path
        r = try CLIRunner.run(["predict", "--checkpoint", best, "--top", "2", "--json", clip])
        XCTAssertEqual(r.status, 0, r.stderr)
        let rows = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]]
        XCTAssertEqual((rows?.first?["top"] as? [Any])?.count, 2)
        // An audio query embeds to the same vector as the data set's track: it is its own best match.
        r = try CLIRunner.run(["similar", "--embeddings", emb, "--audio", clip, "--checkpoint", best, "--k", "1"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("classical/classical.00001.wav"), r.stdout)

        // A finished run is not overwritten by accident.
        let before = try Data(contentsOf: URL(fileURLWithPath: best))
        r = try train(data, runDir: run)
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains("already holds last.h5") && r.stderr.contains(run), r.stderr)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: best)), before)
        r = try train(data, runDir: run, extra: ["--resume", "--overwrite"])
        XCTAssertEqual(r.status, 1, r.stderr)

        // Resume a finished run for one more epoch.
        r = try CLIRunner.run(["train", "--data", data, "--run-dir", run, "--resume", "--epochs", "3"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("resuming"), r.stderr)
        XCTAssertTrue(r.stdout.contains("epoch 3"), r.stdout)
        // --overwrite starts again from epoch 1.
        r = try train(data, runDir: run, extra: ["--overwrite"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("epochs 1-2"), r.stderr)

        // --init starts a new run from this one's weights and reports what it loaded.
        let fineTuned = dir.appendingPathComponent("ft").path
        r = try train(data, runDir: fineTuned, extra: ["--init", best, "--epochs", "1"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("train: initialised from \(best): "), r.stderr)
        XCTAssertTrue(r.stderr.contains("  loaded: conv1.weight") && r.stderr.contains("  skipped: -")
                      && r.stderr.contains("  new: -"), r.stderr)
        // --init and --resume exclude each other; the error names both flags.
        r = try CLIRunner.run(["train", "--data", data, "--run-dir", fineTuned, "--resume", "--init", best])
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains("--init and --resume"), r.stderr)
    }

    /// `MELCNN_SGEMM=openblas` switches every matrix product to OpenBLAS; training then follows
    /// the same path up to rounding (losses within 1e-4 relative after 2 epochs of 3 steps).
    func testOpenBLASBackendSwitchTrainsTheSameModel() throws {
        let dir = try CLIRunner.temporaryDirectory(self)
        let (_, data) = try Self.makeDataset(dir)
        var losses: [[Double]] = []
        for (name, environment) in [("own", [String: String]()), ("openblas", ["MELCNN_SGEMM": "openblas"])] {
            let run = dir.appendingPathComponent(name).path
            let r = try train(data, runDir: run, environment: environment)
            XCTAssertEqual(r.status, 0, r.stderr)
            let csv = try String(contentsOfFile: run + "/metrics.csv", encoding: .utf8)
            losses.append(csv.split(separator: "\n").dropFirst().compactMap { Double($0.split(separator: ",")[2]) })
        }
        XCTAssertEqual(losses[0].count, 2)
        XCTAssertEqual(losses[0].count, losses[1].count)
        for (a, b) in zip(losses[0], losses[1]) { XCTAssertEqual(a, b, accuracy: 1e-4 * abs(b)) }
        let sgemm = try CLIRunner.run(["nn", "--config", "sgemm"], environment: ["MELCNN_SGEMM": "openblas"],
                                      tool: CLIRunner.benchExecutable)
        XCTAssertEqual(sgemm.status, 0, sgemm.stderr)
        XCTAssertTrue(sgemm.stdout.contains("\"backend\": \"openblas\""), sgemm.stdout)
    }

    func testSIGINTSavesLastCheckpointAndExitsCleanly() throws {
        let dir = try CLIRunner.temporaryDirectory(self)
        let (_, data) = try Self.makeDataset(dir)
        let run = dir.appendingPathComponent("run").path
        let process = Process()
        process.executableURL = CLIRunner.executable
        process.arguments = ["train", "--config", Self.configPath, "--data", data, "--run-dir", run,
                             "--epochs", "1000", "--steps-per-epoch", "2", "--threads", "1"]
        let err = Pipe()
        process.standardError = err
        process.standardOutput = Pipe()
        try process.run()
        // Wait for the first checkpoint, then interrupt.
        let last = run + "/last.h5"
        let deadline = Date().addingTimeInterval(60)
        while !FileManager.default.fileExists(atPath: last), Date() < deadline { usleep(20_000) }
        XCTAssertTrue(FileManager.default.fileExists(atPath: last))
        process.interrupt()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationReason, .exit, stderr)
        XCTAssertEqual(process.terminationStatus, 0, stderr)
        XCTAssertTrue(stderr.contains("interrupted at step"), stderr)
        let again = try CLIRunner.run(["eval", "--checkpoint", last, "--data", data])
        XCTAssertEqual(again.status, 0, again.stderr)

        // kill -9 while checkpoints are being rewritten every few milliseconds leaves a readable last.h5.
        let killed = Process()
        killed.executableURL = CLIRunner.executable
        killed.arguments = ["train", "--data", data, "--run-dir", run, "--resume", "--epochs", "100000", "--threads", "1"]
        killed.standardError = Pipe()
        killed.standardOutput = Pipe()
        try killed.run()
        usleep(700_000)
        kill(killed.processIdentifier, SIGKILL)
        killed.waitUntilExit()
        XCTAssertEqual(killed.terminationReason, .uncaughtSignal)
        let after = try CLIRunner.run(["eval", "--checkpoint", last, "--data", data])
        XCTAssertEqual(after.status, 0, after.stderr)
    }

    func testUserErrorsExitOneNamingTheFile() throws {
        let dir = try CLIRunner.temporaryDirectory(self)
        let (_, data) = try Self.makeDataset(dir)
        let missing = dir.appendingPathComponent("missing.h5").path
        var r = try CLIRunner.run(["eval", "--checkpoint", missing, "--data", data])
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains(missing), r.stderr)

        let run = dir.appendingPathComponent("run").path
        r = try train(data, runDir: run, extra: ["--epochs", "1"])
        XCTAssertEqual(r.status, 0, r.stderr)

        // A data set prepared with other DSP parameters (64 -> 32 mel bins).
        let other = dir.appendingPathComponent("other.yaml").path
        let text = try String(contentsOfFile: Self.configPath, encoding: .utf8).replacingOccurrences(of: "n_mels: 64", with: "n_mels: 32")
        try text.write(toFile: other, atomically: true, encoding: .utf8)
        let otherData = dir.appendingPathComponent("other.h5").path
        r = try CLIRunner.run(["prepare", dir.appendingPathComponent("audio").path, "--out", otherData, "--config", other])
        XCTAssertEqual(r.status, 0, r.stderr)
        r = try CLIRunner.run(["eval", "--checkpoint", run + "/best.h5", "--data", otherData])
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains(otherData) && r.stderr.contains("n_mels = 32") && r.stderr.contains("n_mels = 64"), r.stderr)
        r = try train(otherData, runDir: dir.appendingPathComponent("run2").path)
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains(otherData) && r.stderr.contains("demo.yaml"), r.stderr)

        // Audio that cannot be read.
        let bad = dir.appendingPathComponent("bad.wav").path
        try "not audio".write(toFile: bad, atomically: true, encoding: .utf8)
        r = try CLIRunner.run(["predict", "--checkpoint", run + "/best.h5", bad])
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains(bad), r.stderr)

        // A config error names the file and the key; a bad override names the flag.
        let broken = dir.appendingPathComponent("broken.yaml").path
        try "train:\n  lr: fast\n".write(toFile: broken, atomically: true, encoding: .utf8)
        r = try CLIRunner.run(["train", "--config", broken, "--data", data, "--run-dir", run])
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains("broken.yaml: train.lr"), r.stderr)
        r = try train(data, runDir: run, extra: ["--batch-size", "0"])
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains("--batch-size"), r.stderr)
    }
}
