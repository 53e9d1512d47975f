import DSP
import XCTest

/// Tempo, tempogram and beat tracking on librosa's own onset envelopes (median aggregate, as
/// librosa.beat.beat_track computes it). Tolerances: tempo the same grid value; beat frames identical;
/// mean tempogram <= 1e-3 x its range.
final class TempoBeatTests: XCTestCase {
    func testTempoIsLibrosasGridValue() throws {
        for clip in FeatureFixture.clips {
            let f = try FeatureFixture(clip)
            let env = try f.floats("onset_env_median")
            XCTAssertEqual(tempo(envelope: env, sampleRate: f.sampleRate), try f.scalar("tempo"), "\(clip) tempo")
        }
    }

    func testMeanTempogramMatchesLibrosa() throws {
        for clip in FeatureFixture.clips {
            let f = try FeatureFixture(clip)
            let mean = meanTempogram(envelope: try f.floats("onset_env_median"), winLength: 344)
            let e = assertWithinRange(mean.map(Float.init), try f.doubles("tempogram_mean").map(Float.init),
                                      fraction: 1e-3, "\(clip) tempogram mean")
            print(String(format: "parity %@ mean tempogram max error / range %.1e", clip, e))
        }
    }

    func testBeatFramesIdentical() throws {
        for clip in FeatureFixture.clips {
            let f = try FeatureFixture(clip)
            let result = beatTrack(envelope: try f.floats("onset_env_median"), sampleRate: f.sampleRate)
            XCTAssertEqual(result.beats, try f.ints("beats"), "\(clip) beats")
            XCTAssertEqual(result.tempo, try f.scalar("tempo"), "\(clip) beat_track tempo")
        }
    }

    func testSilenceHasNoBeats() {
        XCTAssertEqual(beatTrack(envelope: [Float](repeating: 0, count: 500)), BeatTrackResult(tempo: 0, beats: []))
    }

    func testTempoFrequenciesGrid() {
        let bpms = tempoFrequencies(count: 4)
        XCTAssertEqual(bpms[0], .infinity)
        XCTAssertEqual(bpms[1], 60 * 22050 / 512, accuracy: 1e-9)
        XCTAssertEqual(tempoWindowLength(), 344)
    }
}
