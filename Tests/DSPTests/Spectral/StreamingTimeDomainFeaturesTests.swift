@testable import DSP
import XCTest

/// Streamed rms and zero-crossing rate are the one-shot values bit for bit, whatever the pieces.
final class StreamingTimeDomainFeaturesTests: XCTestCase {
    func testFramesEqualOneShot() throws {
        for n in [1, 1000, 2048, 2049, 100_000] {
            let y = toneAndClicks(n, seed: 3).map { $0 - 0.05 }   // crossings need both signs
            var streaming = StreamingTimeDomainFeatures()
            var energy: [Float] = [], crossings: [Float] = []
            try blockReader(y, sizes: [1, 511, 4096])({ streaming.push($0) { energy += $0; crossings += $1 } })
            streaming.finish { energy += $0; crossings += $1 }
            XCTAssertEqual(energy.map(\.bitPattern), rms(y).map(\.bitPattern), "rms, \(n) samples")
            XCTAssertEqual(crossings, zeroCrossingRate(y), "zcr, \(n) samples")
        }
    }
}
