@testable import DSP
import XCTest

/// melcnn's 16-frame transform (`Sources/CSTFT`, used by `MelSpectrogramExtractor` for power-2
/// mel spectrograms) against the FFTW route (`spectrogram` then the filterbank), on each CPU
/// route the machine has (AVX-512 16 lanes, AVX2 8 lanes).
final class FrameFFT16Tests: XCTestCase {
    func testSixteenFramePathMatchesFFTWRoute() throws {
        try XCTSkipIf(FrameFFT16.shared(n: 2048) == nil, "no AVX2 here (or MELCNN_STFT=fftw): FFTW runs")
        var seed: UInt64 = 7
        func noise(_ count: Int) -> [Float] {
            (0 ..< count).map { _ in
                seed = seed &* 6364136223846793005 &+ 1442695040888963407
                return Float(Int64(bitPattern: seed >> 11) % 2000) / 1000 - 1
            }
        }
        let cases: [(STFTParameters, Int)] = [
            (STFTParameters(), 22050 * 3 + 17),                                   // 133 frames: 8 blocks + 5
            (STFTParameters(nFFT: 2048, hopLength: 512, padMode: .reflect), 5000),
            (STFTParameters(nFFT: 2048, hopLength: 300, center: false), 9000),
            (STFTParameters(nFFT: 2048, winLength: 1000), 7000),                  // window padded to nFFT
            (STFTParameters(nFFT: 4096, hopLength: 1024), 30000),
            (STFTParameters(nFFT: 1024, hopLength: 256), 1500),
            (STFTParameters(nFFT: 512), 100),                                     // shorter than nFFT
            (STFTParameters(nFFT: 64, hopLength: 16), 2000),
            (STFTParameters(nFFT: 32, hopLength: 8), 301),
        ]
        try forEachCPURoute(from: 1) { route in for (stft, length) in cases {
            XCTAssertNotNil(FrameFFT16.shared(n: stft.nFFT), "nFFT \(stft.nFFT), \(route)")
            let y = noise(length)
            let mel = MelParameters(nMels: min(40, stft.nFFT / 4))
            let extractor = try MelSpectrogramExtractor(stft: stft, mel: mel)
            let fast = try extractor.melSpectrogram(y)
            let bank = try MelFilterbank(parameters: mel, nFFT: stft.nFFT)
            let reference = try melSpectrogram(spectrogram: try spectrogram(y, parameters: stft, power: 2), filterbank: bank)
            XCTAssertEqual(fast.frames, reference.frames)
            XCTAssertEqual(fast.bins, reference.bins)
            let scale = reference.data.map(abs).max() ?? 0
            let worst = zip(fast.data, reference.data).map { abs($0 - $1) }.max() ?? 0
            XCTAssertGreaterThan(scale, 0)
            XCTAssertLessThanOrEqual(worst, 2e-6 * scale, "nFFT \(stft.nFFT), \(length) samples, \(route)")
        } }
    }

    func testSizesItDoesNotTakeFallBackToFFTW() throws {
        XCTAssertNil(FrameFFT16.shared(n: 2000))   // nFFT / 2 not a power of two
        XCTAssertNil(FrameFFT16.shared(n: 16))     // too short
        let stft = STFTParameters(nFFT: 2000, hopLength: 500)
        let extractor = try MelSpectrogramExtractor(stft: stft, mel: MelParameters(nMels: 40))
        XCTAssertEqual(try extractor.melSpectrogram([Float](repeating: 0.25, count: 8000)).frames, 17)
    }
}
