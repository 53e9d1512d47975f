import DSP
@testable import MelCNN
import XCTest

/// The per-bin sums of a track (eight bins at a time) equal a plain frame-by-frame loop bit
/// for bit, for bin counts that are and are not multiples of eight.
final class TrackFeaturesTests: XCTestCase {
    func testSumsEqualAPlainLoopBitForBit() {
        var generator = SystemRandomNumberGenerator()
        for (frames, bins) in [(0, 8), (1, 1), (37, 13), (129, 128), (5, 7), (64, 24)] {
            let data = (0 ..< frames * bins).map { _ in Float.random(in: -80 ... 20, using: &generator) }
            let features = TrackFeatures(FeatureMatrix(frames: frames, bins: bins, data: data))
            var sum = [Double](repeating: 0, count: bins), sq = sum
            for t in 0 ..< frames {
                for b in 0 ..< bins {
                    let x = Double(data[t * bins + b])
                    sum[b] += x
                    sq[b] += x * x
                }
            }
            XCTAssertEqual(features.sum, sum, "\(frames) x \(bins)")
            XCTAssertEqual(features.sumSquares, sq, "\(frames) x \(bins)")
        }
    }
}
