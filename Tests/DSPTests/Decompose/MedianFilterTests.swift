@testable import DSP
import XCTest

/// The lane-parallel running median (CMedian, on every CPU route) against a direct sort of
/// every reflected window (scipy.ndimage.median_filter, mode="reflect"), along both axes, with
/// ragged lane blocks, series shorter than the window (repeated reflection), ties and kernel
/// sizes 1 to 31.
final class MedianFilterTests: XCTestCase {
    func reference(_ S: FeatureMatrix, size: Int, alongFrames: Bool) -> [Float] {
        var out = [Float](repeating: 0, count: S.data.count)
        let half = size / 2
        for t in 0 ..< S.frames {
            for b in 0 ..< S.bins {
                var window: [Float] = []
                for d in -half ... half {
                    window.append(alongFrames ? S[reflectIndex(t + d, S.frames), b] : S[t, reflectIndex(b + d, S.bins)])
                }
                out[t * S.bins + b] = window.sorted()[half]
            }
        }
        return out
    }

    func testMatchesSortedWindows() {
        var rng = SystemRandomNumberGenerator()
        forEachCPURoute { route in
            for (frames, bins) in [(37, 21), (9, 3), (1, 17), (50, 1), (16, 16), (40, 33)] {
                var S = FeatureMatrix(frames: frames, bins: bins)
                // Integers from a small range give many ties.
                for i in S.data.indices { S.data[i] = Float(Int.random(in: 0 ..< 7, using: &rng)) * 0.25 }
                S.data[0] = 1e-30
                for size in [1, 3, 5, 31] {
                    for along in [true, false] {
                        XCTAssertEqual(medianFilter(S, size: size, alongFrames: along),
                                       reference(S, size: size, alongFrames: along),
                                       "\(route): \(frames)x\(bins) size \(size) alongFrames \(along)")
                    }
                }
            }
        }
    }
}
