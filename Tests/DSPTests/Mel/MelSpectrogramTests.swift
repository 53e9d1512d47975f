@testable import DSP
import XCTest

final class MelSpectrogramTests: XCTestCase {
    static let cases: [(name: String, signal: String, stft: STFTParameters, mel: MelParameters, power: Float)] = [
        ("chirp", "chirp", .init(), .init(), 2),
        ("chord_noise", "chord_noise", .init(), .init(), 2),
        ("silence_edges", "silence_edges", .init(), .init(), 2),
        ("odd_length", "odd_length", .init(), .init(), 2),
        ("one_second", "one_second", .init(), .init(), 2),
        ("htk_none_power1", "chord_noise", .init(),
         MelParameters(nMels: 64, fmin: 20, fmax: 9000, scale: .htk, norm: .none), 1),
        ("reflect_1024", "one_second", STFTParameters(nFFT: 1024, hopLength: 256, padMode: .reflect),
         MelParameters(nMels: 96), 2),
    ]

    func testMelSpectrogramMatchesLibrosa() throws {
        let f = try Fixture.file("mel")
        for c in Self.cases {
            let expected = try Fixture.matrix(f, "melspectrogram/\(c.name)")
            let y = try Fixture.signal(c.signal)
            let ours = try melSpectrogram(y, stft: c.stft, mel: c.mel, power: c.power)
            // Tolerance (issue): mel power max |a - b| <= 1e-4 * max |b|.
            assertParity(maxAbsDifference(ours, expected, c.name), 1e-4 * maxAbs(expected), "mel \(c.name)", relativeTo: maxAbs(expected))
            // From a precomputed spectrogram: the same numbers.
            let bank = try MelFilterbank(parameters: c.mel, nFFT: c.stft.nFFT)
            let fromS = try melSpectrogram(spectrogram: try spectrogram(y, parameters: c.stft, power: c.power), filterbank: bank)
            assertParity(maxAbsDifference(fromS, expected, c.name), 1e-4 * maxAbs(expected), "mel from S \(c.name)", relativeTo: maxAbs(expected))
        }
    }

    /// One extractor used from many threads gives the same result as serial use.
    func testExtractorIsThreadSafe() throws {
        let extractor = try MelSpectrogramExtractor()
        let signals = try Fixture.signalNames.map(Fixture.signal)
        let serial = try signals.map { try extractor.logMelSpectrogram($0) }
        let results = ResultBox(count: 20)
        DispatchQueue.concurrentPerform(iterations: 20) { i in
            results.set(i, try? extractor.logMelSpectrogram(signals[i % signals.count]))
        }
        for i in 0 ..< 20 { XCTAssertEqual(results.get(i), serial[i % signals.count], "call \(i)") }
        XCTAssertEqual(serial[0].bins, 128)
        XCTAssertEqual(try extractor.frameCount(length: signals[0].count), serial[0].frames)
    }

    func testExtractorValidation() {
        XCTAssertThrowsError(try MelSpectrogramExtractor(hopLength: 0)) { XCTAssertEqual(($0 as? DSPError)?.parameter, "hop_length") }
        XCTAssertThrowsError(try MelSpectrogramExtractor(fmax: 20000)) { XCTAssertEqual(($0 as? DSPError)?.parameter, "fmax") }
        XCTAssertThrowsError(try MelSpectrogramExtractor(power: -1)) { XCTAssertEqual(($0 as? DSPError)?.parameter, "power") }
        XCTAssertEqual(try MelSpectrogramExtractor(nFFT: 256, nMels: 128).warnings, [MelFilterbank.emptyFilterWarning])
        XCTAssertEqual(try MelSpectrogramExtractor().warnings, [])
    }
}
