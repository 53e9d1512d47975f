import Foundation
import XCTest

final class SpectrogramCommandTests: XCTestCase {
    /// A 16-bit mono WAV of a 1 kHz tone, `seconds` long at 22050 Hz.
    func toneWAV(seconds: Double = 1.5) throws -> (path: String, samples: Int) {
        let dir = try CLIRunner.temporaryDirectory(self)
        let n = Int(seconds * 22050)
        let path = dir.appendingPathComponent("tone.wav").path
        try ToneWAV.write(path, samples: n, frequency: 1000, amplitude: 12000)
        return (path, n)
    }

    func csvRows(_ path: String) throws -> [[Float]] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map { $0.split(separator: ",").map { Float($0)! } }
    }

    func testEveryKindWritesFramesByBins() throws {
        let (wav, n) = try toneWAV()
        let dir = (wav as NSString).deletingLastPathComponent
        let frames = 1 + n / 512
        for (kind, bins, extra) in [("stft", 1025, [String]()), ("mel", 128, []), ("db-mel", 64, ["--n-mels", "64"]),
                                    ("mfcc", 13, ["--n-mfcc", "13"])] {
            let csv = dir + "/\(kind).csv", h5 = dir + "/\(kind).h5"
            for out in [csv, h5] {
                let r = try CLIRunner.run(["spectrogram", wav, "--kind", kind, "--out", out] + extra)
                XCTAssertEqual(r.status, 0, r.stderr)
                XCTAssertTrue(FileManager.default.fileExists(atPath: out), out)
            }
            let rows = try csvRows(csv)
            XCTAssertEqual(rows.count, frames, kind)
            XCTAssertTrue(rows.allSatisfy { $0.count == bins && $0.allSatisfy(\.isFinite) }, kind)
        }
    }

    /// The 1 kHz tone peaks in the mel band around 1 kHz (Slaney mel 15 of ~49.9: band 37 or 38 of 128),
    /// and db-mel values span at most top_db.
    func testLogMelOfToneIsPlausible() throws {
        let (wav, _) = try toneWAV()
        let out = (wav as NSString).deletingLastPathComponent + "/m.csv"
        XCTAssertEqual(try CLIRunner.run(["spectrogram", wav, "--kind", "db-mel", "--out", out]).status, 0)
        let rows = try csvRows(out)
        let middle = rows[rows.count / 2]
        let peak = middle.indices.max { middle[$0] < middle[$1] }!
        XCTAssertTrue([37, 38].contains(peak), "peak band \(peak)")
        let all = rows.flatMap { $0 }
        XCTAssertLessThanOrEqual(all.max()! - all.min()!, 80.001)
    }

    func testBadParametersExitOneNamingTheFlag() throws {
        let (wav, _) = try toneWAV(seconds: 0.2)
        let out = (wav as NSString).deletingLastPathComponent + "/x.h5"
        for (args, flag) in [(["--hop", "0"], "--hop"), (["--fmax", "20000"], "--fmax"), (["--n-fft", "0"], "--n-fft"), (["--n-fft", "99999999999"], "--n-fft"),
                             (["--n-mels", "0"], "--n-mels"), (["--kind", "nope"], "--kind"), (["--pad-mode", "edge"], "--pad-mode")] {
            let kind = args.contains("--kind") ? [] : ["--kind", "mel"]
            let r = try CLIRunner.run(["spectrogram", wav, "--out", out] + kind + args)
            XCTAssertEqual(r.status, 1, "\(args): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains(flag), "\(args): \(r.stderr)")
            XCTAssertFalse(FileManager.default.fileExists(atPath: out))
        }
        let badOut = try CLIRunner.run(["spectrogram", wav, "--kind", "mel", "--out", out + ".txt"])
        XCTAssertEqual(badOut.status, 1)
        XCTAssertTrue(badOut.stderr.contains("--out"), badOut.stderr)
    }

    /// Too many mel bands for the FFT: librosa's empty-filter warning on stderr, still exit 0.
    func testEmptyFilterWarning() throws {
        let (wav, _) = try toneWAV(seconds: 0.2)
        let out = (wav as NSString).deletingLastPathComponent + "/w.csv"
        let r = try CLIRunner.run(["spectrogram", wav, "--kind", "mel", "--n-fft", "256", "--out", out])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("Empty filters detected in mel frequency basis"), r.stderr)
    }
}
