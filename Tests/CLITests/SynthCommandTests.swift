import Foundation
import XCTest

/// `melcnn synth`: bad folders and values are one-line errors saying what they are.
final class SynthCommandTests: XCTestCase {
    func testFileWhereTheFolderIsExpectedAndTooShortClips() throws {
        let dir = try CLIRunner.temporaryDirectory(self)
        let wav = dir.appendingPathComponent("a.wav").path
        try ToneWAV.write(wav, samples: 4096, frequency: 440, amplitude: 8000)
        try CLIRunner.expectUserError(["synth", wav, "--genres", "1", "--per-genre", "1", "--seconds", "1"], mentioning: "is a file")
        try CLIRunner.expectUserError(["synth", dir.appendingPathComponent("s").path, "--seconds", "1e-9"], mentioning: "--seconds")
    }

    /// The library names its parameters (`perGenre`, `sampleRate`); the command line says the flags.
    func testLibraryParametersAreReportedAsFlags() throws {
        let out = try CLIRunner.temporaryDirectory(self).appendingPathComponent("s").path
        let line = try CLIRunner.expectUserError(["synth", out, "--per-genre", "0"], mentioning: "synth: --per-genre must be at least 1, got 0")
        XCTAssertFalse(line.contains("perGenre"), line)
        try CLIRunner.expectUserError(["synth", out, "--sr", "10", "--seconds", "1"], mentioning: "synth: --sr must be 4000...192000, got 10")
        try CLIRunner.expectUserError(["synth", out, "--listeners", "3", "--tracks-per-listener", "9-2", "--no-audio"],
                                      mentioning: "--tracks-per-listener must be MIN-MAX")
    }
}
