import Audio
import DSP
import Foundation
@testable import MelCNN
import XCTest

/// `FeatureTable` with segments streams the file: its rows are exactly those of the whole-file
/// path (load everything, cut `int(seconds * sr)`-sample segments, compute each). A whole-file
/// `--all` row is streamed too and gives the in-memory row.
final class FeatureTableStreamingTests: XCTestCase {
    func testSegmentRowsEqualWholeFileRows() throws {
        let dir = try DataFixture.temporaryDirectory(self).appendingPathComponent("rock")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        // 31.7 s at 44100 Hz stereo: resampled, 3 segments of 10 s whose borders fall inside
        // decode and resampler blocks, and a dropped 1.7 s remainder.
        let n = Int(31.7 * 44100)
        var y = [Float](repeating: 0, count: 2 * n)
        for i in 0 ..< n {
            let t = Double(i) / 44100
            y[2 * i] = Float(0.3 * sin(2 * .pi * 220 * t) + (i % 22050 < 300 ? 0.5 * sin(Double(i)) : 0))
            y[2 * i + 1] = Float(0.2 * sin(2 * .pi * 330 * t * (1 + t / 40)))
        }
        let path = dir.appendingPathComponent("song.wav").path
        try AudioFile.write(y, sampleRate: 44100, channels: 2, to: path)

        let table = FeatureTable(options: .init(segmentSeconds: 10))
        let result = table.rows(for: path)
        XCTAssertNil(result.skipReason)
        let whole = try AudioFile.load(path).samples
        let length = 10 * 22050
        XCTAssertEqual(result.rows.count, whole.count / length)
        for (i, row) in result.rows.enumerated() {
            let segment = Array(whole[(i * length) ..< ((i + 1) * length)])
            let values = try GTZANFeatures.compute(segment).map { FeatureTable.format($0) }
            XCTAssertEqual(row, ["song.\(i).wav", String(length)] + values + ["rock"], "segment \(i)")
        }
    }

    func testWholeFileExtendedRowEqualsInMemoryRow() throws {
        // `features --all` without --segment: streamed, the in-memory row's CSV fields (the MFCC
        // columns within the tolerance of StreamedGTZANFeaturesTests).
        let dir = try DataFixture.temporaryDirectory(self).appendingPathComponent("jazz")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let n = Int(12.3 * 44100)
        let y = (0 ..< n).map { i -> Float in
            let t = Double(i) / 44100
            return Float(0.3 * sin(2 * .pi * 196 * t * (1 + t / 60)) + (i % 11025 < 200 ? 0.4 * sin(Double(i)) : 0))
        }
        let path = dir.appendingPathComponent("tune.wav").path
        try AudioFile.write(y, sampleRate: 44100, to: path)

        let table = FeatureTable(options: .init(extended: true))
        let result = table.rows(for: path)
        XCTAssertNil(result.skipReason)
        XCTAssertEqual(result.rows.count, 1)
        let whole = try AudioFile.load(path).samples
        let expected = try GTZANFeatures.compute(whole, extended: true)
        let row = try XCTUnwrap(result.rows.first)
        XCTAssertEqual(table.header.count, row.count)
        XCTAssertEqual(Array(row.prefix(2)), ["tune.wav", String(whole.count)])
        XCTAssertEqual(row.last, "jazz")
        for (i, name) in table.header.enumerated().dropFirst(2).dropLast() {
            let field = row[i], value = expected[i - 2]
            guard field != FeatureTable.format(value) else { continue }
            let moment = name.hasSuffix("_skew") || name.hasSuffix("_kurtosis")
            let error = abs(Double(field)! - value)
            XCTAssertTrue(name.hasPrefix("mfcc") && (moment ? error <= 1e-5 : error <= 1e-6 * abs(value)), "\(name): \(field) vs \(value)")
        }
    }

    func testFileShorterThanOneSegmentIsSkippedWithItsLength() throws {
        let dir = try DataFixture.temporaryDirectory(self)
        let path = dir.appendingPathComponent("short.wav").path
        try AudioFile.write([Float](repeating: 0.1, count: 22050), sampleRate: 22050, to: path)
        let result = FeatureTable(options: .init(segmentSeconds: 3)).rows(for: path)
        XCTAssertTrue(result.rows.isEmpty)
        XCTAssertEqual(result.skipReason, "shorter than one 3 s segment (1.00 s)")
    }
}
