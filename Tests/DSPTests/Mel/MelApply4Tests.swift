@testable import DSP
import XCTest

/// Four frames per pass over the weights give the same bits as one frame at a time.
final class MelApply4Tests: XCTestCase {
    func testApply4EqualsFourSingleRows() throws {
        // Default bank; a fine one with empty low filters (n_fft 512, 128 mels); a narrow band.
        let banks = [try MelFilterbank(parameters: MelParameters(sampleRate: 22050, nMels: 128), nFFT: 2048),
                     try MelFilterbank(parameters: MelParameters(sampleRate: 22050, nMels: 128), nFFT: 512),
                     try MelFilterbank(parameters: MelParameters(sampleRate: 16000, nMels: 40, fmin: 300, fmax: 3000), nFFT: 1024)]
        for bank in banks {
            let bins = bank.bins, nMels = bank.nMels
            let rows = (0 ..< 4 * bins).map { Float(sin(Double($0) * 0.37) * sin(Double($0) * 0.011) + 1.5) * 1e3 }
            var four = [Float](repeating: .nan, count: 4 * nMels), single = four
            rows.withUnsafeBufferPointer { r in
                four.withUnsafeMutableBufferPointer { bank.apply4(rows: r.baseAddress!, rowStride: bins, into: $0.baseAddress!, outStride: nMels) }
                single.withUnsafeMutableBufferPointer { out in
                    for f in 0 ..< 4 { bank.apply(row: r.baseAddress! + f * bins, into: out.baseAddress! + f * nMels) }
                }
            }
            XCTAssertEqual(four.map(\.bitPattern), single.map(\.bitPattern), "bins \(bins), mels \(nMels)")
        }
    }
}
