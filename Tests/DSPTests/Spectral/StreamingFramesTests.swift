@testable import DSP
import XCTest

/// `StreamingFrames` / `StreamingFrameRows`: rows computed from pieces equal the one-shot rows
/// bit for bit — frames overlapping the padding at both ends, frames straddling pieces and
/// runs, both pad modes, signals shorter than the padding.
final class StreamingFramesTests: XCTestCase {
    /// Deterministic test signal: a chirp with noise and a silent stretch.
    static func signal(_ n: Int) -> [Float] {
        var state: UInt32 = 99
        return (0 ..< n).map { i in
            state = state &* 1_664_525 &+ 1_013_904_223
            let t = Double(i) / 22050
            let tone = (i / 22050) % 5 == 3 ? 0 : 0.5 * sin(2 * .pi * (100 + 400 * t) * t)
            return Float(tone) + Float(Int32(bitPattern: state) >> 8) / Float(1 << 26)
        }
    }

    /// The rows of `y` pushed in pieces cycling through `pieces`.
    static func streamedMel(_ y: [Float], _ extractor: MelSpectrogramExtractor, pieces: [Int]) throws -> FeatureMatrix {
        var rows = try StreamingFrameRows(parameters: extractor.stft, bins: extractor.nMels) { p in
            let e = try MelSpectrogramExtractor(stft: p, mel: extractor.filterbank.parameters, power: extractor.power)
            return { try e.melSpectrogram($0) }
        }
        var index = 0, k = 0
        try y.withUnsafeBufferPointer { all in
            while index < all.count {
                let n = min(pieces[k % pieces.count], all.count - index)
                try rows.push(UnsafeBufferPointer(rebasing: all[index ..< index + n]))
                index += n
                k += 1
            }
        }
        return try rows.finish()
    }

    func testStreamedMelEqualsOneShotOnThreeMinutes() throws {
        let y = Self.signal(3 * 60 * 22050 + 333)
        let extractor = try MelSpectrogramExtractor()
        let oneShot = try extractor.melSpectrogram(y)
        for pieces in [[16384], [511, 4096, 1, 100_000]] {
            let streamed = try Self.streamedMel(y, extractor, pieces: pieces)
            XCTAssertEqual(streamed.frames, oneShot.frames)
            XCTAssertTrue(streamed.data == oneShot.data, "pieces \(pieces): rows differ")
        }
    }

    func testPadModesSizesAndPowers() throws {
        let configs: [(STFTParameters, Float)] = [
            (STFTParameters(nFFT: 1024, hopLength: 256, padMode: .reflect), 2),
            (STFTParameters(nFFT: 2048, hopLength: 512, padMode: .reflect), 1),
            (STFTParameters(nFFT: 3000, hopLength: 700), 2),  // batch of 5 frames, not a power of two
            (STFTParameters(nFFT: 512, hopLength: 100), 2),
            (STFTParameters(nFFT: 256, hopLength: 700, padMode: .reflect), 2),  // frames further apart than long
        ]
        for (stft, power) in configs {
            let extractor = try MelSpectrogramExtractor(stft: stft, mel: MelParameters(nMels: 40), power: power)
            for n in [1, stft.nFFT / 2, 2 * stft.nFFT - 1, 2 * stft.nFFT, 2 * stft.nFFT + 1, 150_000, 161_234] {
                let y = Self.signal(n)
                let oneShot = try extractor.melSpectrogram(y)
                let streamed = try Self.streamedMel(y, extractor, pieces: [777, 3])
                XCTAssertEqual(streamed.frames, oneShot.frames, "n_fft \(stft.nFFT), n \(n)")
                XCTAssertTrue(streamed.data == oneShot.data, "n_fft \(stft.nFFT) \(stft.padMode), n \(n): rows differ")
            }
        }
    }

    func testStreamedMagnitudeSpectrogramEqualsOneShot() throws {
        let stft = STFTParameters(nFFT: 1024, hopLength: 256, padMode: .reflect)
        let y = Self.signal(200_001)
        var rows = try StreamingFrameRows(parameters: stft, bins: stft.bins) { p in { try spectrogram($0, parameters: p, power: 1) } }
        try y.withUnsafeBufferPointer { all in
            for start in stride(from: 0, to: all.count, by: 9000) {
                try rows.push(UnsafeBufferPointer(rebasing: all[start ..< min(all.count, start + 9000)]))
            }
        }
        let streamed = try rows.finish()
        XCTAssertTrue(streamed == (try spectrogram(y, parameters: stft, power: 1)))
    }

    func testFramesAreHandedOutInBoundedRuns() throws {
        var frames = try StreamingFrames(parameters: STFTParameters())
        XCTAssertEqual(frames.framesPerRun % 16, 0)
        let block = [Float](repeating: 0.25, count: 100_000)
        var largest = 0, expectedFirst = 0
        for _ in 0 ..< 20 {
            block.withUnsafeBufferPointer { b in
                frames.push(b) { first, count, samples in
                    XCTAssertEqual(first, expectedFirst)
                    XCTAssertEqual(samples.count, (count - 1) * 512 + 2048)
                    expectedFirst += count
                    largest = max(largest, samples.count)
                }
            }
        }
        try frames.finish { first, count, _ in XCTAssertEqual(first, expectedFirst); expectedFirst += count }
        XCTAssertEqual(expectedFirst, 1 + 2_000_000 / 512)
        XCTAssertLessThanOrEqual(largest, frames.framesPerRun * 512 + 2048)
    }

    func testUncentredParametersAreRefused() {
        XCTAssertThrowsError(try StreamingFrameRows(parameters: STFTParameters(center: false), bins: 1) { _ in { _ in FeatureMatrix(frames: 0, bins: 1) } })
    }
}
