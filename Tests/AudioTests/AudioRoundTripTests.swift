import Foundation
import XCTest
@testable import Audio

/// Write → read round trips for every format libsndfile writes here.
final class AudioRoundTripTests: XCTestCase {
    private func stereo(sampleRate: Int, seconds: Double = 0.5) -> (left: [Float], right: [Float]) {
        (AudioTestSupport.sine(frequency: 440, sampleRate: sampleRate, seconds: seconds, amplitude: 0.5),
         AudioTestSupport.sine(frequency: 1000, sampleRate: sampleRate, seconds: seconds, amplitude: 0.25))
    }

    /// Lossless formats: same frames, samples equal up to the encoding's quantisation step.
    func testLosslessRoundTrips() throws {
        let dir = try AudioTestSupport.temporaryDirectory(self)
        let cases: [(AudioWriteFormat, String, String, Float)] = [
            (.wav16, "wav", "PCM_16", 1.0 / 32768),
            (.wav24, "wav", "PCM_24", 1.0 / 8_388_608),
            (.wavFloat, "wav", "FLOAT", 0),
            (AudioWriteFormat(.wav, .pcmU8), "wav", "PCM_U8", 1.0 / 128),
            (AudioWriteFormat(.wav, .pcm32), "wav", "PCM_32", 1e-7),
            (AudioWriteFormat(.wav, .float64), "wav", "DOUBLE", 0),
            (.aiff16, "aiff", "PCM_16", 1.0 / 32768),
            (AudioWriteFormat(.aiff, .pcm24), "aiff", "PCM_24", 1.0 / 8_388_608),
            (.flac16, "flac", "PCM_16", 1.0 / 32768),
            (.flac24, "flac", "PCM_24", 1.0 / 8_388_608),
            (AudioWriteFormat(.caf, .pcm16), "caf", "PCM_16", 1.0 / 32768),
            (AudioWriteFormat(.w64, .float32), "w64", "FLOAT", 0),
        ]
        let (left, right) = stereo(sampleRate: 44100)
        let interleaved = AudioTestSupport.interleave([left, right])
        for (format, ext, subtype, step) in cases {
            let path = dir.appendingPathComponent("rt-\(subtype).\(ext)").path
            try AudioFile.write(interleaved, sampleRate: 44100, channels: 2, to: path, format: format)
            let info = try AudioFile.info(path)
            XCTAssertEqual(info.format, format.container.rawValue, "\(format)")
            XCTAssertEqual(info.subtype, subtype, "\(format)")
            XCTAssertEqual(info.sampleRate, 44100)
            XCTAssertEqual(info.channels, 2)
            XCTAssertEqual(info.frames, left.count, "\(format)")
            let signal = try AudioFile.load(path, sampleRate: nil, mono: false)
            XCTAssertEqual(signal.channelCount, 2)
            XCTAssertEqual(signal.frameCount, left.count, "\(format)")
            XCTAssertLessThanOrEqual(AudioTestSupport.maxAbsDifference(signal.channel(0), left), step, "\(format)")
            XCTAssertLessThanOrEqual(AudioTestSupport.maxAbsDifference(signal.channel(1), right), step, "\(format)")
            XCTAssertEqual(signal.interleaved.count, interleaved.count)
        }
    }

    /// Lossy codecs: the tones survive at the right frequency and roughly the right level.
    func testLossyRoundTrips() throws {
        let dir = try AudioTestSupport.temporaryDirectory(self)
        let cases: [(AudioWriteFormat, String, Int)] = [
            (.oggVorbis, "ogg", 44100),
            (.oggOpus, "opus", 48000),
            (.mp3, "mp3", 44100),
        ]
        for (format, ext, rate) in cases {
            let (left, right) = stereo(sampleRate: rate, seconds: 1.0)
            let path = dir.appendingPathComponent("lossy.\(ext)").path
            try AudioFile.write(AudioTestSupport.interleave([left, right]), sampleRate: rate, channels: 2,
                                to: path, format: format)
            let info = try AudioFile.info(path)
            XCTAssertEqual(info.format, format.container.rawValue)
            XCTAssertEqual(info.subtype, format.encoding.rawValue)
            let signal = try AudioFile.load(path, sampleRate: nil, mono: false)
            XCTAssertEqual(signal.sampleRate, rate)
            XCTAssertEqual(signal.channelCount, 2)
            XCTAssertEqual(Double(signal.frameCount), Double(left.count), accuracy: 0.1 * Double(left.count), "\(format)")
            let middle = signal.frameCount / 4 ..< 3 * signal.frameCount / 4
            for (c, (tone, level)) in [(440.0, 0.5), (1000.0, 0.25)].enumerated() {
                let channel = signal.channel(c)
                let slice = channel[channel.startIndex + middle.lowerBound ..< channel.startIndex + middle.upperBound]
                XCTAssertEqual(AudioTestSupport.amplitude(of: slice, at: tone, sampleRate: rate), level,
                               accuracy: 0.1 * level, "\(format) channel \(c)")
            }
        }
    }

    /// Writing is atomic: no temporary file stays behind, and an existing file is replaced whole.
    func testWriteIsAtomicAndReplaces() throws {
        let dir = try AudioTestSupport.temporaryDirectory(self)
        let path = dir.appendingPathComponent("a.wav").path
        try AudioFile.write([Float](repeating: 0.1, count: 1000), sampleRate: 8000, to: path)
        try AudioFile.write([Float](repeating: 0.2, count: 500), sampleRate: 8000, to: path)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), ["a.wav"])
        let signal = try AudioFile.load(path, sampleRate: nil)
        XCTAssertEqual(signal.frameCount, 500)
        XCTAssertEqual(signal.samples[0], 0.2, accuracy: 1.0 / 32768)
    }

    /// Integer encodings clip out-of-range samples instead of wrapping around.
    func testIntegerWritesClip() throws {
        let dir = try AudioTestSupport.temporaryDirectory(self)
        let path = dir.appendingPathComponent("clip.wav").path
        try AudioFile.write([1.5, -1.5, 0.5], sampleRate: 8000, to: path)
        let y = try AudioFile.load(path, sampleRate: nil).samples
        XCTAssertGreaterThan(y[0], 0.99)
        XCTAssertLessThan(y[1], -0.99)
        XCTAssertEqual(y[2], 0.5, accuracy: 1.0 / 32768)
    }

    func testWriteRejectsBadParameters() throws {
        let dir = try AudioTestSupport.temporaryDirectory(self)
        let path = dir.appendingPathComponent("bad.wav").path
        AudioTestSupport.assertThrows(path, { try AudioFile.write([0, 0, 0], sampleRate: 8000, channels: 2, to: path) }) {
            if case .invalidParameter = $0 { return true } else { return false }
        }
        AudioTestSupport.assertThrows(path, { try AudioFile.write([0], sampleRate: 0, to: path) }) {
            if case .invalidParameter = $0 { return true } else { return false }
        }
        AudioTestSupport.assertThrows(path, { try AudioFile.write([.nan], sampleRate: 8000, to: path) }) {
            if case .invalidParameter = $0 { return true } else { return false }
        }
        // Opus only supports a few rates.
        AudioTestSupport.assertThrows(path, { try AudioFile.write([0], sampleRate: 44100, to: path, format: .oggOpus) }) {
            if case .invalidParameter = $0 { return true } else { return false }
        }
        let missingDir = dir.appendingPathComponent("no/such/dir/x.wav").path
        AudioTestSupport.assertThrows(missingDir, { try AudioFile.write([0], sampleRate: 8000, to: missingDir) }) {
            if case .writeFailed = $0 { return true } else { return false }
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: path))
    }
}
