import DSP
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
