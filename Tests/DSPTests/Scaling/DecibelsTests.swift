@testable import DSP
import XCTest

final class DecibelsTests: XCTestCase {
    /// On every CPU route: the C kernels (AVX-512, AVX2) and the Swift loop (generic).
    func testPowerToDbMatchesLibrosa() throws {
        let f = try Fixture.file("scaling")
        try forEachCPURoute { route in for name in ["chirp", "silence_edges", "one_second"] {
            let expected = try Fixture.matrix(f, "power_to_db/\(name)")
            let ours = try powerToDb(try melSpectrogram(try Fixture.signal(name)))
            // Tolerance (issue): dB values max abs error <= 1e-3 dB.
            assertParity(maxAbsDifference(ours, expected, name), 1e-3, "power_to_db \(name), \(route)")
            // The log-mel extractor gives the same values.
            let fused = try MelSpectrogramExtractor().logMelSpectrogram(try Fixture.signal(name))
            assertParity(maxAbsDifference(fused, expected, name), 1e-3, "log-mel extractor \(name), \(route)")
        } }
    }

    func testReferenceAminAndTopDbOptions() throws {
        let f = try Fixture.file("scaling")
        let mel = try melSpectrogram(try Fixture.signal("silence_edges"))
        try forEachCPURoute { route in
            // Tolerance (issue): 1e-3 dB.
            let refMax = try powerToDb(mel, ref: .max, topDB: nil)
            assertParity(maxAbsDifference(refMax, try Fixture.matrix(f, "power_to_db_refmax_notop"), "ref max"), 1e-3, "power_to_db ref max, no top_db")
            let custom = try powerToDb(mel, ref: .value(0.01), amin: 1e-6, topDB: 40)
            assertParity(maxAbsDifference(custom, try Fixture.matrix(f, "power_to_db_ref_amin"), "ref amin"), 1e-3, "power_to_db ref 0.01 amin 1e-6 top_db 40")
            let mag = try spectrogram(try Fixture.signal("chord_noise"), parameters: STFTParameters(nFFT: 512, hopLength: 256))
            let amp = try amplitudeToDb(mag, ref: .max)
            assertParity(maxAbsDifference(amp, try Fixture.matrix(f, "amplitude_to_db_refmax"), "amplitude"), 1e-3, "amplitude_to_db ref max, \(route)")
        }
    }

    func testDbToPowerMatchesLibrosa() throws {
        let f = try Fixture.file("scaling")
        let input = try Fixture.matrix(f, "db_to_power/input"), expected = try Fixture.matrix(f, "db_to_power/output")
        // Tolerance: relative 1e-6 of the largest value (float32 exponentials).
        assertParity(maxAbsDifference(dbToPower(input, ref: 2), expected, "db_to_power"), 1e-6 * maxAbs(expected), "db_to_power", relativeTo: maxAbs(expected))
        // dbToAmplitude inverts amplitudeToDb above the clip.
        let a = FeatureMatrix(frames: 1, bins: 3, data: [0.5, 1, 2])
        let back = dbToAmplitude(try amplitudeToDb(a, topDB: nil))
        assertParity(maxAbsDifference(back, a, "amplitude round trip"), 1e-5, "db_to_amplitude(amplitude_to_db)")
    }

    func testInvalidArguments() {
        let m = FeatureMatrix(frames: 1, bins: 2, data: [1, 2])
        XCTAssertThrowsError(try powerToDb(m, amin: 0)) { XCTAssertEqual(($0 as? DSPError)?.parameter, "amin") }
        XCTAssertThrowsError(try powerToDb(m, topDB: -1)) { XCTAssertEqual(($0 as? DSPError)?.parameter, "top_db") }
    }
}
