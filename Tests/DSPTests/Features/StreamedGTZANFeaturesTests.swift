@testable import DSP
import XCTest

/// The streamed whole-file row (`compute(reading:)`, what `melcnn features` runs without
/// `--segment`) is the in-memory row bit for bit: same float operations in the same order.
final class StreamedGTZANFeaturesTests: XCTestCase {
    func assertSameRow(_ y: [Float], sizes: [Int], _ what: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let expected = try GTZANFeatures.compute(y)
        let (row, samples) = try GTZANFeatures.compute(reading: blockReader(y, sizes: sizes))
        XCTAssertEqual(samples, y.count, what, file: file, line: line)
        XCTAssertEqual(row.count, expected.count, what, file: file, line: line)
        for (i, name) in GTZANFeatures.columns.enumerated() where row[i].bitPattern != expected[i].bitPattern {
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
    }

    func testEmptySignalThrows() {
        XCTAssertThrowsError(try GTZANFeatures.compute(reading: blockReader([], sizes: [10])))
    }
}
