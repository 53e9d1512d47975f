import Foundation
import XCTest
@testable import Audio

/// Every bad input gives the right typed, one-line error naming the file, never a crash.
final class AudioErrorTests: XCTestCase {
    private var dir: URL!

    override func setUpWithError() throws {
        dir = try AudioTestSupport.temporaryDirectory(self)
    }

    private func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    private func goodWAV(_ name: String = "good.wav", format: AudioWriteFormat = .wav16) throws -> String {
        let p = path(name)
        try AudioFile.write(AudioTestSupport.sine(frequency: 440, sampleRate: 8000, seconds: 1), sampleRate: 8000,
                            to: p, format: format)
        return p
    }

    /// Copies the first `keep(size)` bytes of `source` to `name`.
    private func truncatedCopy(of source: String, to name: String, keep: (Int) -> Int) throws -> String {
        let data = try Data(contentsOf: URL(fileURLWithPath: source))
        let p = path(name)
        try data.prefix(keep(data.count)).write(to: URL(fileURLWithPath: p))
        return p
    }

    /// Loading, reading the header and measuring all fail the same way.
    private func assertAllFail(_ p: String, line: UInt = #line, _ matches: @escaping (AudioError) -> Bool) {
        AudioTestSupport.assertThrows(p, line: line, { _ = try AudioFile.load(p) }, matches: matches)
        AudioTestSupport.assertThrows(p, line: line, { _ = try AudioStatistics.measure(p) }, matches: matches)
    }

    func testMissingFile() {
        let p = path("missing.wav")
        assertAllFail(p) { $0 == .fileNotFound(path: p) }
        AudioTestSupport.assertThrows(p, { _ = try AudioFile.info(p) }) { $0 == .fileNotFound(path: p) }
    }

    func testEmptyFile() throws {
        let p = path("empty.wav")
        _ = FileManager.default.createFile(atPath: p, contents: Data())
        assertAllFail(p) { if case .unsupportedFormat = $0 { return true } else { return false } }
    }

    func testRandomBytesNamedWAV() throws {
        let p = path("random.wav")
        var generator = SystemRandomNumberGenerator()
        let bytes = (0 ..< 4096).map { _ in UInt8.random(in: 0 ... 255, using: &generator) }
        // Make sure it does not start like a real header by chance.
        _ = FileManager.default.createFile(atPath: p, contents: Data([0x00, 0x01] + bytes))
        assertAllFail(p) { if case .unsupportedFormat = $0 { return true } else { return false } }
        AudioTestSupport.assertThrows(p, { _ = try AudioFile.info(p) }) {
            if case .unsupportedFormat = $0 { return true } else { return false }
        }
    }

    func testDirectory() {
        let p = dir.path
        AudioTestSupport.assertThrows(p, { _ = try AudioFile.load(p) }) {
            if case .unreadable = $0 { return true } else { return false }
        }
    }

    /// A WAV cut in the middle of its data: the frames present are loaded (soundfile's count:
    /// libsndfile shortens the data chunk to the bytes present), with a warning.
    func testTruncatedWAVData() throws {
        let p = try truncatedCopy(of: try goodWAV(), to: "truncated.wav") { $0 / 2 }
        // 44-byte header + 8000 frames of 2 bytes = 16044 bytes; half is 8022: 3989 whole frames.
        XCTAssertEqual(try AudioFile.info(p).frames, 3989)
        XCTAssertEqual(try AudioFile.load(p, sampleRate: nil).samples.count, 3989)
        XCTAssertEqual(try AudioStatistics.measure(p).decodedFrames, 3989)
    }

    /// A WAV cut inside its header.
    func testTruncatedWAVHeader() throws {
        let p = try truncatedCopy(of: try goodWAV(), to: "header.wav") { _ in 30 }
        assertAllFail(p) { if case .corrupt = $0 { return true } else { return false } }
    }

    /// A FLAC cut in the middle: libsndfile's decoder loses sync before its first frame, so
    /// nothing decodes and the file is refused (soundfile refuses it with the same message).
    func testTruncatedFLAC() throws {
        let p = try truncatedCopy(of: try goodWAV("good.flac", format: .flac16), to: "truncated.flac") { $0 / 2 }
        assertAllFail(p) { if case .corrupt = $0 { return true } else { return false } }
    }

    /// A FLAC whose STREAMINFO claims 2^35 frames: no giant allocation; the 8000 frames that decode are loaded.
    func testFLACHeaderClaimingHugeLength() throws {
        var data = try Data(contentsOf: URL(fileURLWithPath: try goodWAV("good.flac", format: .flac16)))
        XCTAssertEqual(Array(data.prefix(4)), Array("fLaC".utf8))
        // STREAMINFO starts at byte 8; the 36-bit total-samples field begins in the low nibble of byte 21.
        data[21] = (data[21] & 0xF0) | 0x8
        let p = path("huge.flac")
        try data.write(to: URL(fileURLWithPath: p))
        XCTAssertGreaterThan(try AudioFile.info(p).frames ?? 0, 1 << 34)
        XCTAssertEqual(try AudioFile.load(p, sampleRate: nil).samples.count, 8000)
        XCTAssertEqual(try AudioFile.load(p, sampleRate: nil, mono: false).samples.count, 8000)
        XCTAssertEqual(try AudioStatistics.measure(p).decodedFrames, 8000)
    }

    func testZeroSamples() throws {
        let p = path("zero.wav")
        try AudioFile.write([], sampleRate: 8000, to: p)
        XCTAssertEqual(try AudioFile.info(p).frames, 0)
        assertAllFail(p) { if case .noSamples = $0 { return true } else { return false } }
    }

    func testOffsetPastTheEnd() throws {
        let p = try goodWAV()
        AudioTestSupport.assertThrows(p, { _ = try AudioFile.load(p, offset: 1.0) }) {
            if case .noSamples = $0 { return true } else { return false }
        }
        AudioTestSupport.assertThrows(p, { _ = try AudioFile.load(p, duration: 0.00001) }) {
            if case .noSamples = $0 { return true } else { return false }
        }
    }

    func testNaNAndInfSamplesInFloatWAV() throws {
        for (name, bad) in [("nan.wav", Float.nan), ("inf.wav", -Float.infinity)] {
            var x = AudioTestSupport.sine(frequency: 440, sampleRate: 8000, seconds: 0.5)
            x[1234] = bad
            let p = path(name)
            try AudioFile.write(AudioTestSupport.interleave([x, x]), sampleRate: 8000, channels: 2, to: p, format: .wavFloat)
            assertAllFail(p) { $0 == .nonFiniteSample(path: p, frame: 1234, channel: 0) }
            // A window that avoids the bad sample loads fine.
            XCTAssertEqual(try AudioFile.load(p, sampleRate: nil, duration: 0.1).frameCount, 800)
        }
    }

    func testBadParameters() throws {
        let p = try goodWAV()
        let invalid: (AudioError) -> Bool = { if case .invalidParameter(p, _) = $0 { return true } else { return false } }
        AudioTestSupport.assertThrows(p, { _ = try AudioFile.load(p, offset: -1) }, matches: invalid)
        AudioTestSupport.assertThrows(p, { _ = try AudioFile.load(p, offset: .nan) }, matches: invalid)
        AudioTestSupport.assertThrows(p, { _ = try AudioFile.load(p, duration: -0.5) }, matches: invalid)
        AudioTestSupport.assertThrows(p, { _ = try AudioFile.load(p, sampleRate: 0) }, matches: invalid)
        AudioTestSupport.assertThrows(p, { _ = try AudioFile.load(p, sampleRate: Int.max) }, matches: invalid)
        // Absurd windows are handled without overflow: past the end, or clamped to the end.
        AudioTestSupport.assertThrows(p, { _ = try AudioFile.load(p, offset: 1e300) }) {
            if case .noSamples = $0 { return true } else { return false }
        }
        XCTAssertEqual(try AudioFile.load(p, sampleRate: nil, duration: 1e300).frameCount, 8000)
        XCTAssertThrowsError(try Resampler.resample([1, 2, 3], from: 1e-300, to: 22050))
        XCTAssertThrowsError(try Resampler.resample([1, 2, 3], from: 0, to: 22050)) {
            guard case .invalidParameter(nil, _) = $0 as? AudioError else { return XCTFail("\($0)") }
        }
    }
}
