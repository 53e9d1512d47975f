@testable import DSP
import Foundation
import HDF5
import XCTest

/// The clips of `Tests/Fixtures/cqt.h5` (written by `generate_cqt_fixtures.py`, librosa 0.11.0).
struct CQTFixture {
    static let clips = ["chord", "chirp", "song"]
    let file: H5File
    let group: H5Group
    let name: String

    init(_ name: String) throws {
        file = try H5File.open(FeatureFixture.directory.appendingPathComponent("cqt.h5").path)
        group = try file.openGroup(name)
        self.name = name
    }

    /// The clip as librosa saw it: int16 / 32768 in float32.
    func audio() throws -> [Float] { try group.openDataset("audio").read(as: Int16.self).map { Float($0) / 32768 } }

    func matrix(_ path: String) throws -> FeatureMatrix {
        let d = try group.openDataset(path)
        let shape = try d.shape
        return FeatureMatrix(frames: shape[0], bins: shape[1], data: try d.read(as: Float.self))
    }
}

/// Asserts `max |a - e| <= fraction x scale` with matching shapes and returns the ratio error / scale.
@discardableResult
func assertCQTParity(_ actual: FeatureMatrix, _ expected: FeatureMatrix, scale: Float, fraction: Float,
                     _ label: String, file: StaticString = #filePath, line: UInt = #line) -> Float {
    let error = maxAbsDifference(actual, expected, label, file: file, line: line)
    assertParity(error, fraction * scale, label, relativeTo: scale, file: file, line: line)
    return error / scale
}

final class CQTTests: XCTestCase {
    /// Tolerance of the issue: CQT magnitude <= 1e-3 x its maximum.
    let cqtFraction: Float = 1e-3

    func testResamplingBetweenOctavesMatchesLibrosa() throws {
        let fixture = try CQTFixture("song")
        let expected = try fixture.group.openDataset("resample_half").read(as: Float.self)
        let ours = try downsampleScaled(fixture.audio(), factor: 2, quality: .high)
        XCTAssertEqual(ours.count, expected.count)
        let error = zip(ours, expected).reduce(Float(0)) { max($0, abs($1.0 - $1.1)) }
        assertParity(error, 1e-6, "cqt resample 2:1 (soxr_hq, scale=True)")
    }

    func testCQTMagnitudeMatchesLibrosa() throws {
        for clip in CQTFixture.clips {
            let fixture = try CQTFixture(clip)
            let expected = try fixture.matrix("cqt")
            let ours = try cqtMagnitude(fixture.audio())
            assertCQTParity(ours, expected, scale: maxAbs(expected), fraction: cqtFraction, "cqt \(clip) (x max)")
        }
    }

    /// tuning=None (estimated), 24 bins per octave from C2, hop 256: two early 2:1 downsamplings.
    func testCQTWithEarlyDownsamplingAndEstimatedTuning() throws {
        let fixture = try CQTFixture("song")
        let expected = try fixture.matrix("cqt_early")
        let parameters = CQTParameters(hopLength: 256, fmin: 65.40639132514966, nBins: 72, binsPerOctave: 24, tuning: nil)
        let ours = try cqtMagnitude(fixture.audio(), parameters: parameters)
        assertCQTParity(ours, expected, scale: maxAbs(expected), fraction: cqtFraction, "cqt song early downsampling (x max)")
    }

    /// hop 300 = 4 x 75: two resamplings, then the last five octaves at 5512.5 Hz; no length scaling,
    /// max-normalised filters, no sparsification.
    func testCQTWithOddHopNoScaleMaxNormDenseBasis() throws {
        let fixture = try CQTFixture("song")
        let expected = try fixture.matrix("cqt_hop300")
        let parameters = CQTParameters(hopLength: 300, norm: .max, sparsity: 0, scale: false)
        let ours = try cqtMagnitude(fixture.audio(), parameters: parameters)
        assertCQTParity(ours, expected, scale: maxAbs(expected), fraction: cqtFraction, "cqt song hop 300 (x max)")
    }

    /// Compares `compute(audio)` with dataset `name` of every clip, within 1e-3 x the expected range.
    private func assertClipsMatch(_ name: String, _ compute: ([Float]) throws -> FeatureMatrix) throws {
        for clip in CQTFixture.clips {
            let fixture = try CQTFixture(clip)
            let expected = try fixture.matrix(name)
            let ours = try compute(fixture.audio())
            assertCQTParity(ours, expected, scale: valueRange(expected), fraction: 1e-3, "\(name) \(clip) (x range)")
        }
    }

    func testChromaCQTMatchesLibrosa() throws { try assertClipsMatch("chroma_cqt") { try chromaCQT($0) } }

    func testTonnetzMatchesLibrosa() throws { try assertClipsMatch("tonnetz") { try tonnetz($0) } }

    /// The tuning chroma_cqt estimates (36 bins per octave) is librosa's to within 0.01 bin.
    func testEstimatedTuningAt36BinsPerOctave() throws {
        for clip in CQTFixture.clips {
            let fixture = try CQTFixture(clip)
            let expected = try fixture.group.attributes.read("tuning36", as: Double.self)
            let ours = estimateTuning(spectrogram: try spectrogram(fixture.audio(), power: 1), binsPerOctave: 36)
            XCTAssertEqual(ours, expected, accuracy: 0.01, clip)
        }
    }

    /// Signals of 1 to 2047 samples: librosa's frame counts (1 + n / 512) and values.
    func testShortSignalsMatchLibrosa() throws {
        let file = try H5File.open(FeatureFixture.directory.appendingPathComponent("cqt.h5").path)
        let group = try file.openGroup("short")
        func stored(_ name: String) throws -> FeatureMatrix {
            let d = try group.openDataset(name)
            let shape = try d.shape
            return FeatureMatrix(frames: shape[0], bins: shape[1], data: try d.read(as: Float.self))
        }
        for n in [1, 7, 100, 513, 2047] {
            let y = (0 ..< n).map { Float(sin(Double($0) * 0.3)) }
            let expected = try stored("cqt_\(n)")
            let ours = try cqtMagnitude(y)
            assertCQTParity(ours, expected, scale: max(maxAbs(expected), 1e-6), fraction: cqtFraction, "cqt \(n) samples (x max)")
            let chroma = try stored("chroma_cqt_\(n)")
            assertCQTParity(try chromaCQT(y), chroma, scale: max(valueRange(chroma), 1e-6), fraction: 1e-3,
                            "chroma_cqt \(n) samples (x range)")
        }
    }

    func testFrequenciesAndBandwidths() {
        let f = cqtFrequencies(nBins: 84, fmin: noteC1Hz)
        XCTAssertEqual(noteC1Hz, 32.70319566257483, accuracy: 1e-12)
        XCTAssertEqual(f[9 + 36], 440, accuracy: 1e-9)                 // A4
        XCTAssertEqual(f[83], noteC1Hz * pow(2, 83.0 / 12), accuracy: 1e-9)
        let alpha = relativeBandwidths(f)
        let r = pow(2.0, 1.0 / 12)
        for a in alpha { XCTAssertEqual(a, (r * r - 1) / (r * r + 1), accuracy: 1e-12) }
        let (lengths, cutoff) = waveletLengths(freqs: f, sampleRate: 22050, alpha: alpha)
        XCTAssertEqual(lengths[0], 22050 / (alpha[0] * f[0]), accuracy: 1e-6)
        XCTAssertEqual(cutoff, f[83] * (1 + 0.5 * 1.50018310546875 * alpha[83]), accuracy: 1e-9)
    }

    /// The FFT used for the filter bank agrees with a direct DFT.
    func testFilterFFTAgainstDirectDFT() {
        let n = 16
        let xr = (0 ..< n).map { sin(Double($0) * 0.7) + 0.1 * Double($0) }, xi = (0 ..< n).map { cos(Double($0) * 1.3) }
        var re = xr, im = xi
        fftInPlace(&re, &im)
        for k in 0 ..< n {
            var sr = 0.0, si = 0.0
            for j in 0 ..< n {
                let a = -2 * Double.pi * Double(j * k) / Double(n)
                sr += xr[j] * cos(a) - xi[j] * sin(a)
                si += xr[j] * sin(a) + xi[j] * cos(a)
            }
            XCTAssertEqual(re[k], sr, accuracy: 1e-12)
            XCTAssertEqual(im[k], si, accuracy: 1e-12)
        }
    }

    /// A steady 440 Hz tone peaks in the A4 bin of the CQT and in chroma A.
    func testPureToneLandsInItsBin() throws {
        let y = (0 ..< 22050).map { Float(0.5 * sin(2 * Double.pi * 440 * Double($0) / 22050)) }
        let C = try cqtMagnitude(y)
        XCTAssertEqual(C.frames, 1 + 22050 / 512)
        let mid = Array(C.frame(C.frames / 2))
        XCTAssertEqual(mid.firstIndex(of: mid.max()!), 45)
        let chroma = try chromaCQT(y, tuning: 0)
        let row = Array(chroma.frame(chroma.frames / 2))
        XCTAssertEqual(row.firstIndex(of: 1), 9)
    }

    func testInvalidParametersAreErrors() {
        XCTAssertThrowsError(try cqt([Float](repeating: 0.1, count: 2048), parameters: .init(nBins: 120))) {
            XCTAssertEqual(($0 as? DSPError)?.parameter, "n_bins")
        }
        XCTAssertThrowsError(try cqt([]))
        XCTAssertThrowsError(try chromaCQT([0, .nan, 1]))        // librosa: "Audio buffer is not finite everywhere"
        XCTAssertThrowsError(try cqt([0, 1], parameters: .init(hopLength: 0))) {
            XCTAssertEqual(($0 as? DSPError)?.parameter, "hop_length")
        }
        XCTAssertThrowsError(try cqt([0, 1], parameters: .init(sparsity: 1))) {
            XCTAssertEqual(($0 as? DSPError)?.parameter, "sparsity")
        }
        XCTAssertThrowsError(try chromaCQT([0, 1], nChroma: 12, binsPerOctave: 30)) {
            XCTAssertEqual(($0 as? DSPError)?.parameter, "bins_per_octave")
        }
    }
}

final class ChromaCQTTests: XCTestCase {
    /// librosa.filters.cq_to_chroma(252, bins_per_octave=36): chroma c takes bins 3c - 1 ... 3c + 1
    /// of every octave (bin 35 of an octave belongs to the next C).
    func testCqToChromaFoldsThreeBinsPerPitchClass() throws {
        let m = try cqToChroma(nInput: 252, binsPerOctave: 36)
        XCTAssertEqual(m.frames, 252)
        XCTAssertEqual(m.bins, 12)
        for i in 0 ..< 252 {
            let row = Array(m.frame(i))
            XCTAssertEqual(row.reduce(0, +), 1)
            XCTAssertEqual(row.firstIndex(of: 1), ((i % 36 + 1) / 3) % 12, "bin \(i)")
        }
        // Starting from A: A is chroma 0.
        let a = try cqToChroma(nInput: 12, binsPerOctave: 12, fmin: 440)
        XCTAssertEqual(Array(a.frame(0)).firstIndex(of: 1), 9)
        let aBase = try cqToChroma(nInput: 12, binsPerOctave: 12, fmin: 440, baseC: false)
        XCTAssertEqual(Array(aBase.frame(0)).firstIndex(of: 1), 0)
    }

    func testChromaFromMagnitudesNormalisesEachFrame() throws {
        var C = FeatureMatrix(frames: 2, bins: 36)
        C[0, 0] = 2; C[0, 1] = 1; C[0, 35] = 1; C[0, 7] = 1     // C: bins 35, 0, 1; D: bins 5 ... 7
        let chroma = try chromaCQT(cqtMagnitude: C)
        XCTAssertEqual(Array(chroma.frame(0)), [1, 0, 0.25, 0, 0, 0, 0, 0, 0, 0, 0, 0])
        XCTAssertEqual(Array(chroma.frame(1)), [Float](repeating: 0, count: 12))   // silent frame left as is
    }
}

final class TonnetzTests: XCTestCase {
    /// A single pitch class maps to its column of the projection; a uniform chroma to (almost) 0.
    func testProjectionOfSinglePitchClasses() {
        var chroma = FeatureMatrix(frames: 2, bins: 12)
        chroma[0, 7] = 0.5                                             // G
        for c in 0 ..< 12 { chroma[1, c] = 1 }
        let t = tonnetz(chroma: chroma)
        let expected: [Double] = [sin(Double.pi * 7 * 7 / 6), cos(Double.pi * 7 * 7 / 6),
                                  sin(Double.pi * 7 * 3 / 2), cos(Double.pi * 7 * 3 / 2),
                                  0.5 * sin(Double.pi * 7 * 2 / 3), 0.5 * cos(Double.pi * 7 * 2 / 3)]
        for r in 0 ..< 6 {
            XCTAssertEqual(Double(t[0, r]), expected[r], accuracy: 1e-6, "row \(r)")
            XCTAssertEqual(t[1, r], 0, accuracy: 1e-6)
        }
    }
}
