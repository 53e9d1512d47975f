import Foundation
import XCTest

/// Bit-flipped copies of a small data set and a small checkpoint written by melcnn, read by
/// `info`, `train`, `eval` and `predict`, each in a subprocess with a timeout: no crash, no
/// hang, and every failure is exit 1 with one line naming the file (issue 12, item 6).
final class DamagedFileFuzzTests: XCTestCase {
    /// A tiny model and data shape, so that each run takes a fraction of a second.
    static let tinyConfig = """
    data:
      sample_rate: 22050
      n_fft: 512
      hop_length: 512
      n_mels: 16
      patch_frames: 16
      prefetch: 1
    model:
      conv:
        - {channels: 4, kernel: 3, pool: 2}
      dense: [8]
    train:
      epochs: 1
      batch_size: 4
      steps_per_epoch: 1
      seed: 1
      threads: 1
    eval:
      patch_hop: 16
      batch_size: 8

    """

    /// The files every case mutates: data set, checkpoint, one audio file for `predict`.
    struct Corpus { var data: String, checkpoint: String, audio: String, config: String }

    static func makeCorpus(_ dir: URL) throws -> Corpus {
        let config = dir.appendingPathComponent("tiny.yaml").path
        try tinyConfig.write(toFile: config, atomically: true, encoding: .utf8)
        let audio = dir.appendingPathComponent("audio")
        var r = try CLIRunner.run(["synth", audio.path, "--genres", "2", "--per-genre", "4", "--seconds", "1", "--jobs", "1"])
        guard r.status == 0 else { throw CocoaError(.fileWriteUnknown, userInfo: ["synth": r.stderr]) }
        let data = dir.appendingPathComponent("data.h5").path
        r = try CLIRunner.run(["prepare", audio.path, "--out", data, "--config", config, "--split", "0.5,0.25,0.25"])
        guard r.status == 0 else { throw CocoaError(.fileWriteUnknown, userInfo: ["prepare": r.stderr]) }
        let run = dir.appendingPathComponent("run").path
        r = try CLIRunner.run(["train", "--config", config, "--data", data, "--run-dir", run, "--threads", "1"])
        guard r.status == 0 else { throw CocoaError(.fileWriteUnknown, userInfo: ["train": r.stderr]) }
        let wav = try FileManager.default.subpathsOfDirectory(atPath: audio.path).first { $0.hasSuffix(".wav") }!
        return Corpus(data: data, checkpoint: run + "/last.h5", audio: audio.appendingPathComponent(wav).path, config: config)
    }

    /// The reader commands of a damaged data set or checkpoint at `path`.
    static func readers(damagedData path: String, _ corpus: Corpus, runDir: String) -> [[String]] {
        [["info", path],
         ["train", "--config", corpus.config, "--data", path, "--run-dir", runDir, "--threads", "1"]]
    }

    static func readers(damagedCheckpoint path: String, _ corpus: Corpus) -> [[String]] {
        [["info", path],
         ["predict", "--checkpoint", path, "--threads", "1", corpus.audio],
         ["eval", "--checkpoint", path, "--data", corpus.data, "--threads", "1"]]
    }

    func testBitFlippedFilesNeverCrashOrHang() throws {
        let dir = try CLIRunner.temporaryDirectory(self)
        let corpus = try Self.makeCorpus(dir)
        // The undamaged files read cleanly (so the failures below are the damage's).
        for args in Self.readers(damagedData: corpus.data, corpus, runDir: dir.appendingPathComponent("r0").path)
            + Self.readers(damagedCheckpoint: corpus.checkpoint, corpus) {
            XCTAssertEqual(try Fuzz.run(args, damaged: corpus.data, timeout: 60).outcome, .success, "\(args)")
        }
        var rng = Fuzz.Generator(state: 12)
        var counts: [String: Int] = [:]
        let originals = [(corpus.data, true), (corpus.checkpoint, false)]
        for k in 0 ..< 48 {
            let (original, isData) = originals[k % 2]
            let damaged = dir.appendingPathComponent("damaged-\(k).h5").path
            try Fuzz.flipBits(try Data(contentsOf: URL(fileURLWithPath: original)), &rng).write(to: URL(fileURLWithPath: damaged))
            let runDir = dir.appendingPathComponent("run-\(k)").path
            let commands = isData ? Self.readers(damagedData: damaged, corpus, runDir: runDir)
                                  : Self.readers(damagedCheckpoint: damaged, corpus)
            for args in commands {
                let (outcome, stderr) = try Fuzz.run(args, damaged: damaged, timeout: 30)
                switch outcome {
                case .success: counts["exit 0", default: 0] += 1
                case .userError: counts["exit 1", default: 0] += 1
                case .badFailure(let text): XCTFail("case \(k) \(args[0]): \(text)")
                case .crash(let signal): XCTFail("case \(k) \(args[0]): crashed with signal \(signal): \(stderr)")
                case .hang: XCTFail("case \(k) \(args[0]): still running after 30 s")
                }
            }
        }
        print("damaged-file fuzz: \(counts)")
        XCTAssertGreaterThan(counts["exit 1", default: 0], 0, "no damage was detected at all")
    }
}
