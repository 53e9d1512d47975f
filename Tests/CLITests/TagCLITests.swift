import Foundation
import XCTest

/// Multi-label tagging end to end: `synth --tags` -> `prepare --manifest` -> `train` (tiny) ->
/// `eval` (tag metrics, tuned thresholds) -> `predict` (tags above a threshold) -> `embed`.
final class TagCLITests: XCTestCase {
    func testSynthPrepareTrainEvalPredict() throws {
        let dir = try CLIRunner.temporaryDirectory(self)
        let audio = dir.appendingPathComponent("tagged")
        var r = try CLIRunner.run(["synth", audio.path, "--tags", "--clips", "24", "--seconds", "2", "--seed", "5"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("wrote 24 tagged clips (9 tags"), r.stdout)
        let manifest = try String(contentsOfFile: audio.appendingPathComponent("tags.csv").path, encoding: .utf8)
        let lines = manifest.split(separator: "\n")
        XCTAssertEqual(lines.first, "path,tags")
        XCTAssertEqual(lines.count, 25)
        XCTAssertTrue(lines.dropFirst().allSatisfy { $0.split(separator: ",")[1].split(separator: ";").count >= 3 }, manifest)

        let data = dir.appendingPathComponent("tags.h5").path
        r = try CLIRunner.run(["prepare", audio.path, "--manifest", audio.appendingPathComponent("tags.csv").path, "--out", data,
                               "--config", TrainCLITests.configPath, "--split", "0.5,0.25,0.25"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("9 tags"), r.stdout)

        r = try CLIRunner.run(["info", data])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("tags: 9, ") && r.stdout.contains(" per track: bass ("), r.stdout)

        let run = dir.appendingPathComponent("run").path
        r = try CLIRunner.run(["train", "--config", TrainCLITests.configPath, "--data", data, "--run-dir", run,
                               "--epochs", "2", "--steps-per-epoch", "3", "--threads", "1"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let best = run + "/best.h5"

        r = try CLIRunner.run(["info", best])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("tags (one sigmoid each): 9: bass, bright"), r.stdout)
        r = try CLIRunner.run(["eval", "--checkpoint", best, "--data", data])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("ROC-AUC  macro") && r.stdout.contains("PR-AUC   macro"), r.stdout)
        XCTAssertTrue(r.stdout.contains("strings"), r.stdout)
        r = try CLIRunner.run(["eval", "--checkpoint", best, "--data", data, "--tune-thresholds", "--json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let json = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        XCTAssertEqual((json?["per_tag"] as? [Any])?.count, 9)
        XCTAssertNotNil(json?["macro_roc_auc"])
        let report = dir.appendingPathComponent("report").path
        r = try CLIRunner.run(["eval", "--checkpoint", best, "--data", data, "--out", report])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("wrote metrics.json, report.html"), r.stderr)
        let html = try String(contentsOfFile: report + "/report.html", encoding: .utf8)
        XCTAssertTrue(html.contains("<table id=\"per-tag\">") && html.contains("<td>strings</td>") && html.contains("<th>ROC-AUC macro</th>"), html)
        XCTAssertTrue(html.contains("<h2>Worst tracks</h2>") && html.contains("clips/clip."), html)
        XCTAssertTrue(html.contains("<a href=\"../run/curves.svg\">learning curves</a>"), html)
        XCTAssertFalse(html.contains("http"), "no external URLs")
        XCTAssertTrue(FileManager.default.fileExists(atPath: report + "/metrics.json"))
        // Two seeds' models as one: the ensemble's tag metrics, its thresholds tuned on its own scores.
        let second = dir.appendingPathComponent("run-2").path
        r = try CLIRunner.run(["train", "--config", TrainCLITests.configPath, "--data", data, "--run-dir", second,
                               "--epochs", "2", "--steps-per-epoch", "3", "--threads", "1", "--seed", "2"])
        XCTAssertEqual(r.status, 0, r.stderr)
        func auc(_ checkpoints: [String]) throws -> Double {
            let e = try CLIRunner.run(["eval"] + checkpoints.flatMap { ["--checkpoint", $0] } + ["--data", data, "--tune-thresholds", "--json"])
            XCTAssertEqual(e.status, 0, e.stderr)
            XCTAssertEqual(e.stderr.contains("ensemble of 2 models"), checkpoints.count == 2, e.stderr)
            let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(e.stdout.utf8)) as? [String: Any])
            XCTAssertEqual((json["per_tag"] as? [Any])?.count, 9)
            return try XCTUnwrap(json["micro_roc_auc"] as? Double)
        }
        let aucs = try [[best], [second + "/best.h5"], [best, second + "/best.h5"]].map(auc)
        XCTAssertNotEqual(aucs[0], aucs[1], "two seeds, two models")
        XCTAssertNotEqual(aucs[2], aucs[0], "the ensemble is neither member")
        let ensembleReport = dir.appendingPathComponent("ensemble-report").path
        r = try CLIRunner.run(["eval", "--checkpoint", best, "--checkpoint", second + "/best.h5", "--data", data, "--out", ensembleReport])
        XCTAssertEqual(r.status, 0, r.stderr)
        let ensembleHTML = try String(contentsOfFile: ensembleReport + "/report.html", encoding: .utf8)
        XCTAssertTrue(ensembleHTML.contains("ensemble of 2 checkpoints on tags.h5") && !ensembleHTML.contains("learning curves"), ensembleHTML)

        r = try CLIRunner.run(["eval", "--checkpoint", best, "--data", data, "--threshold", "1.5"])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("--threshold"), r.stderr)

        let clip = audio.appendingPathComponent("clips/clip.00003.wav").path
        r = try CLIRunner.run(["predict", "--checkpoint", best, "--threshold", "0", "--json", clip])
        XCTAssertEqual(r.status, 0, r.stderr)
        let rows = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]]
        XCTAssertEqual((rows?.first?["tags"] as? [Any])?.count, 9, r.stdout)   // threshold 0: every tag
        r = try CLIRunner.run(["predict", "--checkpoint", best, "--threshold", "1", clip])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("no tag with probability >= 1.00"), r.stdout)

        let emb = dir.appendingPathComponent("emb.h5").path
        r = try CLIRunner.run(["embed", "--checkpoint", best, "--data", data, "--out", emb])
        XCTAssertEqual(r.status, 0, r.stderr)
        r = try CLIRunner.run(["similar", "--embeddings", emb, "--track", "clip.00003.wav", "--k", "2"])
        XCTAssertEqual(r.status, 0, r.stderr)
    }

    func testBadTagOptionsAreOneLine() throws {
        let dir = try CLIRunner.temporaryDirectory(self)
        let r = try CLIRunner.run(["synth", dir.appendingPathComponent("t").path, "--tags", "--clips", "0"])
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains("--clips"), r.stderr)
    }
}
