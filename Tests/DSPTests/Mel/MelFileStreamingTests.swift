import Audio
@testable import DSP
import XCTest

/// `MelSpectrogramExtractor.logMelSpectrogram(file:)` (decode, resample and frame in blocks)
/// equals the one-shot `logMelSpectrogram(AudioFile.load(...).samples)` bit for bit.
final class MelFileStreamingTests: XCTestCase {
    func testStreamedFileLogMelEqualsWholeFile() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("melcnn-dsp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        // 2.5 minutes of stereo at 44100 Hz: the resampler's blocks, decode blocks and frame
        // runs all fall at different places.
        let mono = StreamingFramesTests.signal(150 * 22050)
        var stereo = [Float](repeating: 0, count: 4 * mono.count)
        for i in 0 ..< 2 * mono.count {
            stereo[2 * i] = mono[i / 2]
            stereo[2 * i + 1] = 0.5 * mono[(i * 7 / 3) % mono.count]
        }
        let path = dir.appendingPathComponent("long.wav").path
        try AudioFile.write(stereo, sampleRate: 44100, channels: 2, to: path)
        for (stft, rate) in [(STFTParameters(), 22050), (STFTParameters(nFFT: 1024, hopLength: 256, padMode: .reflect), 16000)] {
            let extractor = try MelSpectrogramExtractor(stft: stft, mel: MelParameters(sampleRate: Double(rate), nMels: 64))
            let whole = try extractor.logMelSpectrogram(AudioFile.load(path, sampleRate: rate).samples, topDB: 80)
            let streamed = try extractor.logMelSpectrogram(file: path, sampleRate: rate, topDB: 80)
            XCTAssertEqual(streamed.frames, whole.frames)
            XCTAssertTrue(streamed.data == whole.data, "\(rate) Hz: log-mel differs")
        }
    }
}
