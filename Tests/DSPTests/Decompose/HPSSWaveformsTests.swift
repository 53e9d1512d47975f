@testable import DSP
import XCTest

/// `hpssWaveforms` (each mask applied inside the inverse STFT, the memory-lean path of the GTZAN features)
/// equals inverting `D * mask` built from the public `hpssMasks`, bit for bit.
final class HPSSWaveformsTests: XCTestCase {
    func testPartByPartEqualsMaskedInverse() throws {
        let y = StreamingFramesTests.signal(5 * 22050 + 99)
        let parameters = STFTParameters()
        let D = try stft(y, parameters: parameters)
        let S = D.magnitude()
        let (waveH, waveP) = try hpssWaveforms(stft: D, magnitude: S, parameters: parameters, length: y.count)
        let masks = hpssMasks(magnitude: S)
        for (mask, wave, name) in [(masks.harmonic, waveH, "harmonic"), (masks.percussive, waveP, "percussive")] {
            let part = ComplexSpectrogram(frames: D.frames, bins: D.bins,
                                          real: zip(D.real, mask.data).map { $0 * $1 },
                                          imag: zip(D.imag, mask.data).map { $0 * $1 })
            let expected = try istft(part, parameters: parameters, length: y.count)
            XCTAssertEqual(wave.count, y.count)
            XCTAssertTrue(wave == expected, "\(name) differs")
        }
    }
}
