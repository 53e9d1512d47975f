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
        // Tolerance: the MFCC bound is 1e-3 absolute, "about 1e-5 of their range". Liftering
        // multiplies coefficient k by 1 + 11 sin(pi (k+1) / 22), up to 12x, values and errors alike,
        // so here the bound is the relative form: 1e-5 x range (range ~2000 -> 0.02).
        assertParity(maxAbsDifference(ours, expected, "lifter"), 1e-5 * valueRange(expected), "mfcc lifter 22",
                     relativeTo: valueRange(expected))
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
