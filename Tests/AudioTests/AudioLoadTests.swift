import Foundation
import XCTest
@testable import Audio

/// `AudioFile.load`: downmix, channel layout, offset/duration windows.
final class AudioLoadTests: XCTestCase {
    private var dir: URL!
    private var left: [Float] = [], right: [Float] = [], third: [Float] = []

    override func setUpWithError() throws {
        dir = try AudioTestSupport.temporaryDirectory(self)
        left = AudioTestSupport.sine(frequency: 440, sampleRate: 8000, seconds: 1, amplitude: 0.6)
        right = AudioTestSupport.sine(frequency: 700, sampleRate: 8000, seconds: 1, amplitude: 0.3, phase: 1)
        third = (0 ..< left.count).map { Float($0 % 100) / 200 - 0.25 }
    }

    private func writeFloat(_ channels: [[Float]], rate: Int = 8000, name: String) throws -> String {
        let path = dir.appendingPathComponent(name).path
        try AudioFile.write(AudioTestSupport.interleave(channels), sampleRate: rate, channels: channels.count,
                            to: path, format: .wavFloat)
        return path
    }

    func testStereoDownmixIsTheMean() throws {
        let path = try writeFloat([left, right], name: "stereo.wav")
        let mono = try AudioFile.load(path, sampleRate: nil)
        XCTAssertEqual(mono.channelCount, 1)
        XCTAssertEqual(mono.sampleRate, 8000)
        XCTAssertEqual(mono.samples, zip(left, right).map { ($0 + $1) / 2 })
    }

    func testThreeChannelDownmixIsTheMean() throws {
        let path = try writeFloat([left, right, third], name: "three.wav")
        let mono = try AudioFile.load(path, sampleRate: nil)
        let expected = (0 ..< left.count).map { (left[$0] + right[$0] + third[$0]) / 3 }
        XCTAssertEqual(mono.samples, expected)
    }

    func testMonoFalseKeepsChannelsPlanar() throws {
        let path = try writeFloat([left, right, third], name: "three.wav")
        let signal = try AudioFile.load(path, sampleRate: nil, mono: false)
        XCTAssertEqual(signal.channelCount, 3)
        XCTAssertEqual(signal.frameCount, left.count)
        XCTAssertEqual(Array(signal.channel(0)), left)
        XCTAssertEqual(Array(signal.channel(1)), right)
        XCTAssertEqual(Array(signal.channel(2)), third)
        XCTAssertEqual(signal.duration, 1.0, accuracy: 1e-12)
    }

    func testMonoFileIsReadAsIs() throws {
        let path = try writeFloat([left], name: "mono.wav")
        XCTAssertEqual(try AudioFile.load(path, sampleRate: nil, mono: false).samples, left)
        XCTAssertEqual(try AudioFile.load(path, sampleRate: nil).samples, left)
    }

    /// librosa: seek(int(offset * sr)), read int(duration * sr) frames.
    func testOffsetAndDurationWindows() throws {
        let path = try writeFloat([left, right], name: "stereo.wav")
        let mean = zip(left, right).map { ($0 + $1) / 2 }
        let window = try AudioFile.load(path, sampleRate: nil, offset: 0.25, duration: 0.5)
        XCTAssertEqual(window.samples, Array(mean[2000 ..< 6000]))
        // int() truncates: 0.00019 s * 8000 = 1.52 -> frame 1; 0.0004 s -> 3 frames.
        XCTAssertEqual(try AudioFile.load(path, sampleRate: nil, offset: 0.00019, duration: 0.0004).samples,
                       Array(mean[1 ..< 4]))
        // A duration past the end reads to the end.
        XCTAssertEqual(try AudioFile.load(path, sampleRate: nil, offset: 0.75, duration: 10).samples,
                       Array(mean[6000...]))
        let stereo = try AudioFile.load(path, sampleRate: nil, mono: false, offset: 0.5)
        XCTAssertEqual(Array(stereo.channel(0)), Array(left[4000...]))
        XCTAssertEqual(Array(stereo.channel(1)), Array(right[4000...]))
    }

    /// A window of a 16-bit file decodes the same samples as the whole file (seek is exact).
    func testWindowMatchesWholeFileForPCM() throws {
        let path = dir.appendingPathComponent("pcm.flac").path
        try AudioFile.write(AudioTestSupport.interleave([left, right]), sampleRate: 8000, channels: 2,
                            to: path, format: .flac16)
        let whole = try AudioFile.load(path, sampleRate: nil)
        let window = try AudioFile.load(path, sampleRate: nil, offset: 0.3, duration: 0.2)
        XCTAssertEqual(window.samples, Array(whole.samples[2400 ..< 4000]))
    }

    func testLongerThanOneBlock() throws {
        // 3 decode blocks and a partial one, 2 channels.
        let n = 3 * 16384 + 123
        let a = (0 ..< n).map { Float(sin(Double($0) * 0.01)) * 0.5 }
        let b = (0 ..< n).map { Float(cos(Double($0) * 0.003)) * 0.25 }
        let path = try writeFloat([a, b], rate: 44100, name: "long.wav")
        let mono = try AudioFile.load(path, sampleRate: nil)
        XCTAssertEqual(mono.samples, zip(a, b).map { ($0 + $1) / 2 })
        let stereo = try AudioFile.load(path, sampleRate: nil, mono: false)
        XCTAssertEqual(Array(stereo.channel(1)), b)
    }

    func testStatistics() throws {
        let path = try writeFloat([left, right], name: "stereo.wav")
        let stats = try AudioStatistics.measure(path)
        XCTAssertEqual(stats.sampleCount, 2 * left.count)
        XCTAssertEqual(stats.peak, 0.6, accuracy: 1e-3)
        // RMS of two sines: sqrt((0.6^2 / 2 + 0.3^2 / 2) / 2).
        XCTAssertEqual(Double(stats.rms), ((0.36 / 2 + 0.09 / 2) / 2).squareRoot(), accuracy: 1e-4)
        XCTAssertEqual(stats.peakDBFS, 20 * log10(0.6), accuracy: 0.02)
        XCTAssertEqual(AudioStatistics(samples: [0, 0]).rmsDBFS, -.infinity)
        let fromSamples = AudioStatistics(samples: left + right)
        XCTAssertEqual(fromSamples.peak, stats.peak)
        XCTAssertEqual(fromSamples.rms, stats.rms, accuracy: 1e-6)
    }
}
