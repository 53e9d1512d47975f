import DSP
import XCTest

/// Tuning estimation and chroma_stft against librosa 0.11. Tolerances: tuning within 0.01 of librosa;
/// chroma max abs error <= 1e-3 x its range.
final class ChromaSTFTTests: XCTestCase {
    func testEstimatedTuningWithinAHundredth() throws {
        for clip in FeatureFixture.clips {
            let f = try FeatureFixture(clip)
            let power = try spectrogram(try f.audio(), power: 2)
            let tuning = estimateTuning(spectrogram: power, sampleRate: f.sampleRate)
            let expected = try f.scalar("tuning")
            XCTAssertEqual(tuning, expected, accuracy: 0.01 + 1e-9, "\(clip) tuning")
            print("parity \(clip) tuning: melcnn \(tuning) librosa \(expected)")
        }
    }

    func testChromaMatchesLibrosa() throws {
        for clip in FeatureFixture.clips {
            let f = try FeatureFixture(clip)
            let chroma = try chromaSTFT(try f.audio(), sampleRate: f.sampleRate)
            let e = assertWithinRange(chroma.data, try f.matrix("chroma_stft").data, fraction: 1e-3, "\(clip) chroma")
            print(String(format: "parity %@ chroma_stft max error / range %.1e", clip, e))
        }
    }

    func testPitchTuningOfDetunedA() {
        // 440 Hz * 2^(0.25 / 12): a quarter of a semitone sharp
        let f = Float(440 * pow(2, 0.25 / 12))
        XCTAssertEqual(pitchTuning([f, f, f]), 0.25, accuracy: 0.011)
        XCTAssertEqual(pitchTuning([]), 0)
    }
}
