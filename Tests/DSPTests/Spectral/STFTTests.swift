@testable import DSP
import XCTest

final class STFTTests: XCTestCase {
    /// The cases of `spectral.h5`: signal and librosa.stft parameters.
    static let cases: [(name: String, signal: String, parameters: STFTParameters)] = [
        ("chirp", "chirp", STFTParameters()),
        ("odd_length", "odd_length", STFTParameters()),
        ("silence_edges", "silence_edges", STFTParameters(nFFT: 1024, hopLength: 256)),
        ("reflect", "chord_noise", STFTParameters(nFFT: 1024, hopLength: 256, padMode: .reflect)),
        ("short_win_hamming", "one_second", STFTParameters(nFFT: 1024, hopLength: 300, winLength: 700, window: .hamming)),
        ("uncentred", "odd_length", STFTParameters(nFFT: 512, hopLength: 128, center: false)),
        ("complex", "odd_length", STFTParameters(nFFT: 512, hopLength: 128)),
    ]

    /// `stft(...).magnitude()` (FFTW) and `spectrogram(power: 1)` (melcnn's 16-frame transform
    /// where the route has one and the size allows it, else FFTW) on every CPU route.
    func testMagnitudeMatchesLibrosa() throws {
        let f = try Fixture.file("spectral")
        try forEachCPURoute { route in
            for c in Self.cases {
                let expected = try Fixture.matrix(f, "\(c.name)/magnitude")
                let y = try Fixture.signal(c.signal)
                let fromComplex = try stft(y, parameters: c.parameters).magnitude()
                let direct = try spectrogram(y, parameters: c.parameters, power: 1)
                // Tolerance (issue): max |a - b| <= 1e-4 * max |b| for stft magnitude.
                let bound = 1e-4 * maxAbs(expected)
                assertParity(maxAbsDifference(fromComplex, expected, c.name), bound, "stft magnitude \(c.name), \(route)",
                             relativeTo: maxAbs(expected))
                assertParity(maxAbsDifference(direct, expected, c.name), bound, "spectrogram power 1 \(c.name), \(route)",
                             relativeTo: maxAbs(expected))
            }
        }
    }

    func testComplexPartsMatchLibrosa() throws {
        let f = try Fixture.file("spectral")
        let S = try stft(try Fixture.signal("odd_length"), parameters: STFTParameters(nFFT: 512, hopLength: 128))
        let real = try Fixture.matrix(f, "complex/real"), imag = try Fixture.matrix(f, "complex/imag")
        let ours = (FeatureMatrix(frames: S.frames, bins: S.bins, data: S.real),
                    FeatureMatrix(frames: S.frames, bins: S.bins, data: S.imag))
        // Tolerance (issue, applied to each part): max |a - b| <= 1e-4 * max |b|.
        let bound = 1e-4 * max(maxAbs(real), maxAbs(imag))
        assertParity(maxAbsDifference(ours.0, real, "real"), bound, "stft real part", relativeTo: maxAbs(real))
        assertParity(maxAbsDifference(ours.1, imag, "imag"), bound, "stft imaginary part", relativeTo: maxAbs(imag))
    }

    func testPowerIsSquaredMagnitude() throws {
        let y = try Fixture.signal("chord_noise")
        try forEachCPURoute { route in
            let mag = try spectrogram(y, power: 1), pow2 = try spectrogram(y, power: 2), pow3 = try spectrogram(y, power: 3)
            let squared = FeatureMatrix(frames: mag.frames, bins: mag.bins, data: mag.data.map { $0 * $0 })
            let cubed = FeatureMatrix(frames: mag.frames, bins: mag.bins, data: mag.data.map { $0 * $0 * $0 })
            assertParity(maxAbsDifference(pow2, squared, "power"), 1e-5 * maxAbs(pow2), "power vs squared magnitude, \(route)")
            assertParity(maxAbsDifference(pow3, cubed, "power 3"), 1e-5 * maxAbs(pow3), "power 3 vs cubed magnitude, \(route)")
        }
        XCTAssertThrowsError(try spectrogram(y, power: 0)) { XCTAssertEqual(($0 as? DSPError)?.parameter, "power") }
    }

    /// Many threads sharing the plan cache give bit-identical results.
    func testConcurrentUseIsDeterministic() throws {
        let y = try Fixture.signal("one_second")
        let reference = try spectrogram(y, power: 2)
        let results = ResultBox(count: 8)
        DispatchQueue.concurrentPerform(iterations: 8) { i in
            let p = STFTParameters(nFFT: i % 2 == 0 ? 2048 : 1024 + 2 * i)  // also plans new sizes concurrently
            let s = try? spectrogram(y, parameters: p, power: 2)
            results.set(i, i % 2 == 0 ? s : reference)
        }
        for i in 0 ..< 8 { XCTAssertEqual(results.get(i), reference, "thread \(i)") }
    }
}

/// A lock-protected array for collecting results of concurrent work in tests.
final class ResultBox: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [FeatureMatrix?]
    init(count: Int) { values = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ v: FeatureMatrix?) { lock.lock(); values[i] = v; lock.unlock() }
    func get(_ i: Int) -> FeatureMatrix? { lock.lock(); defer { lock.unlock() }; return values[i] }
}
