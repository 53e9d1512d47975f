import Foundation
import XCTest

/// `melcnn spectrogram --out x.png|svg`.
final class SpectrogramPictureCLITests: XCTestCase {
    func testPNGAndSVGPicturesAreWrittenAndDeterministic() throws {
        let dir = try CLIRunner.temporaryDirectory(self)
        let wav = dir.appendingPathComponent("tone.wav").path
        try ToneWAV.write(wav, samples: 22050, frequency: 1000, amplitude: 12000)
        for ext in ["png", "svg"] {
            let a = dir.appendingPathComponent("a.\(ext)").path, b = dir.appendingPathComponent("b.\(ext)").path
            for out in [a, b] {
                let r = try CLIRunner.run(["spectrogram", wav, "--kind", "db-mel", "--out", out, "--colormap", "viridis"])
                XCTAssertEqual(r.status, 0, r.stderr)
            }
            let bytes = try Data(contentsOf: URL(fileURLWithPath: a))
            XCTAssertEqual(bytes, try Data(contentsOf: URL(fileURLWithPath: b)), "same input, same bytes")
            if ext == "png" {
                XCTAssertEqual(Array(bytes.prefix(4)), [0x89, 0x50, 0x4E, 0x47])
            } else {
                let text = String(decoding: bytes, as: UTF8.self)
                XCTAssertTrue(text.hasPrefix("<svg"))
                XCTAssertTrue(text.contains(">frequency (Hz)</text>"))
            }
        }
    }

    func testPictureFlagsAreCheckedBeforeDecoding() throws {
        let dir = try CLIRunner.temporaryDirectory(self)
        let wav = dir.appendingPathComponent("tone.wav").path
        try ToneWAV.write(wav, samples: 4410, frequency: 440, amplitude: 8000)
        let h5 = dir.appendingPathComponent("x.h5").path
        var r = try CLIRunner.run(["spectrogram", wav, "--kind", "mel", "--out", h5, "--colormap", "magma"])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("--colormap"), r.stderr)
        XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, r.stderr)
        r = try CLIRunner.run(["spectrogram", wav, "--kind", "mel", "--out", dir.appendingPathComponent("x.png").path, "--colormap", "jet"])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("--colormap"), r.stderr)
        r = try CLIRunner.run(["spectrogram", wav, "--kind", "mel", "--out", dir.appendingPathComponent("x.jpg").path])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains(".png"), r.stderr)
    }
}
