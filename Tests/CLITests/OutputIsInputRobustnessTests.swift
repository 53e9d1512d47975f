import Foundation
import XCTest

/// features, prepare, embed and eval refuse outputs that would destroy an input or cannot be
/// written, before doing the work, with one line naming the flag.
final class OutputIsInputRobustnessTests: XCTestCase {
    func testFeaturesAndPrepareRefuseToOverwriteAnInputAudioFile() throws {
        let dir = try CLIRunner.temporaryDirectory(self)
        let wav = dir.appendingPathComponent("rock/a.wav").path
        try FileManager.default.createDirectory(atPath: (wav as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try ToneWAV.write(wav, samples: 8192, frequency: 440, amplitude: 8000)
        let before = try Data(contentsOf: URL(fileURLWithPath: wav))
        try CLIRunner.expectUserError(["features", wav, "--out", wav], mentioning: "--out")
        try CLIRunner.expectUserError(["prepare", dir.path, "--out", wav], mentioning: "--out")
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: wav)), before)
    }

    func testFeaturesWithAnAbsurdSegmentSkipsInsteadOfTrapping() throws {
        let dir = try CLIRunner.temporaryDirectory(self)
        let wav = dir.appendingPathComponent("a.wav").path
        try ToneWAV.write(wav, samples: 8192, frequency: 440, amplitude: 8000)
        let r = try CLIRunner.run(["features", wav, "--segment", "1e300", "--out", dir.appendingPathComponent("f.csv").path])
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains("shorter than one"), r.stderr)
    }

    func testEmbedAndEvalCheckTheirOutputsFirst() throws {
        let dir = try CLIRunner.temporaryDirectory(self)
        let data = dir.appendingPathComponent("d.h5").path, ck = dir.appendingPathComponent("c.h5").path
        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: data))
        try Data([4, 5, 6]).write(to: URL(fileURLWithPath: ck))
        try CLIRunner.expectUserError(["embed", "--checkpoint", ck, "--data", data, "--out", data], mentioning: "--out")
        try CLIRunner.expectUserError(["embed", "--checkpoint", ck, "--data", data, "--out", ck], mentioning: "--out")
        try CLIRunner.expectUserError(["embed", "--checkpoint", ck, "--data", data, "--out", dir.appendingPathComponent("e.txt").path],
                                      mentioning: ".h5 or .csv")
        try CLIRunner.expectUserError(["eval", "--checkpoint", ck, "--data", data, "--out", data], mentioning: "--out")
        try CLIRunner.expectUserError(["eval", "--checkpoint", ck, "--data", data, "--out", "/proc/melcnn-report"], mentioning: "--out")
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: data)), Data([1, 2, 3]))
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: ck)), Data([4, 5, 6]))
    }
}

extension OutputIsInputRobustnessTests {
    func testNegativeThreadCountsNameTheFlag() throws {
        let dir = try CLIRunner.temporaryDirectory(self)
        let ck = dir.appendingPathComponent("c.h5").path, data = dir.appendingPathComponent("d.h5").path
        try CLIRunner.expectUserError(["eval", "--checkpoint", ck, "--data", data, "--threads=-1"], mentioning: "--threads")
        try CLIRunner.expectUserError(["predict", "--checkpoint", ck, "--threads=-1", "x.wav"], mentioning: "--threads")
        try CLIRunner.expectUserError(["embed", "--checkpoint", ck, "--data", data, "--out", dir.appendingPathComponent("e.h5").path,
                                       "--threads=-1"], mentioning: "--threads")
    }
}

extension OutputIsInputRobustnessTests {
    func testTrainOnSomethingThatIsNotADataSetIsOneLine() throws {
        let dir = try CLIRunner.temporaryDirectory(self)
        let config = TrainCLITests.configPath
        try CLIRunner.expectUserError(["train", "--config", config, "--data", dir.appendingPathComponent("none.h5").path,
                                       "--run-dir", dir.appendingPathComponent("r").path], mentioning: "none.h5")
        try CLIRunner.expectUserError(["train", "--config", config, "--data", config,
                                       "--run-dir", dir.appendingPathComponent("r").path], mentioning: "not an HDF5 file")
    }
}
