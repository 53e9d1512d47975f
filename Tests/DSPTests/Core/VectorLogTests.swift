@testable import DSP
import Foundation
import XCTest

/// The branch-free log10 behind `powerToDb`.
final class VectorLogTests: XCTestCase {
    func testLog10NormalMatchesDoubleLog10() {
        var worst = 0.0
        // Log-spaced sweep over the normal floats, plus values around powers of two and sqrt(2).
        var inputs: [Float] = (0 ... 20000).map { Float(pow(10, -37.5 + 75.5 * Double($0) / 20000)) }
        for e in -20 ... 20 {
            let p = Float(pow(2, Double(e)))
            inputs += [p, p.nextUp, p.nextDown, p * Float(2).squareRoot(), (p * Float(2).squareRoot()).nextUp, p * 1.5]
        }
        inputs += [Float.leastNormalMagnitude, .greatestFiniteMagnitude, 1, 1e-10]
        for x in inputs {
            let error = abs(Double(Kernels.log10Normal(x)) - log10(Double(x)))
            worst = max(worst, error / max(1, abs(log10(Double(x)))))
        }
        // About 1 ulp of the result: well under the 1e-3 dB parity tolerance of power_to_db.
        XCTAssertLessThan(worst, 3e-7)
        XCTAssertEqual(Kernels.log10Normal(.infinity), .infinity)
        XCTAssertEqual(Kernels.log10Normal(1), 0)
    }

    func testMaximum() {
        let v: [Float] = [3, -1, 7.5, 2, 7, -9, 0]
        v.withUnsafeBufferPointer { XCTAssertEqual(Kernels.maximum($0), 7.5) }
        [Float]().withUnsafeBufferPointer { XCTAssertEqual(Kernels.maximum($0), -.infinity) }
    }
}
