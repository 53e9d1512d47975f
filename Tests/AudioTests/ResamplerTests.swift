import Foundation
import TestSupport
import XCTest
@testable import Audio

/// Resampling keeps a sine's frequency and amplitude, follows librosa's length rule, and
/// matches `librosa.load` on the committed fixture.
final class ResamplerTests: XCTestCase {
    private func checkSine(from source: Int, to target: Int, frequency: Double, line: UInt = #line) throws {
        let x = AudioTestSupport.sine(frequency: frequency, sampleRate: source, seconds: 1, amplitude: 0.5)
        let y = try Resampler.resample(x, from: Double(source), to: Double(target))
        XCTAssertEqual(y.count, Int((Double(x.count) * Double(target) / Double(source)).rounded(.up)), line: line)
        let middle = y[y.count / 4 ..< 3 * y.count / 4]
        let candidates = stride(from: 100.0, to: Double(target) / 2 - 100, by: 100).map { $0 } + [frequency]
        XCTAssertEqual(AudioTestSupport.peakFrequency(of: middle, candidates: candidates, sampleRate: target),
                       frequency, line: line)
        XCTAssertEqual(AudioTestSupport.amplitude(of: middle, at: frequency, sampleRate: target), 0.5, accuracy: 0.005, line: line)
        // Nothing leaks to other frequencies (soxr HQ stop-band is far below this).
        XCTAssertLessThan(AudioTestSupport.amplitude(of: middle, at: frequency * 1.5, sampleRate: target), 1e-3, line: line)
    }

    func testDownsample44100To22050KeepsSine() throws {
        try checkSine(from: 44100, to: 22050, frequency: 1000)
        try checkSine(from: 44100, to: 22050, frequency: 5512.5)
    }

    func testDownsample22050To16000KeepsSine() throws {
        try checkSine(from: 22050, to: 16000, frequency: 440)
        try checkSine(from: 22050, to: 16000, frequency: 3000)
    }

    func testUpsample() throws {
        try checkSine(from: 16000, to: 44100, frequency: 1234)
    }

    /// Content above the new Nyquist frequency is removed, not aliased.
    func testAntiAliasing() throws {
        let x = AudioTestSupport.sine(frequency: 15000, sampleRate: 44100, seconds: 1)
        let y = try Resampler.resample(x, from: 44100, to: 22050)
        // 15 kHz would alias to 7050 Hz.
        XCTAssertLessThan(AudioTestSupport.amplitude(of: y[5000 ..< 17000], at: 7050, sampleRate: 22050), 1e-4)
    }

    func testLengthRuleAndIdentity() throws {
        for n in [0, 1, 2, 3, 7, 100, 44101] {
            let x = [Float](repeating: 0.25, count: n)
            XCTAssertEqual(try Resampler.resample(x, from: 44100, to: 22050).count, (n + 1) / 2)
            XCTAssertEqual(try Resampler.resample(x, from: 22050, to: 16000).count,
                           Int((Double(n) * 16000 / 22050).rounded(.up)))
        }
        let x: [Float] = [0.1, 0.2, 0.3]
        XCTAssertEqual(try Resampler.resample(x, from: 8000, to: 8000), x)
    }

    func testLoadResamplesEveryChannel() throws {
        let dir = try AudioTestSupport.temporaryDirectory(self)
        let path = dir.appendingPathComponent("s.wav").path
        let a = AudioTestSupport.sine(frequency: 500, sampleRate: 44100, seconds: 0.5)
        let b = AudioTestSupport.sine(frequency: 2000, sampleRate: 44100, seconds: 0.5, amplitude: 0.2)
        try AudioFile.write(AudioTestSupport.interleave([a, b]), sampleRate: 44100, channels: 2, to: path, format: .wavFloat)
        let stereo = try AudioFile.load(path, mono: false)
        XCTAssertEqual(stereo.sampleRate, 22050)
        XCTAssertEqual(Array(stereo.channel(0)), try Resampler.resample(a, from: 44100, to: 22050))
        XCTAssertEqual(Array(stereo.channel(1)), try Resampler.resample(b, from: 44100, to: 22050))
        let mono = try AudioFile.load(path)
        XCTAssertEqual(mono.samples, try Resampler.resample(zip(a, b).map { ($0 + $1) / 2 }, from: 44100, to: 22050))
    }

    // MARK: parity with librosa.load (Tests/Fixtures/generate_audio_fixtures.py)

    private static let fixtures = Repository.fixtures.appendingPathComponent("audio")

    private func readF32(_ name: String) throws -> [Float] {
        let data = try Data(contentsOf: Self.fixtures.appendingPathComponent(name + ".f32"))
        return data.withUnsafeBytes { raw in
            (0 ..< data.count / 4).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * $0, as: UInt32.self))) }
        }
    }

    func testParityWithLibrosaLoad() throws {
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: Self.fixtures.appendingPathComponent("cases.json"))) as! [String: Any]
        let input = Self.fixtures.appendingPathComponent(manifest["input"] as! String).path
        let cases = manifest["cases"] as! [[String: Any]]
        XCTAssertEqual(cases.count, 3)
        for c in cases {
            let name = c["name"] as! String
            let expected = try readF32(name)
            let signal = try AudioFile.load(input, sampleRate: c["sr"] as? Int, mono: c["mono"] as! Bool,
                                            offset: c["offset"] as! Double, duration: c["duration"] as? Double)
            XCTAssertEqual(signal.sampleRate, c["out_sr"] as! Int, name)
            XCTAssertEqual(signal.channelCount, c["channels"] as! Int, name)
            XCTAssertEqual(signal.frameCount, c["frames"] as! Int, name)
            let error = AudioTestSupport.maxAbsDifference(signal.samples, expected)
            print("parity \(name): max |melcnn - librosa.load| = \(error)")
            XCTAssertLessThanOrEqual(error, c["sr"] is NSNull ? 0 : 1e-4, name)
        }
    }
}
