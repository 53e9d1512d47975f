@testable import DSP
import XCTest

final class MelFilterbankTests: XCTestCase {
    func testFilterbanksMatchLibrosa() throws {
        let f = try Fixture.file("mel")
        let cases: [(String, MelParameters, Int)] = [
            ("slaney_16k", MelParameters(sampleRate: 16000, nMels: 40), 512),
            ("htk_none_16k", MelParameters(sampleRate: 16000, nMels: 40, fmin: 30, fmax: 7000, scale: .htk, norm: .none), 512),
            ("slaney_22k_fmin", MelParameters(sampleRate: 22050, nMels: 64, fmin: 50, fmax: 8000), 1024),
        ]
        for (name, params, nFFT) in cases {
            let expected = try Fixture.matrix(f, "filterbank/\(name)")
            let bank = try MelFilterbank(parameters: params, nFFT: nFFT)
            // Tolerance: weights to 1e-6 of the largest weight (both float32 from float64 math).
            assertParity(maxAbsDifference(bank.weights, expected, name), 1e-6 * maxAbs(expected), "filterbank \(name)", relativeTo: maxAbs(expected))
            // The sparse ranges cover exactly the nonzero weights.
            for m in 0 ..< bank.nMels {
                for k in 0 ..< bank.bins {
                    let inside = k >= bank.starts[m] && k < bank.starts[m] + bank.lengths[m]
                    if !inside { XCTAssertEqual(bank.weights[m, k], 0, "\(name) filter \(m) bin \(k)") }
                }
            }
        }
    }

    /// librosa's empty-filter warning appears exactly when librosa emits it.
    func testEmptyFilterWarningMatchesLibrosa() throws {
        let f = try Fixture.file("mel")
        let config = try f.openDataset("empty/config").read(as: Int64.self)
        let warns = try f.openDataset("empty/warns").read(as: Int64.self)
        XCTAssertTrue(warns.contains(1) && warns.contains(0), "fixture covers both outcomes")
        for i in 0 ..< warns.count {
            let bank = try MelFilterbank(parameters: MelParameters(sampleRate: Double(config[3 * i]), nMels: Int(config[3 * i + 2])),
                                         nFFT: Int(config[3 * i + 1]))
            XCTAssertEqual(bank.warnings == [MelFilterbank.emptyFilterWarning], warns[i] == 1, "config \(i)")
        }
    }

    func testInvalidParametersNameTheParameter() {
        func parameter(_ p: MelParameters, nFFT: Int = 2048) -> String? {
            do { _ = try MelFilterbank(parameters: p, nFFT: nFFT); return nil } catch { return (error as? DSPError)?.parameter }
        }
        XCTAssertEqual(parameter(MelParameters(fmax: 12000)), "fmax")
        XCTAssertEqual(parameter(MelParameters(fmin: 5000, fmax: 4000)), "fmax")
        XCTAssertEqual(parameter(MelParameters(nMels: 0)), "n_mels")
        XCTAssertEqual(parameter(MelParameters(fmin: -1)), "fmin")
        XCTAssertEqual(parameter(MelParameters(sampleRate: 0)), "sr")
        XCTAssertEqual(parameter(MelParameters(), nFFT: 0), "n_fft")
    }

    func testMelScaleRoundTrip() {
        for scale in MelScale.allCases {
            for hz in [0.0, 200, 999, 1000, 1001, 8000, 11025] {
                XCTAssertEqual(scale.hz(fromMel: scale.mel(fromHz: hz)), hz, accuracy: 1e-9 * max(1, hz))
            }
        }
        XCTAssertEqual(MelScale.slaney.mel(fromHz: 1000), 15, accuracy: 1e-12)
    }
}
