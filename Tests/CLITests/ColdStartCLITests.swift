import Foundation
import HDF5
import XCTest

/// Cold start end to end: `synth --listeners` -> `factors` -> `prepare --targets` -> `train`
/// (factor regression) -> `eval --factors` -> `recommend --checkpoint --candidates`.
final class ColdStartCLITests: XCTestCase {
    func testFactorsPrepareTrainEvalRecommend() throws {
        let dir = try CLIRunner.temporaryDirectory(self)
        let audio = dir.appendingPathComponent("audio")
        let plays = dir.appendingPathComponent("plays.csv").path
        var r = try CLIRunner.run(["synth", audio.path, "--genres", "3", "--per-genre", "8", "--seconds", "2",
                                   "--listeners", "80", "--plays-out", plays])
        XCTAssertEqual(r.status, 0, r.stderr)
        // One track id that matches no audio, and one clip (blues.00000) without factors.
        var csv = try String(contentsOfFile: plays, encoding: .utf8)
        csv = csv.split(separator: "\n").filter { !$0.contains("blues/blues.00000.wav") }.joined(separator: "\n")
            + "\nlistener00001,elsewhere/missing.wav,3\n"
        try csv.write(toFile: plays, atomically: true, encoding: .utf8)
        let factors = dir.appendingPathComponent("factors.h5").path
        r = try CLIRunner.run(["factors", "--plays", plays, "--out", factors, "--factors", "8", "--holdout", "0.2", "--threads", "2"])
        XCTAssertEqual(r.status, 0, r.stderr)

        let data = dir.appendingPathComponent("data.h5").path
        r = try CLIRunner.run(["prepare", audio.path, "--targets", factors, "--out", data, "--config", TrainCLITests.configPath,
                               "--split", "0.5,0.25,0.25"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("prepared 23 tracks") && r.stdout.contains("8 factors"), r.stdout)
        XCTAssertTrue(r.stderr.contains("skipped blues/blues.00000.wav: no factors in \(factors)"), r.stderr)
        XCTAssertTrue(r.stderr.contains("1 of the 24 track ids of \(factors) match no audio file"), r.stderr)
        let file = try H5File.open(data)
        XCTAssertEqual(try file.attributes.readString("task"), "factors")
        XCTAssertEqual(try file.openDataset("tracks/targets").shape, [23, 8])
        file.close()

        let run = dir.appendingPathComponent("run").path
        r = try CLIRunner.run(["train", "--config", TrainCLITests.configPath, "--data", data, "--run-dir", run,
                               "--epochs", "2", "--steps-per-epoch", "3", "--threads", "1"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let best = run + "/best.h5"
        let checkpoint = try H5File.open(best)
        XCTAssertEqual(try checkpoint.attributes.readString("task"), "factors")
        XCTAssertEqual(try checkpoint.openDataset("model/out.weight").shape.first, 8)
        XCTAssertEqual(try checkpoint.openDataset("targets/std").shape, [8])   // train.loss mse: standardised targets
        checkpoint.close()

        r = try CLIRunner.run(["eval", "--checkpoint", best, "--data", data, "--factors", factors, "--json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let json = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        XCTAssertTrue((json["patch_loss"] as! Double).isFinite)
        let rows = json["recommendation"] as! [[String: Any]]
        XCTAssertEqual(rows.map { $0["model"] as! String }, ["als", "audio", "popularity", "random"])
        XCTAssertTrue(rows.allSatisfy { (0 ... 1).contains($0["auc"] as! Double) })
        r = try CLIRunner.run(["eval", "--checkpoint", best, "--data", data, "--factors", factors])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("track MSE") && r.stdout.contains("  audio        "), r.stdout)

        // Cold start: a folder of audio, one file renamed so it is in no listening data.
        let candidates = dir.appendingPathComponent("new")
        try FileManager.default.createDirectory(at: candidates, withIntermediateDirectories: true)
        for (i, name) in ["blues/blues.00000.wav", "country/country.00001.wav", "blues/blues.00003.wav"].enumerated() {
            try FileManager.default.copyItem(at: audio.appendingPathComponent(name), to: candidates.appendingPathComponent("new\(i).wav"))
        }
        try Data("not audio".utf8).write(to: candidates.appendingPathComponent("broken.wav"))
        r = try CLIRunner.run(["recommend", "--checkpoint", best, "--factors", factors, "--user", "listener00002",
                               "--candidates", candidates.path, "--top", "3", "--json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("skipped") && r.stderr.contains("broken.wav"), r.stderr)
        let ranked = (try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any])["tracks"] as! [[String: Any]]
        XCTAssertEqual(ranked.count, 3)
        let scores = ranked.map { $0["score"] as! Double }
        XCTAssertEqual(scores, scores.sorted(by: >))

        // The same candidates from predicted factors stored by `embed --layer factors`: same scores, no audio.
        let predicted = dir.appendingPathComponent("predicted.h5").path
        r = try CLIRunner.run(["embed", "--checkpoint", best, "--layer", "factors", "--out", predicted]
                              + (0 ..< 3).map { candidates.appendingPathComponent("new\($0).wav").path })
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("3 embeddings of dimension 8 from layer factors"), r.stdout)
        r = try CLIRunner.run(["recommend", "--factors", factors, "--user", "listener00002", "--candidates", predicted,
                               "--top", "3", "--json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let fromFile = (try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any])["tracks"] as! [[String: Any]]
        XCTAssertEqual(fromFile.map { ($0["path"] as! String).split(separator: "/").last! },
                       ranked.map { ($0["path"] as! String).split(separator: "/").last! })
        for (a, b) in zip(fromFile.map { $0["score"] as! Double }, scores) { XCTAssertEqual(a, b, accuracy: 1e-5 * max(1, abs(b))) }
        let pooled = dir.appendingPathComponent("pooled.h5").path
        r = try CLIRunner.run(["embed", "--checkpoint", best, "--data", data, "--split", "test", "--out", pooled])
        XCTAssertEqual(r.status, 0, r.stderr)

        // Bad input: one line naming the flag or file.
        let genre = dir.appendingPathComponent("genre.h5").path
        r = try CLIRunner.run(["prepare", audio.path, "--out", genre, "--config", TrainCLITests.configPath])
        XCTAssertEqual(r.status, 0, r.stderr)
        for (args, expected) in [
            (["prepare", audio.path, "--targets", plays, "--out", dir.appendingPathComponent("x.h5").path], plays),
            (["recommend", "--checkpoint", best, "--factors", factors, "--user", "listener00002"], "--candidates"),
            (["recommend", "--factors", factors, "--user", "listener00002", "--candidates", candidates.path], "--checkpoint"),
            (["eval", "--checkpoint", best, "--data", genre], "differ from"),
            (["eval", "--checkpoint", best, "--data", data, "--factors", plays], plays),
            (["eval", "--checkpoint", best, "--checkpoint", best, "--data", data], "an ensemble evaluates genre or tag models"),
            (["recommend", "--factors", factors, "--user", "listener00002", "--candidates", factors], "not a melcnn-embeddings file"),
            (["recommend", "--factors", factors, "--user", "listener00002", "--candidates", pooled], "not predicted factors"),
            (["recommend", "--checkpoint", best, "--factors", factors, "--user", "listener00002", "--candidates", predicted], "leave out --checkpoint"),
            (["embed", "--checkpoint", best, "--layer", "factors", "--data", genre, "--out", pooled], "differ from"),
        ] {
            let bad = try CLIRunner.run(args)
            XCTAssertEqual(bad.status, 1, "\(args): \(bad.stderr)")
            XCTAssertTrue(bad.stderr.contains(expected), "\(args): \(bad.stderr)")
            XCTAssertEqual(bad.stderr.split(separator: "\n").count, 1, "\(args): \(bad.stderr)")
        }
    }
}
