@testable import DSP
import XCTest

/// `StreamingCQT` is `cqt` bit for bit: any piece sizes, several octaves with resampling,
/// an odd hop that stops the resampling, early downsampling, short signals.
final class StreamingCQTTests: XCTestCase {
    func streamed(_ y: [Float], sizes: [Int], parameters: CQTParameters, tuning: Double) throws -> ComplexSpectrogram {
        let transform = try StreamingCQT(parameters: parameters, tuning: tuning)
        var out = ComplexSpectrogram(frames: 0, bins: parameters.nBins, real: [], imag: [])
        func append(_ block: ComplexSpectrogram) {
            out = ComplexSpectrogram(frames: out.frames + block.frames, bins: out.bins,
                                     real: out.real + block.real, imag: out.imag + block.imag)
        }
        try blockReader(y, sizes: sizes)({ piece in try transform.push(piece, append) })
        try transform.finish(append)
        return out
    }

    func assertSame(_ y: [Float], sizes: [Int], parameters: CQTParameters, tuning: Double, _ what: String,
                    file: StaticString = #filePath, line: UInt = #line) throws {
        var p = parameters
        p.tuning = tuning
        let expected: ComplexSpectrogram
        do { expected = try cqt(y, parameters: p) } catch {
            XCTAssertThrowsError(try streamed(y, sizes: sizes, parameters: parameters, tuning: tuning),
                                 "\(what): one-shot: \(error)", file: file, line: line)
            return
        }
        let got = try streamed(y, sizes: sizes, parameters: parameters, tuning: tuning)
        XCTAssertEqual(got.frames, expected.frames, what, file: file, line: line)
        XCTAssertEqual(got.bins, expected.bins, what, file: file, line: line)
        XCTAssertTrue(got.real == expected.real && got.imag == expected.imag, "\(what): values differ", file: file, line: line)
    }

    func testChromaCQTParametersAreBitIdentical() throws {
        let chroma = CQTParameters(nBins: 7 * 36, binsPerOctave: 36)   // chroma_cqt's transform
        let y = toneAndClicks(200_001)
        try assertSame(y, sizes: [65536], parameters: chroma, tuning: -0.07, "64 k pieces")
        try assertSame(y, sizes: [1, 4095, 30011, 777], parameters: chroma, tuning: 0.13, "odd pieces")
        for n in [1, 3000, 70_000] {
            try assertSame(toneAndClicks(n), sizes: [5000, 123], parameters: chroma, tuning: 0, "\(n) samples")
        }
    }

    func testOddHopAndEarlyDownsamplingAreBitIdentical() throws {
        let y = toneAndClicks(120_000)
        // hop 96 = 3 x 32: five resamplings, then the last octaves share a level.
        try assertSame(y, sizes: [7000, 333], parameters: CQTParameters(hopLength: 96, nBins: 84), tuning: 0, "hop 96")
        // Few high bins: early 2:1 steps before the octaves.
        try assertSame(y, sizes: [7000, 333], parameters: CQTParameters(hopLength: 512, fmin: 200, nBins: 24), tuning: 0,
                       "early downsampling")
    }
}
