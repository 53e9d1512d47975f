import Foundation
import XCTest

/// `melcnn predict`: flag values are checked before the checkpoint is read; several checkpoints are an ensemble.
final class PredictCommandTests: XCTestCase {
    func testNegativeThreadCountNamesTheFlag() throws {
        let dir = try CLIRunner.temporaryDirectory(self)
        let ck = dir.appendingPathComponent("c.h5").path
        try CLIRunner.expectUserError(["predict", "--checkpoint", ck, "--threads=-1", "x.wav"], mentioning: "--threads")
    }

    /// Two models of the same classes (two seeds): the ensemble's probabilities are the mean of each
    /// model's own; a model of other classes is refused with one line naming it.
    func testSeveralCheckpointsAverageTheirTrackProbabilities() throws {
        let dir = try CLIRunner.temporaryDirectory(self)
        let (audio, data) = try TrainCLITests.makeDataset(dir)
        func train(_ data: String, _ name: String, seed: Int) throws -> String {
            let run = dir.appendingPathComponent(name).path
            let r = try CLIRunner.run(["train", "--config", TrainCLITests.configPath, "--data", data, "--run-dir", run,
                                       "--epochs", "1", "--steps-per-epoch", "3", "--threads", "1", "--seed", String(seed)])
            XCTAssertEqual(r.status, 0, r.stderr)
            return run + "/best.h5"
        }
        let a = try train(data, "a", seed: 1), b = try train(data, "b", seed: 2)
        let clips = ["classical/classical.00001.wav", "blues/blues.00002.wav"].map { audio.appendingPathComponent($0).path }
        func predict(_ checkpoints: [String]) throws -> [[String: Double]] {
            let r = try CLIRunner.run(["predict"] + checkpoints.flatMap { ["--checkpoint", $0] } + ["--top", "3", "--json", "--threads", "1"] + clips)
            XCTAssertEqual(r.status, 0, r.stderr)
            let rows = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]])
            return try rows.map { row in
                let top = try XCTUnwrap(row["top"] as? [[String: Any]])
                return Dictionary(uniqueKeysWithValues: top.map { ($0["genre"] as! String, $0["probability"] as! Double) })
            }
        }
        let (pa, pb, both) = (try predict([a]), try predict([b]), try predict([a, b]))
        XCTAssertEqual(both.count, 2)
        XCTAssertNotEqual(pa, pb, "two seeds, two models")
        for (t, row) in both.enumerated() {
            XCTAssertEqual(Set(row.keys), Set(pa[t].keys))
            for (genre, p) in row { XCTAssertEqual(p, (pa[t][genre]! + pb[t][genre]!) / 2, accuracy: 1e-5, "\(genre)") }
        }
        // A model of two genres is not averaged with models of three.
        let other = dir.appendingPathComponent("other")
        var r = try CLIRunner.run(["synth", other.path, "--genres", "2", "--per-genre", "4", "--seconds", "2"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let otherData = dir.appendingPathComponent("other.h5").path
        r = try CLIRunner.run(["prepare", other.path, "--out", otherData, "--config", TrainCLITests.configPath, "--split", "0.5,0.25,0.25"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let c = try train(otherData, "c", seed: 1)
        try CLIRunner.expectUserError(["predict", "--checkpoint", a, "--checkpoint", c, clips[0]], mentioning: c)
    }
}
