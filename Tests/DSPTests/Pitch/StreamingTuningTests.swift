@testable import DSP
import XCTest

/// The streamed tuning estimate (exact median by radix selection over a temporary file) is
/// `estimateTuning` of the whole spectrogram.
final class StreamingTuningTests: XCTestCase {
    func testTuningEqualsWholeSpectrogram() throws {
        for (n, detune) in [(30_000, 0.0), (120_000, 0.23), (200_000, -0.31)] {
            let y = (0 ..< n).map { i -> Float in
                let t = Double(i) / 22050, f = 440 * pow(2, detune / 12)
                return Float(0.3 * sin(2 * .pi * f * t) + 0.2 * sin(2 * .pi * 1.5 * f * t)) + toneAndClicks(1, seed: UInt64(i))[0] * 0.1
            }
            // chroma_stft's estimate (power, 12 bins per octave) and chroma_cqt's (magnitude, 36).
            for (exponent, bpo) in [(Float(2), 12), (Float(1), 36)] {
                let S = try spectrogram(y, power: exponent)
                let streaming = try StreamingTuning(sampleRate: 22050)
                for start in stride(from: 0, to: S.frames, by: 37) {
                    let count = min(37, S.frames - start)
                    try streaming.add(power: FeatureMatrix(frames: count, bins: S.bins,
                                                           data: Array(S.data[start * S.bins ..< (start + count) * S.bins])))
                }
                XCTAssertEqual(try streaming.tuning(binsPerOctave: bpo), estimateTuning(spectrogram: S, binsPerOctave: bpo),
                               "\(n) samples, detune \(detune), power \(exponent)")
            }
        }
    }

    func testKeysKeepTheOrderOfFloats() {
        let values: [Float] = [-.infinity, -3, -1e-30, -0.0, 0, .leastNormalMagnitude / 4, 1, 2.5, .infinity]
        let keys = values.map(StreamingTuning.key)
        XCTAssertEqual(keys, keys.sorted())
        XCTAssertEqual(keys.map(StreamingTuning.value).map(\.bitPattern), values.map(\.bitPattern))
    }
}
