import Foundation
import XCTest

/// `model.kind: cnn2d`, `resnet2d` and `crnn` end to end: train a tiny network for two steps on the
/// synthetic set, predict, embed, export (safetensors; ONNX refused in one line), and start a
/// frozen fine-tuning run from the residual network with `--init`.
final class ModelKindsCLITests: XCTestCase {
    /// Configs/demo.yaml (64 mels, 64-frame patches) with `model` replaced by `modelSection`.
    private func config(_ dir: URL, name: String, modelSection: String, extra: String = "") throws -> String {
        let demo = try String(contentsOfFile: TrainCLITests.configPath, encoding: .utf8)
        var lines: [String] = [], skipping = false
        for line in demo.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("model:") { skipping = true; lines.append(modelSection); continue }
            if skipping, line.hasPrefix("train:") { skipping = false; lines.append(String(line)); lines.append(extra); continue }
            if !skipping { lines.append(String(line)) }
        }
        let path = dir.appendingPathComponent(name).path
        try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func testTrainPredictEmbedExportEachKind() throws {
        let dir = try CLIRunner.temporaryDirectory(self)
        let (audio, data) = try TrainCLITests.makeDataset(dir)
        let clip = audio.appendingPathComponent("classical/classical.00001.wav").path
        // pooled width: 16 channels x (max, mean); crnn: its GRU's 12 units
        for (kind, channels, pooling, width) in [("cnn2d", "[8, 16]", "global_pool: [max, mean]", 32),
                                                 ("resnet2d", "[8, 8, 16]", "global_pool: [max, mean]", 32),
                                                 ("crnn", "[8, 16]", "rnn_hidden: 12", 12)] {
            let config = try self.config(dir, name: "\(kind).yaml", modelSection: """
                model:
                  kind: \(kind)
                  channels: \(channels)
                  \(pooling)
                  dense: [16]
                  dropout: 0.3
                """)
            let run = dir.appendingPathComponent(kind).path
            var r = try CLIRunner.run(["train", "--config", config, "--data", data, "--run-dir", run,
                                       "--epochs", "1", "--steps-per-epoch", "2", "--threads", "1"])
            XCTAssertEqual(r.status, 0, "\(kind): \(r.stderr)")
            let best = run + "/best.h5"
            let stored = try String(contentsOfFile: run + "/config.yaml", encoding: .utf8)
            XCTAssertTrue(stored.contains("kind: \(kind)"), stored)
            r = try CLIRunner.run(["predict", "--checkpoint", best, "--top", "2", "--json", clip])
            XCTAssertEqual(r.status, 0, "\(kind): \(r.stderr)")
            let rows = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]]
            XCTAssertEqual((rows?.first?["top"] as? [Any])?.count, 2, r.stdout)
            let emb = dir.appendingPathComponent("\(kind)-emb.h5").path
            r = try CLIRunner.run(["embed", "--checkpoint", best, "--data", data, "--out", emb, "--layer", "pool"])
            XCTAssertEqual(r.status, 0, "\(kind): \(r.stderr)")
            XCTAssertTrue(r.stdout.contains("18 embeddings of dimension \(width)"), r.stdout)
            r = try CLIRunner.run(["export", "--checkpoint", best, "--format", "safetensors",
                                   "--out", dir.appendingPathComponent("\(kind).safetensors").path])
            XCTAssertEqual(r.status, 0, "\(kind): \(r.stderr)")
            let onnx = dir.appendingPathComponent("\(kind).onnx").path
            r = try CLIRunner.run(["export", "--checkpoint", best, "--format", "onnx", "--out", onnx])
            XCTAssertEqual(r.status, 1, r.stderr)
            XCTAssertTrue(r.stderr.contains("onnx") && r.stderr.contains(kind) && r.stderr.contains(best), r.stderr)
            XCTAssertEqual(r.stderr.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n").count, 1, r.stderr)
            XCTAssertFalse(FileManager.default.fileExists(atPath: onnx))
        }

        // Transfer between residual networks with the first block frozen.
        let frozen = try config(dir, name: "frozen.yaml", modelSection: """
            model:
              kind: resnet2d
              channels: [8, 8, 16]
              global_pool: [max, mean]
              dense: [16]
              dropout: 0.3
            """, extra: "  freeze: [block1]")
        let fineTuned = dir.appendingPathComponent("ft").path
        let source = dir.appendingPathComponent("resnet2d/best.h5").path
        var r = try CLIRunner.run(["train", "--config", frozen, "--data", data, "--run-dir", fineTuned, "--init", source,
                                   "--epochs", "1", "--steps-per-epoch", "2", "--threads", "1"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("  loaded: block1.conv1.weight") && r.stderr.contains("  new: -"), r.stderr)
        // A layer name of another kind is refused in one line naming the key.
        let wrong = try config(dir, name: "wrong.yaml", modelSection: "model:\n  kind: resnet2d\n  channels: [8]",
                               extra: "  freeze: [conv1]")
        r = try CLIRunner.run(["train", "--config", wrong, "--data", data, "--run-dir", dir.appendingPathComponent("w").path])
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains("train.freeze") && r.stderr.contains("block1"), r.stderr)
    }
}
