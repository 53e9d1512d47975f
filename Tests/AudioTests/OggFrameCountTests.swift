import Foundation
import XCTest
@testable import Audio

/// An Ogg stream's header frame count is an estimate (the last page's granule position): the
/// frames decoded are what count, as in soundfile. A granule claiming more than decodes was
/// refused as "data ends after N of M frames"; a cut stream reported 2^63-1 frames.
final class OggFrameCountTests: XCTestCase {
    private var dir: URL!

    override func setUpWithError() throws {
        dir = try AudioTestSupport.temporaryDirectory(self)
    }

    private func oggFile(_ name: String, format: AudioWriteFormat) throws -> (path: String, data: Data) {
        let p = dir.appendingPathComponent(name).path
        let tone = AudioTestSupport.sine(frequency: 440, sampleRate: 48000, seconds: 3)
        try AudioFile.write(tone, sampleRate: 48000, to: p, format: format)
        return (p, try Data(contentsOf: URL(fileURLWithPath: p)))
    }

    /// Ogg/Vorbis whose last page claims 5000 more samples than it holds (CRC fixed): loads
    /// all decoded frames, like soundfile, without an error. (libvorbis then no longer trims the
    /// last block's padding, so a few hundred more frames decode than before, but fewer than claimed.)
    func testGranuleBeyondTheDataLoadsEveryDecodedFrame() throws {
        var (path, data) = try oggFile("long-granule.ogg", format: .oggVorbis)
        let decoded = try AudioFile.load(path, sampleRate: nil).samples.count
        try OggPage.addToLastGranule(&data, 5000)
        try data.write(to: URL(fileURLWithPath: path))
        XCTAssertEqual(try AudioFile.info(path).frames, decoded + 5000, "the header now claims more")
        let loaded = try AudioFile.load(path, sampleRate: nil).samples.count
        XCTAssertGreaterThanOrEqual(loaded, decoded)
        XCTAssertLessThan(loaded, decoded + 5000)
        XCTAssertEqual(try AudioFile.load(path, sampleRate: nil, mono: false).samples.count, loaded)
        XCTAssertEqual(try AudioStatistics.measure(path).decodedFrames, loaded)
    }

    /// A cut Opus stream: libsndfile 1.2.0 reports the `SF_COUNT_MAX` sentinel, which must not
    /// be taken for a frame count; the frames that decode are loaded.
    func testCutOpusHasNoSentinelFrameCount() throws {
        let (path, data) = try oggFile("whole.opus", format: .oggOpus)
        let cut = dir.appendingPathComponent("cut.opus").path
        try data.prefix(data.count * 2 / 3).write(to: URL(fileURLWithPath: cut))
        let info = try AudioFile.info(cut)
        XCTAssertNotEqual(info.frames, Int(Int64.max))
        let loaded = try AudioFile.load(cut, sampleRate: nil).samples.count
        XCTAssertGreaterThan(loaded, 0)
        XCTAssertLessThan(loaded, try AudioFile.load(path, sampleRate: nil).samples.count)
        XCTAssertEqual(try AudioStatistics.measure(cut).decodedFrames, loaded)
    }
}

/// Editing Ogg pages (RFC 3533): the granule position and the page CRC.
enum OggPage {
    /// Adds `delta` to the granule position of the last page and recomputes its checksum.
    static func addToLastGranule(_ data: inout Data, _ delta: Int64) throws {
        let bytes = [UInt8](data)
        guard let start = (0 ... bytes.count - 27).last(where: { bytes[$0 ..< $0 + 4] == [0x4F, 0x67, 0x67, 0x53][...] }) else {
            throw CocoaError(.fileReadCorruptFile)
        }
        var page = Array(bytes[start...])
        var granule: Int64 = 0
        for k in 0 ..< 8 { granule |= Int64(page[6 + k]) << (8 * k) }
        granule += delta
        for k in 0 ..< 8 { page[6 + k] = UInt8(truncatingIfNeeded: granule >> (8 * k)) }
        for k in 22 ..< 26 { page[k] = 0 }
        let crc = checksum(page)
        for k in 0 ..< 4 { page[22 + k] = UInt8(truncatingIfNeeded: crc >> (8 * k)) }
        data = Data(bytes[..<start] + page)
    }

    /// Ogg's CRC-32: polynomial 0x04C11DB7, not reflected, initial value 0 (RFC 3533 section 6).
    static func checksum(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0
        for byte in bytes {
            crc ^= UInt32(byte) << 24
            for _ in 0 ..< 8 { crc = crc & 0x8000_0000 != 0 ? (crc << 1) ^ 0x04C1_1DB7 : crc << 1 }
        }
        return crc
    }
}
