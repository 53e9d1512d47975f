import Foundation
import XCTest
@testable import Audio

/// `StreamingResampler` gives the one-shot `Resampler.resample` output bit for bit, whatever
/// the sizes of the pieces it is fed (no tolerance: it makes the same libsoxr calls).
final class StreamingResamplerTests: XCTestCase {
    /// A few seconds of a chirp plus noise-like content (deterministic).
    private func signal(_ n: Int) -> [Float] {
        var state: UInt32 = 12345
        return (0 ..< n).map { i in
            state = state &* 1_664_525 &+ 1_013_904_223
            let t = Double(i) / 44100
            return Float(0.4 * sin(2 * .pi * (200 + 900 * t) * t)) + Float(Int32(bitPattern: state) >> 8) / Float(1 << 25)
        }
    }

    /// Feeds `x` in pieces cycling through `pieces` and returns the concatenated output.
    private func streamed(_ x: [Float], from: Double, to: Double, pieces: [Int]) throws -> [Float] {
        let r = try StreamingResampler(from: from, to: to)
        var out: [Float] = []
        var index = 0, k = 0
        try x.withUnsafeBufferPointer { all in
            while index < all.count {
                let n = min(pieces[k % pieces.count], all.count - index)
                try r.push(UnsafeBufferPointer(rebasing: all[index ..< index + n])) { out.append(contentsOf: $0) }
                index += n
                k += 1
            }
        }
        try r.finish { out.append(contentsOf: $0) }
        XCTAssertEqual(r.outputCount, out.count)
        return out
    }

    func testStreamedEqualsOneShotForCommonRates() throws {
        let x = signal(3 * 44100 + 777)
        for (from, to) in [(44100.0, 22050.0), (48000, 22050), (8000, 22050), (22050, 16000), (96000, 22050)] {
            let oneShot = try Resampler.resample(x, from: from, to: to)
            for pieces in [[16384], [1], [997, 5, 65536, 3], [x.count]] where pieces != [1] || from == 8000 {
                let y = try streamed(x, from: from, to: to, pieces: pieces)
                XCTAssertEqual(y.count, oneShot.count, "\(from) -> \(to), pieces \(pieces)")
                XCTAssertTrue(y == oneShot, "\(from) -> \(to), pieces \(pieces): samples differ")
            }
        }
    }

    func testShortInputsAreCutOrPaddedLikeOneShot() throws {
        for n in [1, 2, 7, 999, 1000, 1001, 2177] {
            let x = signal(n)
            let oneShot = try Resampler.resample(x, from: 44100, to: 22050)
            XCTAssertTrue(try streamed(x, from: 44100, to: 22050, pieces: [3]) == oneShot, "n = \(n)")
            let up = try Resampler.resample(x, from: 8000, to: 22050)
            XCTAssertTrue(try streamed(x, from: 8000, to: 22050, pieces: [5000]) == up, "n = \(n) (upsampling)")
        }
    }

    func testRejectsNonPositiveRates() {
        XCTAssertThrowsError(try StreamingResampler(from: 0, to: 22050))
        XCTAssertThrowsError(try StreamingResampler(from: 44100, to: .infinity))
    }
}
