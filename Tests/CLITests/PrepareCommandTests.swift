import Foundation
import XCTest

/// `melcnn prepare`: inputs of the wrong kind and outputs that would destroy an input are
/// one-line errors, before any work.
final class PrepareCommandTests: XCTestCase {
    func testFileWhereTheFolderIsExpectedAndBinaryManifest() throws {
        let dir = try CLIRunner.temporaryDirectory(self)
        let wav = dir.appendingPathComponent("a.wav").path
        try ToneWAV.write(wav, samples: 4096, frequency: 440, amplitude: 8000)
        let binary = dir.appendingPathComponent("labels.csv").path
        try Data([0xFF, 0xFE, 0x00, 0xC3, 0x28]).write(to: URL(fileURLWithPath: binary))
        let out = dir.appendingPathComponent("d.h5").path
        try CLIRunner.expectUserError(["prepare", wav, "--out", out], mentioning: "is a file, expected a folder")
        try CLIRunner.expectUserError(["prepare", dir.path, "--manifest", binary, "--out", out], mentioning: "not UTF-8")
        XCTAssertFalse(FileManager.default.fileExists(atPath: out))
    }

    func testRefusesToOverwriteAnInputAudioFile() throws {
        let dir = try CLIRunner.temporaryDirectory(self)
        let wav = try CLIRunner.tone(in: dir, at: "rock/a.wav")
        let before = try Data(contentsOf: URL(fileURLWithPath: wav))
        try CLIRunner.expectUserError(["prepare", dir.path, "--out", wav], mentioning: "--out")
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: wav)), before)
    }
}
