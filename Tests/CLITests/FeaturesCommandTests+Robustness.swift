import Foundation
import XCTest

/// `melcnn features`: an output that is an input, and absurd segment lengths.
extension FeaturesCommandTests {
    func testRefusesToOverwriteAnInputAudioFile() throws {
        let dir = try CLIRunner.temporaryDirectory(self)
        let wav = try CLIRunner.tone(in: dir, at: "rock/a.wav")
        let before = try Data(contentsOf: URL(fileURLWithPath: wav))
        try CLIRunner.expectUserError(["features", wav, "--out", wav], mentioning: "--out")
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: wav)), before)
    }

    func testAbsurdSegmentSkipsInsteadOfTrapping() throws {
        let dir = try CLIRunner.temporaryDirectory(self)
        let wav = dir.appendingPathComponent("a.wav").path
        try ToneWAV.write(wav, samples: 8192, frequency: 440, amplitude: 8000)
        let r = try CLIRunner.run(["features", wav, "--segment", "1e300", "--out", dir.appendingPathComponent("f.csv").path])
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains("shorter than one"), r.stderr)
    }
}
