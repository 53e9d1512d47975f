import Foundation
import HDF5
import XCTest

/// `melcnn synth --listeners`, `melcnn factors` and `melcnn recommend` end to end.
final class RecommendationCLITests: XCTestCase {
    func testSynthFactorsRecommendChain() throws {
        let dir = try CLIRunner.temporaryDirectory(self)
        let synth = try CLIRunner.run(["synth", dir.path, "--genres", "3", "--per-genre", "10", "--listeners", "60", "--no-audio"])
        XCTAssertEqual(synth.status, 0, synth.stderr)
        let plays = dir.appendingPathComponent("plays.csv").path
        XCTAssertTrue(try String(contentsOfFile: plays, encoding: .utf8).hasPrefix("user,track,count\nlistener00000,"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("blues").path))
        let elsewhere = dir.appendingPathComponent("other.csv").path
        let moved = try CLIRunner.run(["synth", dir.appendingPathComponent("x").path, "--genres", "3", "--per-genre", "10",
                                       "--listeners", "60", "--no-audio", "--plays-out", elsewhere])
        XCTAssertEqual(moved.status, 0, moved.stderr)
        XCTAssertEqual(try String(contentsOfFile: elsewhere, encoding: .utf8), try String(contentsOfFile: plays, encoding: .utf8))
        let out = dir.appendingPathComponent("factors.h5").path
        let fit = try CLIRunner.run(["factors", "--plays", plays, "--out", out, "--factors", "8", "--holdout", "0.2",
                                     "--threads", "2"])
        XCTAssertEqual(fit.status, 0, fit.stderr)
        XCTAssertTrue(fit.stdout.contains("held-out evaluation: 60 users"), fit.stdout)
        let eval = try CLIRunner.run(["recommend", "--factors", out, "--eval", "--json"])
        XCTAssertEqual(eval.status, 0, eval.stderr)
        let json = try JSONSerialization.jsonObject(with: Data(eval.stdout.utf8)) as! [String: Any]
        let rows = json["evaluation"] as! [[String: Any]]
        XCTAssertEqual(rows.map { $0["model"] as! String }, ["als", "popularity", "random"])
        // The synthetic listeners prefer genres: factors beat popularity, which beats random.
        XCTAssertGreaterThan(rows[0]["auc"] as! Double, rows[1]["auc"] as! Double)
        XCTAssertGreaterThan(rows[1]["auc"] as! Double, rows[2]["auc"] as! Double)
        // The factors line in `factors` equals the one of `recommend --eval`.
        let map = String(format: "%.4f", rows[0]["map"] as! Double)
        XCTAssertTrue(fit.stdout.contains("als          \(map)"), fit.stdout)

        let rec = try CLIRunner.run(["recommend", "--factors", out, "--user", "listener00003", "--top", "5", "--exclude-played", "--json"])
        XCTAssertEqual(rec.status, 0, rec.stderr)
        let tracks = (try JSONSerialization.jsonObject(with: Data(rec.stdout.utf8)) as! [String: Any])["tracks"] as! [[String: Any]]
        XCTAssertEqual(tracks.count, 5)
        XCTAssertTrue(tracks.allSatisfy { ($0["played"] as! Bool) == false })
        let scores = tracks.map { $0["score"] as! Double }
        XCTAssertEqual(scores, scores.sorted(by: >))
    }

    func testBadInputIsOneLineNamingFileOrFlag() throws {
        let dir = try CLIRunner.temporaryDirectory(self)
        let plays = dir.appendingPathComponent("plays.csv").path
        try "user,track,count\nu1,a.wav,2\nu2,b.wav,many\n".write(toFile: plays, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("f.h5").path
        var checks: [([String], String)] = [
            (["factors", "--plays", plays, "--out", out], "\(plays):3: count must be"),
            (["factors", "--plays", dir.appendingPathComponent("none.csv").path, "--out", out], "none.csv"),
            (["factors", "--plays", plays, "--out", out, "--holdout", "1"], "--holdout"),
            (["factors", "--plays", plays + ".ok", "--out", out, "--factors", "0"], "--factors must be 1...4096, got 0"),
            (["factors", "--plays", plays + ".ok", "--out", out, "--cg-steps", "1001"], "--cg-steps must be 0...1000"),
            (["factors", "--plays", plays, "--out", dir.appendingPathComponent("f.txt").path], "--out"),
            (["factors", "--plays", plays, "--out", plays], "--out"),
            (["recommend", "--factors", plays, "--eval"], plays),
            (["synth", dir.path, "--no-audio"], "--no-audio"),
            (["synth", dir.path, "--listeners", "3", "--tracks-per-listener", "9", "--no-audio"], "--tracks-per-listener"),
        ]
        try "user,track,count\nu1,a.wav,2\nu2,b.wav,1\nu2,a.wav,1\n".write(toFile: plays + ".ok", atomically: true, encoding: .utf8)
        let good = try CLIRunner.run(["factors", "--plays", plays + ".ok", "--out", out, "--factors", "2"])
        XCTAssertEqual(good.status, 0, good.stderr)
        checks.append((["recommend", "--factors", out, "--user", "nobody"], "no user nobody"))
        try "u1,a.wav,1e37\n".write(toFile: plays + ".huge", atomically: true, encoding: .utf8)
        checks.append((["factors", "--plays", plays + ".huge", "--out", out + ".2.h5"], "overflows float32"))
        checks.append((["recommend", "--factors", out, "--eval"], "no held-out plays"))
        for (args, expected) in checks {
            let r = try CLIRunner.run(args)
            XCTAssertEqual(r.status, 1, "\(args): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains(expected), "\(args): \(r.stderr)")
            XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, "\(args): \(r.stderr)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("f.txt").path))
    }
}

/// `similar` with a playlist and with --eval restricted to one split.
final class SimilarPlaylistCLITests: XCTestCase {
    func testPlaylistAndSplitRestrictedEval() throws {
        let dir = try CLIRunner.temporaryDirectory(self)
        let emb = dir.appendingPathComponent("emb.h5").path, data = dir.appendingPathComponent("data.h5").path
        let paths = ["a/1.wav", "a/2.wav", "a/3.wav", "b/1.wav", "b/2.wav", "b/3.wav"]
        try H5File.createAtomically(emb) { f in
            try f.attributes.write("format", "melcnn-embeddings")
            try f.attributes.write("version", Int32(1))
            try f.createDataset("embeddings", values: [Float](arrayLiteral: 1, 0, 1, 0.2, 0.9, 0.1, 0, 1, 0.2, 1, 0.1, 0.9), shape: [6, 2])
            try f.createGroup("tracks")
            try f.createStringDataset("tracks/path", values: paths)
            try f.createDataset("tracks/label", values: [Int32](arrayLiteral: 0, 0, 0, 1, 1, 1))
            try f.createStringDataset("classes", values: ["a", "b"])
        }
        try H5File.createAtomically(data) { f in
            try f.attributes.write("format", "melcnn-dataset")
            try f.createGroup("tracks")
            try f.createStringDataset("tracks/path", values: paths)
            try f.createDataset("tracks/split", values: [UInt8](arrayLiteral: 0, 2, 2, 0, 2, 2))
        }
        let mix = try CLIRunner.run(["similar", "--embeddings", emb, "--track", "a/1.wav", "--track", "b/1.wav",
                                     "--exclude-queries", "--k", "4", "--json"])
        XCTAssertEqual(mix.status, 0, mix.stderr)
        let rows = (try JSONSerialization.jsonObject(with: Data(mix.stdout.utf8)) as! [String: Any])["neighbors"] as! [[String: Any]]
        XCTAssertEqual(Set(rows.map { $0["path"] as! String }), ["a/2.wav", "a/3.wav", "b/2.wav", "b/3.wav"])
        let all = try CLIRunner.run(["similar", "--embeddings", emb, "--eval", "--k", "2"])
        XCTAssertTrue(all.stdout.contains("precision@2  1.0000  (6 tracks"), all.stdout)
        // Test split: a/2 a/3 b/2 b/3; with k 2 each query has 1 same-label neighbour of 3 -> 0.5.
        let test = try CLIRunner.run(["similar", "--embeddings", emb, "--eval", "--k", "2", "--data", data, "--split", "test"])
        XCTAssertEqual(test.status, 0, test.stderr)
        XCTAssertTrue(test.stdout.contains("precision@2  0.5000  (4 tracks of the test split"), test.stdout)
        for (args, expected) in [(["--split", "test"], "--split needs --data"), (["--data", data], "--data needs --split")] {
            let r = try CLIRunner.run(["similar", "--embeddings", emb, "--eval"] + args)
            XCTAssertEqual(r.status, 1, r.stderr)
            XCTAssertTrue(r.stderr.contains(expected), r.stderr)
        }
    }
}
