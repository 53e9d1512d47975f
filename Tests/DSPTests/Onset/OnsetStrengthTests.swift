import DSP
import XCTest

/// Onset strength envelopes (mean and median aggregate) against librosa 0.11:
/// max abs error <= 1e-3 x the envelope's range.
final class OnsetStrengthTests: XCTestCase {
    func testOnsetEnvelopesMatchLibrosa() throws {
        for clip in FeatureFixture.clips {
            let f = try FeatureFixture(clip)
            let y = try f.audio()
            let mean = try onsetStrength(y, sampleRate: f.sampleRate)
            let median = try onsetStrength(y, sampleRate: f.sampleRate, aggregate: .median)
            let e1 = assertWithinRange(mean, try f.floats("onset_env"), fraction: 1e-3, "\(clip) onset mean")
            let e2 = assertWithinRange(median, try f.floats("onset_env_median"), fraction: 1e-3, "\(clip) onset median")
            print(String(format: "parity %@ onset envelope mean %.1e median %.1e", clip, e1, e2))
        }
    }

    func testBeatTrackFromAudio() throws {
        for clip in FeatureFixture.clips {
            let f = try FeatureFixture(clip)
            let result = try beatTrack(try f.audio(), sampleRate: f.sampleRate)
            XCTAssertEqual(result.tempo, try f.scalar("tempo"), "\(clip) tempo")
            XCTAssertEqual(result.beats, try f.ints("beats"), "\(clip) beats")
        }
    }
}
