@testable import DSP
import XCTest

final class FramingTests: XCTestCase {
    /// Frame counts equal librosa's `stft(...).shape[1]` for every length of the
    /// fixture (1 .. 22050 samples, many shorter than nFFT) and every configuration
    /// (both pad modes, centred and not, odd nFFT); -1 where librosa refuses.
    func testFrameCountsMatchLibrosa() throws {
        let f = try Fixture.file("core")
        let lengths = try f.openDataset("frames/lengths").read(as: Int64.self)
        let nFFT = try f.openDataset("frames/n_fft").read(as: Int64.self)
        let hops = try f.openDataset("frames/hop_length").read(as: Int64.self)
        let centers = try f.openDataset("frames/center").read(as: Int64.self)
        let reflect = try f.openDataset("frames/reflect").read(as: Int64.self)
        let counts = try f.openDataset("frames/count").read(as: Int64.self)
        for c in 0 ..< nFFT.count {
            let p = STFTParameters(nFFT: Int(nFFT[c]), hopLength: Int(hops[c]), center: centers[c] == 1,
                                   padMode: reflect[c] == 1 ? .reflect : .constant)
            for (j, length) in lengths.enumerated() {
                let expected = Int(counts[c * lengths.count + j])
                let label = "n_fft \(p.nFFT) hop \(p.hopLength) center \(p.center) \(p.padMode) length \(length)"
                if expected < 0 {
                    XCTAssertThrowsError(try p.frameCount(length: Int(length)), label)
                    continue
                }
                XCTAssertEqual(try p.frameCount(length: Int(length)), expected, label)
                // The STFT itself has that shape (exercises padding of short signals in both modes).
                let y = (0 ..< Int(length)).map { Float(sin(Double($0))) }
                let S = try stft(y, parameters: p)
                XCTAssertEqual(S.frames, expected, label)
                XCTAssertEqual(S.bins, p.nFFT / 2 + 1, label)
            }
        }
    }

    func testFrameSignalMatchesLibrosaUtilFrame() throws {
        let expected = try Fixture.matrix(try Fixture.file("core"), "util_frame")
        let ours = try frameSignal((0 ..< 20).map(Float.init), frameLength: 6, hopLength: 4)
        XCTAssertEqual(ours, expected)
        XCTAssertThrowsError(try frameSignal([1, 2], frameLength: 3, hopLength: 1))
        XCTAssertThrowsError(try frameSignal([1, 2], frameLength: 1, hopLength: 0))
    }

    func testPaddingModesMatchNumpy() {
        // np.pad(np.arange(4.), (9, 9), mode="reflect")
        let reflected = padSignal([0, 1, 2, 3], left: 9, right: 9, mode: .reflect)
        XCTAssertEqual(reflected, [3, 2, 1, 0, 1, 2, 3, 2, 1, 0, 1, 2, 3, 2, 1, 0, 1, 2, 3, 2, 1, 0])
        XCTAssertEqual(padSignal([5], left: 3, right: 3, mode: .reflect), [Float](repeating: 5, count: 7))
        XCTAssertEqual(padSignal([1, 2], left: 2, right: 1, mode: .constant), [0, 0, 1, 2, 0])
        XCTAssertEqual(padCenter([1, 1, 1], size: 6), [0, 1, 1, 1, 0, 0])
        XCTAssertEqual(fixLength([1, 2, 3], size: 2), [1, 2])
        XCTAssertEqual(fixLength([1], size: 3), [1, 0, 0])
    }

    func testInvalidParametersNameTheParameter() {
        XCTAssertThrowsError(try stftFrameCount(length: 10, nFFT: 16, hopLength: 0, center: true)) {
            XCTAssertEqual(($0 as? DSPError)?.parameter, "hop_length")
        }
        XCTAssertThrowsError(try STFTParameters(nFFT: 0, hopLength: 4).validate()) {
            XCTAssertEqual(($0 as? DSPError)?.parameter, "n_fft")
        }
        XCTAssertThrowsError(try STFTParameters(nFFT: 256, winLength: 512).validate()) {
            XCTAssertEqual(($0 as? DSPError)?.parameter, "win_length")
        }
    }
}
