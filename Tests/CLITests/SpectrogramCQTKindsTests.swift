import Foundation
import XCTest

/// `melcnn spectrogram --kind cqt | chroma-cqt | tonnetz`.
extension SpectrogramCommandTests {
    /// Shapes, and a 1 kHz tone (MIDI 83.2, a B) peaking in CQT bin 59 (C1 + 59 semitones) and chroma B.
    func testConstantQKindsWriteFramesByBins() throws {
        let (wav, n) = try toneWAV()
        let dir = (wav as NSString).deletingLastPathComponent
        var peaks: [String: Int] = [:]
        for (kind, bins) in [("cqt", 84), ("chroma-cqt", 12), ("tonnetz", 6)] {
            let out = dir + "/\(kind).csv"
            let r = try CLIRunner.run(["spectrogram", wav, "--kind", kind, "--out", out])
            XCTAssertEqual(r.status, 0, r.stderr)
            let rows = try csvRows(out)
            XCTAssertEqual(rows.count, 1 + n / 512, kind)
            XCTAssertTrue(rows.allSatisfy { $0.count == bins && $0.allSatisfy(\.isFinite) }, kind)
            let middle = rows[rows.count / 2]
            peaks[kind] = middle.indices.max { middle[$0] < middle[$1] }
        }
        XCTAssertEqual(peaks["cqt"], 59)
        XCTAssertEqual(peaks["chroma-cqt"], 11)
        let h5 = dir + "/c.h5"
        let r = try CLIRunner.run(["spectrogram", wav, "--kind", "cqt", "--n-bins", "48", "--bins-per-octave", "24",
                                   "--fmin", "110", "--tuning", "estimate", "--out", h5])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("x 48 bins"), r.stderr)
    }

    func testConstantQBadParametersExitOneNamingTheFlag() throws {
        let (wav, _) = try toneWAV(seconds: 0.2)
        let out = (wav as NSString).deletingLastPathComponent + "/x.h5"
        for (args, flag) in [(["--kind", "cqt", "--n-bins", "120"], "--n-bins"),
                             (["--kind", "cqt", "--fmin=-3"], "--fmin"),
                             (["--kind", "chroma-cqt", "--tuning", "sharp"], "--tuning"),
                             (["--kind", "chroma-cqt", "--bins-per-octave", "30"], "--bins-per-octave"),
                             (["--kind", "tonnetz", "--n-octaves", "0"], "--n-octaves")] {
            let r = try CLIRunner.run(["spectrogram", wav, "--out", out] + args)
            XCTAssertEqual(r.status, 1, "\(args): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains(flag), "\(args): \(r.stderr)")
            XCTAssertFalse(FileManager.default.fileExists(atPath: out))
        }
    }
}
