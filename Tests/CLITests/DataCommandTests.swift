import Foundation
import XCTest

/// `melcnn synth`, `melcnn prepare` and `melcnn info` on their results, end to end.
final class DataCommandTests: XCTestCase {
    func testSynthPrepareInfo() throws {
        let dir = try CLIRunner.temporaryDirectory(self)
        let (audio, synth) = try CLIRunner.synthSmallAudio(in: dir)
        XCTAssertTrue(synth.stdout.contains("wrote 6 clips"), synth.stdout)
        XCTAssertTrue(FileManager.default.fileExists(atPath: audio + "/classical/classical.00002.wav"))

        let out = dir.appendingPathComponent("data.h5").path
        let prepare = try CLIRunner.run(["prepare", audio, "--out", out, "--split", "0.34,0.33,0.33", "--jobs", "2"])
        XCTAssertEqual(prepare.status, 0, prepare.stderr)
        XCTAssertTrue(prepare.stdout.hasPrefix("prepared 6 tracks (train 2, validation 2, test 2)"), prepare.stdout)

        let info = try CLIRunner.run(["info", out])
        XCTAssertEqual(info.status, 0, info.stderr)
        XCTAssertTrue(info.stdout.contains("melcnn dataset (format version 1)"), info.stdout)
        XCTAssertTrue(info.stdout.contains("classes: 2: blues (3), classical (3)"), info.stdout)
        XCTAssertTrue(info.stdout.contains("22050 Hz, n_fft 2048, hop 512, 128 mels"), info.stdout)
    }

    func testBadValuesExitOneWithOneLine() throws {
        let dir = try CLIRunner.temporaryDirectory(self)
        let synth = try CLIRunner.run(["synth", dir.path, "--genres", "11"])
        XCTAssertEqual(synth.status, 1)
        XCTAssertTrue(synth.stderr.contains("--genres must be 1...10"), synth.stderr)
        let prepare = try CLIRunner.run(["prepare", dir.appendingPathComponent("none").path, "--out", dir.appendingPathComponent("x.h5").path])
        XCTAssertEqual(prepare.status, 1)
        XCTAssertTrue(prepare.stderr.contains("audio folder not found"), prepare.stderr)
        let split = try CLIRunner.run(["prepare", dir.path, "--out", "x.h5", "--split", "0.5,0.6,0"])
        XCTAssertEqual(split.status, 1)
        XCTAssertTrue(split.stderr.contains("'--split <split>': expected three fractions"), split.stderr)
        XCTAssertEqual(split.stderr.split(separator: "\n").count, 1, split.stderr)
    }
}
