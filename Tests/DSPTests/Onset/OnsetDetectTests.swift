import DSP
import XCTest

/// Onset peak picking on librosa's onset envelope (mean aggregate): frames identical.
final class OnsetDetectTests: XCTestCase {
    func testOnsetFramesMatchLibrosa() throws {
        for clip in FeatureFixture.clips {
            let f = try FeatureFixture(clip)
            XCTAssertEqual(onsetDetect(envelope: try f.floats("onset_env"), sampleRate: f.sampleRate),
                           try f.ints("onset_frames"), "\(clip) onsets")
        }
    }

    func testPeakPickSimple() {
        let x: [Float] = [0, 1, 0, 0, 0, 0, 2, 0, 0, 0]
        XCTAssertEqual(peakPick(x, preMax: 1, postMax: 1, preAvg: 1, postAvg: 1, delta: 0.1, wait: 0), [1, 6])
        XCTAssertEqual(framesToTime([0, 43]), [0, 43 * 512 / 22050])
        XCTAssertEqual(timeToFrames([1.0]), [43])
    }
}
