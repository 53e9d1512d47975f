@testable import DSP
import XCTest

/// Spectral contrast's selection of the lowest and highest `quantile` of each band against
/// librosa's definition written out directly (np.sort of every band, means of its ends), for
/// quantiles whose low and high sets overlap in the narrow bands, on random spectra with ties.
final class SpectralContrastTests: XCTestCase {
    func reference(_ S: FeatureMatrix, sampleRate sr: Double, quantile: Double) -> [Float] {
        let freq = (0 ..< S.bins).map { Double($0) * sr / Double(2 * (S.bins - 1)) }
        let octa = [0.0] + (0 ... 6).map { 200 * pow(2, Double($0)) }
        var peak = [Double](), valley = [Double]()
        for t in 0 ..< S.frames {
            for k in 0 ... 6 {
                var member = freq.map { $0 >= octa[k] && $0 <= octa[k + 1] }
                let idx = member.indices.filter { member[$0] }
                if k > 0 { member[idx.first! - 1] = true }
                if k == 6 { for i in (idx.last! + 1) ..< member.count { member[i] = true } }
                var band = member.indices.filter { member[$0] }.map { Double(S[t, $0]) }
                if k < 6 { band.removeLast() }
                let q = min(band.count, max(1, Int((quantile * Double(member.filter { $0 }.count)).rounded(.toNearestOrEven))))
                band.sort()
                valley.append(band.prefix(q).reduce(0, +) / Double(q))
                peak.append(band.suffix(q).reduce(0, +) / Double(q))
            }
        }
        return zip(powerToDbDouble(peak), powerToDbDouble(valley)).map { Float($0 - $1) }
    }

    func testSelectionMatchesSortedBands() throws {
        var rng = SystemRandomNumberGenerator()
        var S = FeatureMatrix(frames: 6, bins: 129)
        for i in S.data.indices { S.data[i] = Float(Int.random(in: 1 ... 40, using: &rng)) / 8 }
        for t in 0 ..< 3 { for k in 0 ..< 129 { S[t, k] *= Float(129 - k) } }   // falling spectra
        for quantile in [0.02, 0.2, 0.45, 0.7] {
            let ours = try spectralContrast(magnitude: S, sampleRate: 22050, quantile: quantile)
            let expected = reference(S, sampleRate: 22050, quantile: quantile)
            for (a, b) in zip(ours.data, expected) { XCTAssertEqual(a, b, accuracy: 1e-4, "quantile \(quantile)") }
        }
    }

    /// From audio, `spectralContrast(y)` is `spectralContrast(magnitude: spectrogram(y))` bit for
    /// bit on every CPU route (AVX2 and AVX-512 take the band ends straight from 16-frame power
    /// blocks): frame counts that leave a partial last block, n_fft 2048 and 512, and a quantile
    /// whose counts are beyond melcnn_band_extremes16 (the magnitude path then).
    func testFromAudioEqualsFromMagnitudes() throws {
        let song = Array(try FeatureFixture("song").audio().prefix(22050 * 3 + 777))
        try forEachCPURoute { route in
            for (parameters, quantile) in [(STFTParameters(), 0.02), (STFTParameters(nFFT: 512, hopLength: 128), 0.1),
                                           (STFTParameters(), 0.3)] {
                for y in [song, Array(song.prefix(5 * 512 + 3))] {
                    let direct = try spectralContrast(y, quantile: quantile, stft: parameters)
                    let viaMagnitude = try spectralContrast(magnitude: try spectrogram(y, parameters: parameters), quantile: quantile)
                    XCTAssertEqual(direct, viaMagnitude, "\(route), n_fft \(parameters.nFFT), quantile \(quantile), \(y.count) samples")
                }
            }
        }
    }
}
