import DSP
import XCTest

/// The chroma filterbank against librosa.filters.chroma with the clip's estimated tuning
/// (tolerance: max abs error <= 1e-3 x the filterbank's range).
final class ChromaFilterbankTests: XCTestCase {
    func testFilterbankMatchesLibrosa() throws {
        for clip in FeatureFixture.clips {
            let f = try FeatureFixture(clip)
            let tuning = try f.scalar("tuning")
            let fb = chromaFilterbank(sampleRate: f.sampleRate, nFFT: 2048, tuning: tuning)
            let expected = try f.matrix("chroma_filterbank")
            XCTAssertEqual(fb.frames, 1025)
            XCTAssertEqual(fb.bins, 12)
            assertWithinRange(fb.data, expected.data, fraction: 1e-3, "\(clip) chroma filterbank")
        }
    }
}
