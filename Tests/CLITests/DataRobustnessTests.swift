import Foundation
import XCTest

/// synth and prepare: inputs of the wrong kind are one-line errors saying what they are.
final class DataRobustnessTests: XCTestCase {
    func testFilesWhereFoldersAreExpectedAndBinaryLists() throws {
        let dir = try CLIRunner.temporaryDirectory(self)
        let wav = dir.appendingPathComponent("a.wav").path
        try ToneWAV.write(wav, samples: 4096, frequency: 440, amplitude: 8000)
        let binary = dir.appendingPathComponent("labels.csv").path
        try Data([0xFF, 0xFE, 0x00, 0xC3, 0x28]).write(to: URL(fileURLWithPath: binary))
        let out = dir.appendingPathComponent("d.h5").path
        try CLIRunner.expectUserError(["synth", wav, "--genres", "1", "--per-genre", "1", "--seconds", "1"], mentioning: "is a file")
        try CLIRunner.expectUserError(["synth", dir.appendingPathComponent("s").path, "--seconds", "1e-9"], mentioning: "--seconds")
        try CLIRunner.expectUserError(["prepare", wav, "--out", out], mentioning: "is a file, expected a folder")
        try CLIRunner.expectUserError(["prepare", dir.path, "--manifest", binary, "--out", out], mentioning: "not UTF-8")
        XCTAssertFalse(FileManager.default.fileExists(atPath: out))
    }
}
