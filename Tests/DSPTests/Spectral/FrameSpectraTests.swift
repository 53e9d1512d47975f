@testable import DSP
import XCTest

/// Centred frames read the signal in place and pad only the ends; the spectra equal those
/// of the whole padded signal framed without centring, bit for bit.
final class FrameSpectraTests: XCTestCase {
    private func spectra(_ y: [Float], _ parameters: STFTParameters) throws -> [Float] {
        var out: [Float] = []
        let bins = parameters.nFFT / 2 + 1
        try FrameSpectra(parameters: parameters).run(y) { _, count, spectra, stride in
            for k in 0 ..< count { out += UnsafeBufferPointer(start: spectra + k * stride, count: 2 * bins) }
        }
        return out
    }

    func testCentredFramesEqualFramesOfThePaddedSignal() throws {
        for mode in PadMode.allCases {
            for (nFFT, hop) in [(512, 128), (256, 100)] {
                // Shorter than 2 nFFT (padded whole), just at it, and longer (edges only).
                for length in [300, 2 * nFFT - 1, 2 * nFFT, 2 * nFFT + 1, 5 * nFFT + 37] {
                    let y = (0 ..< length).map { Float(sin(Double($0) * 0.05) + 0.3 * cos(Double($0) * 0.71)) }
                    let centred = try spectra(y, STFTParameters(nFFT: nFFT, hopLength: hop, center: true, padMode: mode))
                    let padded = padSignal(y, left: nFFT / 2, right: nFFT / 2, mode: mode)
                    let plain = try spectra(padded, STFTParameters(nFFT: nFFT, hopLength: hop, center: false))
                    XCTAssertEqual(centred.count, plain.count, "\(mode) \(nFFT) \(length)")
                    XCTAssertEqual(centred.map(\.bitPattern), plain.map(\.bitPattern), "\(mode) \(nFFT)/\(hop) length \(length)")
                }
            }
        }
    }
}
