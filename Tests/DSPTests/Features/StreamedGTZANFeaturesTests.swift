import Audio
@testable import DSP
import Foundation
import XCTest

/// The streamed whole-file row (`compute(reading:)`, what `melcnn features` runs without
/// `--segment`, with and without `--all`) is the in-memory row: bit for bit (same float
/// operations in the same order) for every column but the MFCCs, which agree within 1e-6
/// relative (measured: about 3e-8; their skewness and kurtosis within 1e-5 absolute).
/// The MFCCs are one OpenBLAS sgemm (the DCT) per call, and OpenBLAS splits the rows of a
/// product into blocks and threads by its size, so the products of runs of 256 frames round
/// some values differently from the product of the whole matrix.
final class StreamedGTZANFeaturesTests: XCTestCase {
    func assertSameRow(_ y: [Float], sizes: [Int], _ what: String, extended: Bool = false,
                       file: StaticString = #filePath, line: UInt = #line) throws {
        let expected: [Double]
        do { expected = try GTZANFeatures.compute(y, extended: extended) } catch {
            // What the in-memory row refuses (a signal too short for the CQT), the streamed one refuses too.
            XCTAssertThrowsError(try GTZANFeatures.compute(reading: blockReader(y, sizes: sizes), extended: extended),
                                 "\(what): in memory: \(error)", file: file, line: line)
            return
        }
        let (row, samples) = try GTZANFeatures.compute(reading: blockReader(y, sizes: sizes), extended: extended)
        XCTAssertEqual(samples, y.count, what, file: file, line: line)
        XCTAssertEqual(row.count, expected.count, what, file: file, line: line)
        let names = GTZANFeatures.columns + (extended ? GTZANFeatures.extendedColumns : [])
        for (i, name) in names.enumerated() where row[i].bitPattern != expected[i].bitPattern {
            let relative = abs(row[i] - expected[i]) / max(abs(expected[i]), 1e-300)
            if name.hasPrefix("mfcc") && relative <= 1e-6 { continue }
            // Skewness and kurtosis (near 0) carry those roundings as absolute differences (measured <= 6e-7).
            if name.hasPrefix("mfcc") && (name.hasSuffix("_skew") || name.hasSuffix("_kurtosis"))
                && abs(row[i] - expected[i]) <= 1e-5 { continue }
            XCTFail("\(what) \(name): streamed \(row[i]) vs in memory \(expected[i])", file: file, line: line)
        }
    }

    func testFixtureSongRowIsBitIdentical() throws {
        let y = try FeatureFixture("gtzan30").audio()
        try assertSameRow(y, sizes: [65536], "gtzan30 in 64 k blocks")
        try assertSameRow(y, sizes: [1, 4095, 30011, 777], "gtzan30 in odd blocks")
    }

    func testLengthsAroundRunsAndShortSignalsAreBitIdentical() throws {
        // Shorter than one frame's padding, a few frames (median reflect wraps), around the
        // 256-frame runs of StreamingFrames, and a longer one with several runs.
        for n in [1, 100, 3000, 4096, 9000, 256 * 512 - 1, 256 * 512 + 1, 300_001] {
            try assertSameRow(toneAndClicks(n), sizes: [5000, 123], "\(n) samples")
        }
    }

    func testSilenceIsBitIdentical() throws {
        try assertSameRow([Float](repeating: 0, count: 50_000), sizes: [8192], "silence")
        try assertSameRow([Float](repeating: 0, count: 50_000), sizes: [8192], "silence, --all", extended: true)
    }

    /// `--all` (contrast, flatness, onset rate, beat count, chroma CQT, tonnetz, skewness and
    /// kurtosis of every series): the same numbers, also across runs and for short signals.
    func testExtendedRowIsBitIdentical() throws {
        let y = try FeatureFixture("gtzan30").audio()
        try assertSameRow(y, sizes: [1, 4095, 30011, 777], "gtzan30 in odd blocks, --all", extended: true)
        // Shorter than one CQT hop, a few frames, around the 256-frame runs of StreamingFrames
        // and the resamplers' 96 000-sample input blocks.
        for n in [1, 2, 511, 3000, 9000, 96_000, 96_001, 256 * 512 + 1, 300_001] {
            try assertSameRow(toneAndClicks(n), sizes: [5000, 123], "\(n) samples, --all", extended: true)
        }
    }

    func testRealMusicIsBitIdentical() throws {
        let path = "/usr/share/games/frozen-bubble/snd/frozen-mainzik-1p.ogg"
        guard FileManager.default.fileExists(atPath: path) else { throw XCTSkip("frozen-bubble-data is not installed") }
        let y = try Array(AudioFile.load(path, sampleRate: 22050).samples.prefix(90 * 22050))
        try assertSameRow(y, sizes: [44100, 4097], "frozen-mainzik-1p, first 90 s, --all", extended: true)
    }

    func testEmptySignalThrows() {
        XCTAssertThrowsError(try GTZANFeatures.compute(reading: blockReader([], sizes: [10])))
    }
}
