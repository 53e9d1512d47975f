import Audio
import Foundation
import XCTest

/// `features` without `--segment` streams the file (issue 12, item 7): on a 4-minute file the
/// whole-file row stays under a bound that the in-memory computation (the signal, its STFT,
/// HPSS masks and waveforms: about 1 GB per 10 minutes) far exceeded. A memory bound, not a
/// timing: the peak RSS of the child comes from GNU time (`PeakMemory`).
final class WholeFileFeaturesMemoryTests: XCTestCase {
    func testWholeFileFeaturesStayUnderBound() throws {
        guard FileManager.default.isExecutableFile(atPath: PeakMemory.time) else {
            return XCTFail("\(PeakMemory.time) is missing: install GNU time (scripts/install-deps.sh does)")
        }
        let dir = try CLIRunner.temporaryDirectory(self)
        let rate = 22050, n = 4 * 60 * rate
        let y = (0 ..< n).map { i -> Float in
            let t = Double(i) / Double(rate)
            return Float(0.2 * sin(2 * .pi * (220 + 20 * Double((i / rate) % 7)) * t)) + (i % 11025 < 200 ? 0.3 : 0)
        }
        let wav = dir.appendingPathComponent("long.wav").path
        try AudioFile.write(y, sampleRate: rate, to: wav)
        // Measured on this file: 403 MB in memory (before streaming), 45 MB streamed.
        let bound = 150 << 20
        let out = dir.appendingPathComponent("f.csv").path
        let run = try PeakMemory.run(["features", wav, "--jobs", "1", "--out", out], in: dir)
        XCTAssertEqual(run.status, 0)
        XCTAssertLessThan(run.peakBytes, bound, "features (whole file): peak RSS \(run.peakBytes >> 20) MB")
        let rows = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(rows.count, 2)
        XCTAssert(rows[1].hasPrefix("long.wav,\(n),"), String(rows[1].prefix(40)))
    }
}
