@testable import DSP
import XCTest

final class MFCCTests: XCTestCase {
    func testMFCCMatchesLibrosa() throws {
        let f = try Fixture.file("cepstral")
        for name in Fixture.signalNames {
            let expected = try Fixture.matrix(f, "mfcc/\(name)")
            let ours = try mfcc(try Fixture.signal(name))
            // Tolerance (issue): MFCC max abs error <= 1e-3.
            assertParity(maxAbsDifference(ours, expected, name), 1e-3, "mfcc \(name)")
        }
    }

    func testLifterMatchesLibrosa() throws {
        let expected = try Fixture.matrix(try Fixture.file("cepstral"), "mfcc_lifter")
        let ours = try mfcc(try Fixture.signal("one_second"), nMFCC: 13, lifter: 22)
        // Tolerance (issue): 1e-3 absolute; liftering multiplies by up to 12, so check relative to range too.
        assertParity(maxAbsDifference(ours, expected, "lifter"), max(1e-3, 1e-5 * valueRange(expected)), "mfcc lifter 22")
    }

    func testDCTIsOrthonormal() {
        let n = 16, d = dctIIMatrix(count: n, n: n)
        for a in 0 ..< n {
            for b in 0 ..< n {
                let dot = (0 ..< n).reduce(Float(0)) { $0 + d[a * n + $1] * d[b * n + $1] }
                XCTAssertEqual(dot, a == b ? 1 : 0, accuracy: 1e-5)
            }
        }
    }

    func testInvalidArguments() {
        let m = FeatureMatrix(frames: 2, bins: 8, repeating: 1)
        XCTAssertThrowsError(try mfcc(logMel: m, nMFCC: 9)) { XCTAssertEqual(($0 as? DSPError)?.parameter, "n_mfcc") }
        XCTAssertThrowsError(try mfcc(logMel: m, nMFCC: 4, lifter: -1)) { XCTAssertEqual(($0 as? DSPError)?.parameter, "lifter") }
    }
}
