@testable import DSP
import XCTest

final class DeltaTests: XCTestCase {
    func testDeltaMatchesLibrosa() throws {
        let f = try Fixture.file("cepstral")
        let input = try Fixture.matrix(f, "delta/input")
        for (name, width, order) in [("order1", 9, 1), ("order2", 9, 2), ("width5_order1", 5, 1), ("width3_order2", 3, 2)] {
            let expected = try Fixture.matrix(f, "delta/\(name)")
            let ours = try delta(input, width: width, order: order)
            // Tolerance (issue): deltas max abs <= 1e-4 x range.
            assertParity(maxAbsDifference(ours, expected, name), 1e-4 * valueRange(expected), "delta \(name)", relativeTo: valueRange(expected))
        }
    }

    func testDeltaOfLinearRampIsSlope() throws {
        let ramp = FeatureMatrix(frames: 12, bins: 1, data: (0 ..< 12).map { 3 * Float($0) })
        let d1 = try delta(ramp)
        for v in d1.data { XCTAssertEqual(v, 3, accuracy: 1e-4) }
        for v in try delta(ramp, order: 2).data { XCTAssertEqual(v, 0, accuracy: 1e-4) }
    }

    func testInvalidArguments() {
        let m = FeatureMatrix(frames: 5, bins: 2, repeating: 1)
        XCTAssertThrowsError(try delta(m)) { XCTAssertEqual(($0 as? DSPError)?.parameter, "width") }  // 9 > 5 frames
        XCTAssertThrowsError(try delta(m, width: 4)) { XCTAssertEqual(($0 as? DSPError)?.parameter, "width") }
        XCTAssertThrowsError(try delta(m, width: 3, order: 0)) { XCTAssertEqual(($0 as? DSPError)?.parameter, "order") }
    }
}
