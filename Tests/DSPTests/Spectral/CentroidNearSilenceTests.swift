import DSP
import Foundation
import HDF5
import XCTest

/// spectral_centroid of frames fading to silence (issue 12, item 10), and of frames where librosa's
/// float32 rounding of each S / sum(S) (util.normalize) changes the result: a deterministic magnitude
/// spectrogram scaled from 1 down to float32 subnormals and 0, and librosa's centroid of it, in
/// `Tests/Fixtures/real_beats.h5` (`/centroid_near_silence`). Tolerance: none. Each frame's centroid
/// is librosa's float64 value rounded to float32.
final class CentroidNearSilenceTests: XCTestCase {
    func testCentroidIsLibrosasOnNearSilentFrames() throws {
        let file = try H5File.open(FeatureFixture.directory.appendingPathComponent("real_beats.h5").path)
        let d = try file.openDataset("centroid_near_silence/S")
        let shape = try d.shape
        let S = FeatureMatrix(frames: shape[0], bins: shape[1], data: try d.read(as: Float.self))
        let expected = try file.openDataset("centroid_near_silence/centroid").read(as: Double.self).map(Float.init)
        let centroid = spectralCentroid(magnitude: S, sampleRate: 22050)
        XCTAssertEqual(centroid.count, expected.count)
        for (t, (a, e)) in zip(centroid, expected).enumerated() {
            XCTAssertEqual(a, e, "frame \(t): melcnn \(a), librosa \(e)")
        }
        XCTAssertEqual(centroid[11], 0, "a silent frame has centroid 0")
    }
}
