import Foundation
import HDF5
import XCTest

/// `melcnn cv` end to end: a tiny synthetic set with a group column, 3 folds of 1 epoch.
final class CrossValidationCLITests: XCTestCase {
    func testThreeFoldsPartitionTheTracksAndResumeSkipsThem() throws {
        let dir = try CLIRunner.temporaryDirectory(self)
        let audio = dir.appendingPathComponent("audio")
        var r = try CLIRunner.run(["synth", audio.path, "--genres", "3", "--per-genre", "6", "--seconds", "2"])
        XCTAssertEqual(r.status, 0, r.stderr)
        // Groups of two clips of a genre ("albums").
        var manifest = "path,label,group\n"
        var groupOf: [String: String] = [:]
        for genre in try FileManager.default.contentsOfDirectory(atPath: audio.path).sorted() {
            let clips = try FileManager.default.contentsOfDirectory(atPath: audio.appendingPathComponent(genre).path).sorted()
            for (i, clip) in clips.enumerated() {
                groupOf["\(genre)/\(clip)"] = "\(genre)-album\(i / 2)"
                manifest += "\(genre)/\(clip),\(genre),\(genre)-album\(i / 2)\n"
            }
        }
        XCTAssertEqual(groupOf.count, 18)
        let csv = dir.appendingPathComponent("manifest.csv").path
        try manifest.write(toFile: csv, atomically: true, encoding: .utf8)
        let data = dir.appendingPathComponent("data.h5").path
        r = try CLIRunner.run(["prepare", audio.path, "--manifest", csv, "--out", data, "--config", TrainCLITests.configPath])
        XCTAssertEqual(r.status, 0, r.stderr)

        let out = dir.appendingPathComponent("cv").path
        let command = ["cv", "--config", TrainCLITests.configPath, "--data", data, "--folds", "3", "--run-dir", out,
                       "--epochs", "1", "--threads", "1", "--seed", "4"]
        r = try CLIRunner.run(command)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("18 tracks in 9 groups, 3 classes, 3 folds"), r.stderr)
        XCTAssertTrue(r.stdout.contains("mean ± std over 3 folds"), r.stdout)

        let rows = try String(contentsOfFile: out + "/cv.csv", encoding: .utf8).split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        XCTAssertEqual(rows.count, 6)   // header, 3 folds, mean, std
        XCTAssertEqual(rows[0].prefix(3), ["repeat", "fold", "seed"])
        XCTAssertEqual(rows[1 ... 3].map { String($0[1]) }, ["1", "2", "3"])
        XCTAssertEqual(rows[1 ... 3].reduce(0) { $0 + Int($1[5])! }, 18, "test tracks over folds")
        XCTAssertEqual([String(rows[4][1]), String(rows[5][1])], ["mean", "std"])
        for row in rows[1 ... 3] {
            let accuracy = try XCTUnwrap(Double(row[8]))
            XCTAssertTrue((0 ... 1).contains(accuracy))
        }
        // Folds partition the tracks; a group never spans two folds.
        let folds = try String(contentsOfFile: out + "/folds.csv", encoding: .utf8).split(separator: "\n").dropFirst().map { $0.split(separator: ",") }
        XCTAssertEqual(Set(folds.map { String($0[4]) }), Set(groupOf.keys))
        XCTAssertEqual(folds.count, 18)
        var foldOfGroup: [String: Substring] = [:]
        for f in folds {
            XCTAssertEqual(String(f[2]), groupOf[String(f[4])])
            XCTAssertEqual(foldOfGroup[String(f[2]), default: f[1]], f[1], "group \(f[2]) in two folds")
            foldOfGroup[String(f[2])] = f[1]
        }
        for i in 1 ... 3 {
            XCTAssertTrue(FileManager.default.fileExists(atPath: out + "/fold-\(i)/best.h5"))
            XCTAssertTrue(FileManager.default.fileExists(atPath: out + "/fold-\(i)/fold.json"))
        }
        // Each fold's confusion matrix counts its test tracks, its diagonal is the track
        // accuracy; confusion.csv sums them: every track once, the classes in the header.
        var summed = [[Int]](repeating: [0, 0, 0], count: 3)
        for i in 1 ... 3 {
            let fold = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/fold-\(i)/fold.json"))) as? [String: Any])
            let confusion = try XCTUnwrap(fold["confusion"] as? [[Int]])
            let testTracks = try XCTUnwrap(fold["test_tracks"] as? Int)
            XCTAssertEqual(confusion.map(\.count), [3, 3, 3])
            XCTAssertEqual(confusion.joined().reduce(0, +), testTracks)
            XCTAssertEqual(Double((0 ..< 3).map { confusion[$0][$0] }.reduce(0, +)) / Double(testTracks),
                           try XCTUnwrap(fold["track_accuracy"] as? Double), accuracy: 1e-12)
            for t in 0 ..< 3 { for p in 0 ..< 3 { summed[t][p] += confusion[t][p] } }
        }
        let confusionRows = try String(contentsOfFile: out + "/confusion.csv", encoding: .utf8).split(separator: "\n").map { $0.split(separator: ",") }
        XCTAssertEqual(confusionRows.count, 4)
        XCTAssertEqual(confusionRows[0].first, "true\\predicted")
        XCTAssertEqual(Set(confusionRows[0].dropFirst().map(String.init)), Set(groupOf.keys.map { String($0.split(separator: "/")[0]) }))
        XCTAssertEqual(confusionRows.dropFirst().map { $0.dropFirst().map { Int($0)! } }, summed)
        XCTAssertEqual(summed.joined().reduce(0, +), 18)
        XCTAssertTrue(r.stdout.contains("cv.json and confusion.csv"), r.stdout)

        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/cv.json"))) as? [String: Any]
        XCTAssertEqual((json?["per_fold"] as? [Any])?.count, 3)
        XCTAssertNotNil((json?["std"] as? [String: Double])?["track_accuracy"])

        // Again: every fold finished, nothing retrained, the same table.
        let before = try String(contentsOfFile: out + "/cv.csv", encoding: .utf8)
        r = try CLIRunner.run(command)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stderr.components(separatedBy: "already finished").count - 1, 3, r.stderr)
        XCTAssertEqual(try String(contentsOfFile: out + "/cv.csv", encoding: .utf8), before)
        // Another recipe in the same folder (other epochs) is refused before anything is written.
        var otherEpochs = command
        otherEpochs[otherEpochs.firstIndex(of: "--epochs")! + 1] = "2"
        try CLIRunner.expectUserError(otherEpochs, mentioning: "fold-1/config.yaml was trained with another recipe")
        XCTAssertEqual(try String(contentsOfFile: out + "/cv.csv", encoding: .utf8), before)

        // Every fold from one checkpoint (--init) with conv1 frozen: each fold's conv1 is the checkpoint's.
        let source = out + "/fold-1/best.h5"
        let frozen = dir.appendingPathComponent("frozen.yaml").path
        try String(contentsOfFile: TrainCLITests.configPath, encoding: .utf8)
            .replacingOccurrences(of: "\ntrain:\n", with: "\ntrain:\n  freeze: [conv1]\n")
            .write(toFile: frozen, atomically: true, encoding: .utf8)
        let transfer = dir.appendingPathComponent("cv-init").path
        r = try CLIRunner.run(["cv", "--config", frozen, "--data", data, "--folds", "2", "--run-dir", transfer,
                               "--epochs", "1", "--threads", "1", "--init", source])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stderr.components(separatedBy: "cv: initialised from \(source)").count - 1, 1, r.stderr)
        func weights(_ path: String, _ name: String) throws -> [Float] {
            let file = try H5File.open(path)
            defer { file.close() }
            return try file.openDataset("model/" + name).read()
        }
        let conv1 = try weights(source, "conv1.weight")
        for i in 1 ... 2 {
            XCTAssertEqual(try weights(transfer + "/fold-\(i)/best.h5", "conv1.weight"), conv1, "fold \(i)")
            XCTAssertNotEqual(try weights(transfer + "/fold-\(i)/best.h5", "out.weight"), try weights(source, "out.weight"), "fold \(i)")
        }
        try CLIRunner.expectUserError(["cv", "--config", frozen, "--data", data, "--folds", "2", "--run-dir", transfer + "-x",
                                       "--epochs", "1", "--init", dir.appendingPathComponent("none.h5").path], mentioning: "none.h5")

        // A seed ensemble of two members per fold: member folders, the members' accuracies beside the fold's.
        let ensemble = dir.appendingPathComponent("cv-members").path
        r = try CLIRunner.run(["cv", "--config", TrainCLITests.configPath, "--data", data, "--folds", "2", "--run-dir", ensemble,
                               "--epochs", "1", "--threads", "1", "--members", "2"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stderr.components(separatedBy: "member 2/2").count - 1, 2, r.stderr)
        XCTAssertEqual(r.stdout.components(separatedBy: "members' track ").count - 1, 2, r.stdout)
        XCTAssertTrue(r.stdout.contains("single models (mean of the 2 members per fold): track accuracy"), r.stdout)
        for i in 1 ... 2 {
            for m in 1 ... 2 { XCTAssertTrue(FileManager.default.fileExists(atPath: ensemble + "/fold-\(i)/member-\(m)/best.h5")) }
            let fold = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: ensemble + "/fold-\(i)/fold.json"))) as? [String: Any])
            XCTAssertEqual(fold["members"] as? Int, 2)
            XCTAssertEqual((fold["member_track_accuracy"] as? [Double])?.count, 2)
        }
        try CLIRunner.expectUserError(["cv", "--config", TrainCLITests.configPath, "--data", data, "--folds", "2", "--run-dir", ensemble,
                                       "--epochs", "1", "--threads", "1"], mentioning: "--members")

        // Without validation tracks the epoch lines have no validation columns (no "nan").
        r = try CLIRunner.run(["cv", "--config", TrainCLITests.configPath, "--data", data, "--folds", "2", "--run-dir",
                               dir.appendingPathComponent("cv-none").path, "--epochs", "1", "--threads", "1", "--validation", "none"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("epoch 1/1  loss "), r.stderr)
        XCTAssertFalse(r.stderr.contains("val loss") || r.stderr.lowercased().contains("nan"), r.stderr)
    }

    func testBadFlagsAreOneLineErrors() throws {
        let dir = try CLIRunner.temporaryDirectory(self)
        let (_, data) = try TrainCLITests.makeDataset(dir)
        let base = ["cv", "--config", TrainCLITests.configPath, "--data", data, "--run-dir", dir.appendingPathComponent("cv").path]
        for (extra, needle) in [(["--folds", "1"], "--folds"), (["--folds", "40"], "--folds 40"),
                                (["--validation", "some"], "--validation"), (["--validation-fraction", "1.5"], "--validation-fraction"),
                                (["--repeat", "0"], "--repeat"), (["--members", "0"], "--members")] {
            let r = try CLIRunner.run(base + extra)
            XCTAssertEqual(r.status, 1, "\(extra): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains(needle), "\(extra): \(r.stderr)")
            XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, r.stderr)
        }
        let r = try CLIRunner.run(["cv", "--config", TrainCLITests.configPath, "--data", dir.appendingPathComponent("none.h5").path,
                                   "--run-dir", dir.appendingPathComponent("cv2").path])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("none.h5"), r.stderr)
    }
}
