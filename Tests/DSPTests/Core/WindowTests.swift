@testable import DSP
import XCTest

final class WindowTests: XCTestCase {
    /// Periodic windows equal scipy's `get_window(name, n, fftbins=True)`.
    func testWindowsMatchScipy() throws {
        let f = try Fixture.file("core")
        for kind in WindowKind.allCases {
            for n in [2048, 15, 1] {
                let expected = try f.openDataset("window/\(kind.rawValue)_\(n)").read(as: Double.self)
                let ours = kind.valuesDouble(length: n)
                XCTAssertEqual(ours.count, expected.count)
                // Tolerance: double-precision cosine, 1e-12 absolute.
                let err = zip(ours, expected).reduce(0.0) { max($0, abs($1.0 - $1.1)) }
                XCTAssertLessThanOrEqual(err, 1e-12, "\(kind) \(n)")
            }
        }
    }

    func testWindowEdgeCases() {
        XCTAssertEqual(WindowKind.hann.values(length: 0), [])
        XCTAssertEqual(WindowKind.hann.values(length: 4), [0, 0.5, 1, 0.5])
    }
}
