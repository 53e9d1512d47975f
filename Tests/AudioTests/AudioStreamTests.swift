import Foundation
import XCTest
@testable import Audio

/// `AudioFile.stream` delivers `AudioFile.load`'s samples bit for bit, in bounded blocks, and
/// refuses headers with implausibly low sample rates.
final class AudioStreamTests: XCTestCase {
    private var dir: URL!

    override func setUpWithError() throws { dir = try AudioTestSupport.temporaryDirectory(self) }

    private func collect(_ path: String, sampleRate: Int?) throws -> (samples: [Float], summary: AudioFile.StreamSummary, largest: Int) {
        var out: [Float] = [], largest = 0
        let summary = try AudioFile.stream(path, sampleRate: sampleRate) { block in
            XCTAssertFalse(block.isEmpty)
            largest = max(largest, block.count)
            out.append(contentsOf: block)
        }
        return (out, summary, largest)
    }

    func testStereo44100StreamEqualsLoad() throws {
        let left = AudioTestSupport.sine(frequency: 440, sampleRate: 44100, seconds: 7.3, amplitude: 0.6)
        let right = AudioTestSupport.sine(frequency: 1234, sampleRate: 44100, seconds: 7.3, amplitude: 0.3, phase: 1)
        let path = dir.appendingPathComponent("stereo.wav").path
        try AudioFile.write(AudioTestSupport.interleave([left, right]), sampleRate: 44100, channels: 2, to: path)
        for rate in [22050, 16000, 44100] as [Int?] + [nil] {
            let loaded = try AudioFile.load(path, sampleRate: rate).samples
            let (streamed, summary, largest) = try collect(path, sampleRate: rate)
            XCTAssertEqual(streamed.count, loaded.count, "rate \(String(describing: rate))")
            XCTAssertTrue(streamed == loaded, "rate \(String(describing: rate)): samples differ")
            XCTAssertEqual(summary, AudioFile.StreamSummary(nativeRate: 44100, decodedFrames: left.count, samples: loaded.count))
            XCTAssertLessThan(largest, 4 * SoundFile.blockFrames, "blocks stay bounded")
        }
    }

    func testThreeChannelFloatUpsampledStreamEqualsLoad() throws {
        let a = AudioTestSupport.sine(frequency: 300, sampleRate: 8000, seconds: 3.01)
        let b = AudioTestSupport.sine(frequency: 900, sampleRate: 8000, seconds: 3.01, phase: 2)
        let c = (0 ..< a.count).map { Float($0 % 77) / 200 - 0.2 }
        let path = dir.appendingPathComponent("three.wav").path
        try AudioFile.write(AudioTestSupport.interleave([a, b, c]), sampleRate: 8000, channels: 3, to: path, format: .wavFloat)
        let loaded = try AudioFile.load(path).samples
        XCTAssertTrue(try collect(path, sampleRate: 22050).samples == loaded)
    }

    func testConsumerErrorsPassThrough() throws {
        struct Stop: Error {}
        let path = dir.appendingPathComponent("tone.wav").path
        try AudioFile.write(AudioTestSupport.sine(frequency: 440, sampleRate: 22050, seconds: 1), sampleRate: 22050, to: path)
        XCTAssertThrowsError(try AudioFile.stream(path) { _ in throw Stop() }) { XCTAssertTrue($0 is Stop, "\($0)") }
    }

    /// A 44 KB WAV whose header claims 1 Hz would be 6 hours at 22050 Hz: refused with one
    /// line naming the file, by `load` and `stream`; its native rate is still readable.
    func testImplausiblyLowHeaderRateIsRefused() throws {
        let path = dir.appendingPathComponent("one-hertz.wav").path
        try AudioFile.write([Float](repeating: 0.1, count: 22050), sampleRate: 1, to: path)
        for attempt in [{ _ = try AudioFile.load(path) }, { try AudioFile.stream(path) { _ in XCTFail("no samples expected") } }] {
            XCTAssertThrowsError(try attempt()) { error in
                let text = "\(error)"
                XCTAssertTrue(text.hasPrefix(path + ": "), text)
                XCTAssertTrue(text.contains("1 Hz"), text)
                XCTAssertFalse(text.contains("\n"))
            }
        }
        XCTAssertEqual(try AudioFile.load(path, sampleRate: nil).samples.count, 22050)
        let ok = dir.appendingPathComponent("low-but-plausible.wav").path
        try AudioFile.write([Float](repeating: 0.1, count: 2000), sampleRate: AudioFile.minimumSourceRate, to: ok)
        XCTAssertEqual(try AudioFile.load(ok).samples.count, 2000 * 22050 / AudioFile.minimumSourceRate)
    }
}

/// Damaged files: `stream` decides where the data ends exactly as `load` does.
final class AudioStreamDamageTests: XCTestCase {
    func testTruncatedFilesFailOrDecodeAlikeInLoadAndStream() throws {
        let dir = try AudioTestSupport.temporaryDirectory(self)
        let y = AudioTestSupport.sine(frequency: 440, sampleRate: 44100, seconds: 3)
        for (name, format) in [("t.flac", AudioWriteFormat.flac16), ("t.wav", .wav16), ("t.ogg", .oggVorbis)] {
            let whole = dir.appendingPathComponent("whole-" + name).path
            try AudioFile.write(y, sampleRate: 44100, to: whole, format: format)
            let bytes = try Data(contentsOf: URL(fileURLWithPath: whole))
            let cut = dir.appendingPathComponent(name).path
            try bytes.prefix(bytes.count * 6 / 10).write(to: URL(fileURLWithPath: cut))
            var streamed: [Float] = []
            let loaded = Result { try AudioFile.load(cut).samples }
            let streamResult = Result { try AudioFile.stream(cut) { streamed.append(contentsOf: $0) } }
            switch (loaded, streamResult) {
            case let (.success(samples), .success):
                XCTAssertTrue(samples == streamed, "\(name): samples differ")
            case let (.failure(a), .failure(b)):
                XCTAssertEqual("\(a)", "\(b)", name)
            default:
                XCTFail("\(name): load \(loaded), stream \(streamResult)")
            }
        }
    }
}
