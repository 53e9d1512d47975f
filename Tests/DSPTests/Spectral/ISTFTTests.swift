@testable import DSP
import XCTest

final class ISTFTTests: XCTestCase {
    /// stft then istft reproduces the signal: max |y' - y| <= 1e-5 (issue), for
    /// every input, both pad modes and an odd hop.
    func testRoundTrip() throws {
        let configs = [STFTParameters(), STFTParameters(nFFT: 1024, hopLength: 256, padMode: .reflect),
                       STFTParameters(nFFT: 512, hopLength: 100)]
        for name in Fixture.signalNames {
            let y = try Fixture.signal(name)
            for p in configs {
                let back = try istft(try stft(y, parameters: p), parameters: p, length: y.count)
                XCTAssertEqual(back.count, y.count)
                let err = zip(back, y).reduce(Float(0)) { max($0, abs($1.0 - $1.1)) }
                assertParity(err, 1e-5, "istft round trip \(name) n_fft \(p.nFFT) hop \(p.hopLength) \(p.padMode)")
            }
        }
    }

    func testLengthHandling() throws {
        let y = (0 ..< 3000).map { Float(sin(Double($0) * 0.01)) }
        let S = try stft(y)
        // Without `length`: hop * (frames - 1) samples (librosa's default).
        XCTAssertEqual(try istft(S).count, 512 * (S.frames - 1))
        // Longer than the signal: zero-padded at the end.
        let long = try istft(S, length: 4000)
        XCTAssertEqual(long.count, 4000)
        XCTAssertEqual(long[3900], 0)
        XCTAssertThrowsError(try istft(S, parameters: STFTParameters(nFFT: 1024)))
    }
}
