import DSP
import XCTest

/// Zero-crossing rate and RMS against librosa 0.11 (tolerance: max abs error <= 1e-3 x the feature's range).
final class TimeDomainFeaturesTests: XCTestCase {
    func testZeroCrossingRateMatchesLibrosa() throws {
        for clip in FeatureFixture.clips {
            let f = try FeatureFixture(clip)
            let e = assertWithinRange(zeroCrossingRate(try f.audio()), try f.floats("zcr"), fraction: 1e-3, "\(clip) zcr")
            print(String(format: "parity %@ zcr max error / range %.1e", clip, e))
        }
    }

    func testRMSMatchesLibrosa() throws {
        for clip in FeatureFixture.clips {
            let f = try FeatureFixture(clip)
            let e = assertWithinRange(rms(try f.audio()), try f.floats("rms"), fraction: 1e-3, "\(clip) rms")
            print(String(format: "parity %@ rms max error / range %.1e", clip, e))
        }
    }

    func testShortAndSilentInputs() {
        XCTAssertEqual(zeroCrossingRate([]), [])
        XCTAssertEqual(rms([Float](repeating: 0, count: 100)), [0])
        // A 1-sample alternation crosses at every sample: 2047 crossings in a 2048 frame
        let alt = (0 ..< 4096).map { $0 % 2 == 0 ? Float(1) : -1 }
        XCTAssertEqual(zeroCrossingRate(alt, center: false)[0], 2047.0 / 2048.0)
    }
}
