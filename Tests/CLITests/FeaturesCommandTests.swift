import Audio
import Foundation
import XCTest

/// `melcnn features` on a small GTZAN-like folder with one corrupt file, `melcnn beats`, and the
/// feature kinds of `melcnn spectrogram`.
final class FeaturesCommandTests: XCTestCase {
    static let header = ["filename", "length", "chroma_stft_mean", "chroma_stft_var", "rms_mean", "rms_var",
                         "spectral_centroid_mean", "spectral_centroid_var", "spectral_bandwidth_mean",
                         "spectral_bandwidth_var", "rolloff_mean", "rolloff_var", "zero_crossing_rate_mean",
                         "zero_crossing_rate_var", "harmony_mean", "harmony_var", "perceptr_mean", "perceptr_var",
                         "tempo"] + (1 ... 20).flatMap { ["mfcc\($0)_mean", "mfcc\($0)_var"] } + ["label"]

    /// `seconds` of clicks every 0.5 s over a 220 Hz tone, 22050 Hz mono.
    func clickTrack(seconds: Double, to path: String) throws {
        let n = Int(seconds * 22050)
        var y = (0 ..< n).map { Float(0.1 * sin(2 * Double.pi * 220 * Double($0) / 22050)) }
        var start = 0
        while start < n {
            for i in 0 ..< min(400, n - start) { y[start + i] += Float(0.6 * exp(-Double(i) / 80) * sin(Double(i) * 0.9)) }
            start += 11025
        }
        try AudioFile.write(y, sampleRate: 22050, to: path)
    }

    /// genres/blues/blues.00000.wav (4 s), genres/rock/rock.00000.wav (3.5 s), genres/rock/broken.wav (not audio).
    func makeFolder() throws -> URL {
        let dir = try CLIRunner.temporaryDirectory(self).appendingPathComponent("genres")
        for genre in ["blues", "rock"] {
            try FileManager.default.createDirectory(at: dir.appendingPathComponent(genre), withIntermediateDirectories: true)
        }
        try clickTrack(seconds: 4, to: dir.appendingPathComponent("blues/blues.00000.wav").path)
        try clickTrack(seconds: 3.5, to: dir.appendingPathComponent("rock/rock.00000.wav").path)
        try Data("this is not a wav file".utf8).write(to: dir.appendingPathComponent("rock/broken.wav"))
        return dir
    }

    func lines(_ path: String) throws -> [[String]] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map { $0.split(separator: ",").map(String.init) }
    }

    func testFolderWithCorruptFile() throws {
        let dir = try makeFolder()
        let out = dir.deletingLastPathComponent().appendingPathComponent("features.csv").path
        let r = try CLIRunner.run(["features", dir.path, "--out", out, "--jobs", "2"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("broken.wav"), r.stderr)
        XCTAssertTrue(r.stderr.contains("2 files processed, 1 skipped"), r.stderr)
        let rows = try lines(out)
        XCTAssertEqual(rows.count, 3)                          // header + 2 files
        XCTAssertEqual(rows[0], Self.header)
        XCTAssertEqual(rows[1][0], "blues.00000.wav")
        XCTAssertEqual(rows[1][1], "88200")
        XCTAssertEqual(rows[1].last, "blues")
        XCTAssertEqual(rows[2][0], "rock.00000.wav")
        XCTAssertEqual(rows[2].last, "rock")
        for row in rows.dropFirst() {
            XCTAssertEqual(row.count, Self.header.count)
            XCTAssertTrue(row[1 ..< row.count - 1].allSatisfy { Double($0)?.isFinite == true }, "\(row)")
        }
        // the clicks are 0.5 s apart: tempo near 120 BPM on librosa's grid
        let tempo = Double(rows[1][Self.header.firstIndex(of: "tempo")!])!
        XCTAssertEqual(tempo, 120, accuracy: 6)
        XCTAssertFalse(try FileManager.default.contentsOfDirectory(atPath: dir.deletingLastPathComponent().path)
            .contains { $0.contains(".tmp") }, "no temporary file left behind")
    }

    func testSegmentsAndAllColumns() throws {
        let dir = try makeFolder()
        let out = dir.deletingLastPathComponent().appendingPathComponent("seg.csv").path
        let r = try CLIRunner.run(["features", dir.path, "--out", out, "--segment", "1.5", "--all", "--jobs", "1"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let rows = try lines(out)
        // 4 s -> 2 segments of 1.5 s, 3.5 s -> 2 segments
        XCTAssertEqual(rows.count, 1 + 4)
        XCTAssertEqual(rows[1][0], "blues.00000.0.wav")
        XCTAssertEqual(rows[2][0], "blues.00000.1.wav")
        XCTAssertEqual(rows[1][1], "33075")
        XCTAssertEqual(Array(rows[0].prefix(Self.header.count - 1)), Array(Self.header.dropLast()))
        XCTAssertEqual(rows[0].last, "label")
        XCTAssertTrue(rows[0].contains("contrast7_var") && rows[0].contains("tonnetz6_var") && rows[0].contains("chroma_cqt_kurtosis") && rows[0].contains("mfcc20_kurtosis") && rows[0].contains("beat_count"))
        XCTAssertTrue(rows.allSatisfy { $0.count == rows[0].count })
    }

    func testUserErrorsExitOne() throws {
        let dir = try makeFolder()
        let out = dir.appendingPathComponent("x.csv").path
        for (args, text) in [(["--segment=-1"], "--segment"), (["--segment", "0"], "--segment"), (["--jobs", "0"], "--jobs")] {
            let r = try CLIRunner.run(["features", dir.path, "--out", out] + args)
            XCTAssertEqual(r.status, 1, r.stderr)
            XCTAssertTrue(r.stderr.contains(text), r.stderr)
        }
        let missing = try CLIRunner.run(["features", dir.path + "/nope", "--out", out])
        XCTAssertEqual(missing.status, 1)
        let onlyBroken = try CLIRunner.run(["features", dir.appendingPathComponent("rock/broken.wav").path, "--out", out])
        XCTAssertEqual(onlyBroken.status, 1)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out))
    }

    func testBeatsPrintsTempoAndTimes() throws {
        let dir = try makeFolder()
        let r = try CLIRunner.run(["beats", dir.appendingPathComponent("blues/blues.00000.wav").path])
        XCTAssertEqual(r.status, 0, r.stderr)
        let out = r.stdout.split(separator: "\n")
        XCTAssertTrue(out[0].hasPrefix("tempo "), r.stdout)
        let times = out.dropFirst().compactMap { Double($0) }
        XCTAssertGreaterThanOrEqual(times.count, 5)
        // consecutive beats about 0.5 s apart
        for (a, b) in zip(times, times.dropFirst()) { XCTAssertEqual(b - a, 0.5, accuracy: 0.05) }
    }

    func testFeatureSpectrogramKinds() throws {
        let dir = try makeFolder()
        let wav = dir.appendingPathComponent("blues/blues.00000.wav").path
        let frames = 1 + 88200 / 512
        for (kind, bins) in [("chroma-stft", 12), ("contrast", 7), ("onset", 1), ("tempogram", 384),
                             ("hpss-harmonic", 1025), ("hpss-percussive", 1025)] {
            let out = dir.appendingPathComponent("\(kind).csv").path
            let r = try CLIRunner.run(["spectrogram", wav, "--kind", kind, "--out", out])
            XCTAssertEqual(r.status, 0, r.stderr)
            let rows = try lines(out)
            XCTAssertEqual(rows.count, frames, kind)
            XCTAssertTrue(rows.allSatisfy { $0.count == bins }, kind)
        }
    }
}
