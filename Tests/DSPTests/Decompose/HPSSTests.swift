@testable import DSP
import XCTest

/// HPSS against librosa.effects.hpss on a 1.5 s excerpt of the song clip (drums and chords):
/// each waveform's max abs error <= 1e-3 x its peak.
final class HPSSTests: XCTestCase {
    func testWaveformHPSSMatchesLibrosa() throws {
        let f = try FeatureFixture("song")
        let excerpt = Array(try f.audio().prefix(33075))
        let (h, p) = try hpss(excerpt)
        for (name, ours) in [("harmonic", h), ("percussive", p)] {
            let expected = try f.floats("hpss/\(name)")
            XCTAssertEqual(ours.count, expected.count)
            let peak = expected.map { abs(Double($0)) }.max()!
            let worst = zip(ours, expected).map { abs(Double($0) - Double($1)) }.max()!
            XCTAssertLessThanOrEqual(worst, 1e-3 * peak, "\(name): max error \(worst), peak \(peak)")
            print(String(format: "parity hpss %@ max error / peak %.1e", name, worst / peak))
        }
    }

    func testMasksSumToOneAndSplitSilence() {
        var S = FeatureMatrix(frames: 40, bins: 50)
        for t in 0 ..< 40 { for k in 0 ..< 50 { S[t, k] = Float((t * 7 + k * 3) % 11) } }
        for k in 0 ..< 50 { S[5, k] = 0 }
        let (mh, mp) = hpssMasks(magnitude: S)
        for i in S.data.indices { XCTAssertEqual(mh.data[i] + mp.data[i], 1, accuracy: 1e-6) }
        XCTAssertEqual(hpssMasks(magnitude: FeatureMatrix(frames: 3, bins: 4)).harmonic.data, [Float](repeating: 0.5, count: 12))
    }

    /// The masks for powers 2 (the vectorised loop), 1, 3 and infinity and margins of 1 and
    /// above against librosa.util.softmask written out in Double on the median estimates:
    /// `X = x / z`, `R = ref / z` with `z = max(x, ref)`, mask `X^p / (X^p + R^p)`; where `z` is
    /// below the smallest normal float, 0.5 with both margins 1 and 0 otherwise; for `p = inf`,
    /// `x > ref`.
    func testMasksFollowLibrosaSoftmask() {
        var S = FeatureMatrix(frames: 40, bins: 50)
        for t in 0 ..< 40 { for k in 0 ..< 50 { S[t, k] = Float((t * 7 + k * 3) % 11) * 0.3 } }
        for t in 0 ..< 40 { for k in 20 ..< 50 { S[t, k] = 0 } }  // silent bins: z = 0
        let harmonic = medianFilter(S, size: 5, alongFrames: true), percussive = medianFilter(S, size: 7, alongFrames: false)
        func softmask(_ x: Float, _ ref: Float, _ p: Double, _ split: Bool) -> Double {
            let z = Double(max(x, ref))
            if z < Double(Float.leastNormalMagnitude) { return split ? 0.5 : 0 }
            if p.isInfinite { return x > ref ? 1 : 0 }
            let a = pow(Double(x) / z, p), b = pow(Double(ref) / z, p)
            return a / (a + b)
        }
        for power: Float in [2, 1, 3, .infinity] {
            for margin: (Float, Float) in [(1, 1), (2, 3)] {
                let masks = hpssMasks(magnitude: S, kernelSize: (5, 7), power: power, margin: margin)
                let split = margin == (1, 1)
                for i in S.data.indices {
                    let h = harmonic[i], p = percussive[i]
                    XCTAssertEqual(Double(masks.harmonic.data[i]), softmask(h, p * margin.0, Double(power), split),
                                   accuracy: 1e-6, "power \(power) margin \(margin) value \(i)")
                    XCTAssertEqual(Double(masks.percussive.data[i]), softmask(p, h * margin.1, Double(power), split),
                                   accuracy: 1e-6, "power \(power) margin \(margin) value \(i)")
                }
            }
        }
    }

    func testMedianFilterReflectsAtEdges() {
        // A horizontal line (constant along time) is harmonic; a vertical line (one frame) percussive.
        var S = FeatureMatrix(frames: 64, bins: 64)
        for t in 0 ..< 64 { S[t, 10] = 1 }
        for k in 0 ..< 64 { S[30, k] = 1 }
        let (h, p) = hpss(magnitude: S)
        XCTAssertEqual(h[3, 10], 1)
        XCTAssertEqual(p[30, 40], 1)
        XCTAssertEqual(h[30, 40], 0)
    }
}
