import Foundation
import XCTest

/// File names are bytes: `info` and `spectrogram` open a name that is not UTF-8 (`gen\xE9.wav`),
/// show it escaped, and `prepare`/`features` keep such files and class folders.
final class NonUTF8PathTests: XCTestCase {
    /// Runs `script` in sh with `$D` the temporary folder and `$M` melcnn (the shell passes the
    /// bytes that Foundation's `Process` would re-encode as UTF-8).
    private func shell(_ script: String, in dir: URL) throws -> CLIRunner.Result {
        return try CLIRunner.run(program: "/bin/sh", ["-c", script], environment: ["D": dir.path, "M": CLIRunner.executable.path])
    }

    func testInfoAndSpectrogramOpenANameThatIsNotUTF8() throws {
        let dir = try CLIRunner.temporaryDirectory(self)
        try ToneWAV.write(dir.appendingPathComponent("tone.wav").path, samples: 22050, frequency: 440, amplitude: 8000)
        var r = try shell(#"cp "$D/tone.wav" "$D/$(printf 'gen\351.wav')" && "$M" info "$D/$(printf 'gen\351.wav')""#, in: dir)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.hasPrefix(dir.path + "/gen\\xE9.wav\n"), r.stdout)
        XCTAssertTrue(r.stdout.contains("frames:      22050"), r.stdout)
        r = try shell(#""$M" spectrogram "$D/$(printf 'gen\351.wav')" --kind mel --out "$D/s.h5""#, in: dir)
        XCTAssertEqual(r.status, 0, r.stderr)
        r = try shell(#""$M" info "$D/$(printf 'missing\351.wav')""#, in: dir)
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(r.stderr, "melcnn info: \(dir.path)/missing\\xE9.wav: file not found\n")
    }

    /// A class folder and a file whose names are not UTF-8 are prepared, not dropped.
    func testPrepareKeepsNamesThatAreNotUTF8() throws {
        let dir = try CLIRunner.temporaryDirectory(self)
        let tone = dir.appendingPathComponent("tone.wav").path
        try ToneWAV.write(tone, samples: 22050 * 2, frequency: 440, amplitude: 8000)
        let r = try shell(#"""
            set -e
            mkdir -p "$D/audio/rock" "$D/audio/$(printf 'gen\351')"
            for i in 1 2 3 4; do cp "$D/tone.wav" "$D/audio/rock/r$i.wav"; cp "$D/tone.wav" "$D/audio/$(printf 'gen\351')/$(printf 'caf\351')$i.wav"; done
            "$M" prepare "$D/audio" --out "$D/data.h5" --split 0.5,0.25,0.25
            "$M" info "$D/data.h5"
            """#, in: dir)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("classes: 2: gen\\xE9 (4), rock (4)"), r.stdout)
    }
}
