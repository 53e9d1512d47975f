import DSP
import XCTest

/// Summary statistics against values computed with numpy / scipy.stats by hand.
final class SummaryTests: XCTestCase {
    func testSummaryOfKnownSeries() {
        // numpy: mean 2.2, var 0.96, median 2; scipy.stats.skew 0.867528, kurtosis -0.270833
        let s = Summary([1, 2, 2, 2, 4] as [Float])
        XCTAssertEqual(s.mean, 2.2, accuracy: 1e-12)
        XCTAssertEqual(s.variance, 0.96, accuracy: 1e-12)
        XCTAssertEqual(s.median, 2)
        XCTAssertEqual(s.min, 1)
        XCTAssertEqual(s.max, 4)
        XCTAssertEqual(s.skewness, 0.8675276172357085, accuracy: 1e-9)
        XCTAssertEqual(s.kurtosis, -0.2708333333333339, accuracy: 1e-9)
    }

    func testPerBinSummaries() {
        let m = FeatureMatrix(frames: 4, bins: 2, data: [1, 10, 2, 20, 3, 30, 4, 40])
        let s = m.summaryPerBin()
        XCTAssertEqual(s.map(\.mean), [2.5, 25])
        XCTAssertEqual(s.map(\.median), [2.5, 25])
        XCTAssertEqual(s[0].variance, 1.25, accuracy: 1e-12)
        XCTAssertEqual(m.summaryOfAll().max, 40)
    }
}
