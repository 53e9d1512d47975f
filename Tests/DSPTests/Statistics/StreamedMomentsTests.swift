@testable import DSP
import XCTest

/// `StreamedMoments` (values through a temporary file) gives `Summary`'s mean, variance,
/// skewness and kurtosis bit for bit, across several file buffers.
final class StreamedMomentsTests: XCTestCase {
    func testMeanAndVarianceEqualSummary() throws {
        for n in [0, 1, 5, TemporaryFloats.bufferCount, 3 * TemporaryFloats.bufferCount + 17] {
            let values = (0 ..< n).map { Float(sin(Double($0) * 0.001) * 1000 + 3) }
            let moments = try StreamedMoments()
            try values.withUnsafeBufferPointer { v in
                var from = 0
                while from < n { let k = min(1000, n - from); try moments.append(UnsafeBufferPointer(rebasing: v[from ..< from + k])); from += k }
            }
            let (mean, variance) = try moments.meanAndVariance()
            let summary = Summary(values, withMedian: false)
            XCTAssertEqual(mean.bitPattern, summary.mean.bitPattern, "\(n) values")
            XCTAssertEqual(variance.bitPattern, summary.variance.bitPattern, "\(n) values")
            let all = try moments.summary()
            XCTAssertEqual(all.skewness.bitPattern, summary.skewness.bitPattern, "\(n) values")
            XCTAssertEqual(all.kurtosis.bitPattern, summary.kurtosis.bitPattern, "\(n) values")
        }
    }
}
