import Audio
import Foundation
import XCTest

/// Long audio is processed in bounded blocks (issue 12, item 7): on a 20-minute file (106 MB
/// of samples at 22050 Hz, more again while resampling) the commands stay under a bound that
/// the whole-signal code exceeded. A memory bound, not a timing: the peak RSS of the child
/// comes from GNU time (`PeakMemory`).
final class MemoryBoundTests: XCTestCase {
    static let minutes = 20.0

    /// A `minutes`-long 16-bit WAV at 44100 Hz mono (tones and clicks), written in one call.
    func longWAV(in dir: URL) throws -> String {
        let rate = 44100, n = Int(Self.minutes * 60 * Double(rate))
        var y = [Float](repeating: 0, count: n)
        y.withUnsafeMutableBufferPointer { y in
            for i in 0 ..< n {
                let t = Double(i) / Double(rate)
                y[i] = Float(0.2 * sin(2 * .pi * (220 + 20 * Double((i / rate) % 7)) * t)) + (i % 11025 < 200 ? 0.3 : 0)
            }
        }
        let path = dir.appendingPathComponent("long.wav").path
        try AudioFile.write(y, sampleRate: rate, to: path)
        return path
    }

    func testLongFileCommandsStayUnderBound() throws {
        guard FileManager.default.isExecutableFile(atPath: PeakMemory.time) else {
            return XCTFail("\(PeakMemory.time) is missing: install GNU time (scripts/install-deps.sh does)")
        }
        let dir = try CLIRunner.temporaryDirectory(self)
        let wav = try longWAV(in: dir)
        // Measured on such a file: before streaming 337 MB for both (the decoded signal at
        // 44100 Hz, its resampled copy, then the features); streamed 67 and 99 MB.
        let bound = 200 << 20
        let runs: [(String, [String])] = [
            ("spectrogram --kind db-mel", ["spectrogram", wav, "--kind", "db-mel", "--out", dir.appendingPathComponent("mel.h5").path]),
            ("features --segment 30", ["features", wav, "--segment", "30", "--jobs", "1", "--out", dir.appendingPathComponent("f.csv").path]),
        ]
        for (name, args) in runs {
            let run = try PeakMemory.run(args, in: dir)
            XCTAssertEqual(run.status, 0, name)
            XCTAssertLessThan(run.peakBytes, bound, "\(name): peak RSS \(run.peakBytes >> 20) MB")
        }
    }
}
