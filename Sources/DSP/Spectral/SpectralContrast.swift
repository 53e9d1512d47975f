import CSTFT
import Foundation

// Spectral contrast (Jiang et al. 2002), as librosa.feature.spectral_contrast computes it.

/// Spectral contrast of a magnitude spectrogram: for `nBands` octave bands from `fmin` plus the
/// band below it, the dB difference between the mean of the top and bottom `quantile` of each
/// band's sorted magnitudes. Returns `[frames x (nBands + 1)]`.
///
/// Each of the peak and valley matrices goes through librosa's `power_to_db` (amin 1e-10,
/// top_db 80 over the whole matrix) before the difference, as librosa does.
public func spectralContrast(magnitude S: FeatureMatrix, sampleRate: Double = 22050, fmin: Double = 200,
                             nBands: Int = 6, quantile: Double = 0.02) throws -> FeatureMatrix {
    let bands = try SpectralContrastBands(bins: S.bins, sampleRate: sampleRate, fmin: fmin, nBands: nBands, quantile: quantile)
    let (peak, valley) = bands.peaksAndValleys(S)
    return bands.contrast(frames: S.frames, peak: peak, valley: valley)
}

/// The octave bands of spectral contrast and the per-frame means of their top and bottom
/// quantiles (before `power_to_db`): what `spectralContrast` and its streamed form share.
struct SpectralContrastBands {
    /// Band k: the bins [lo, hi) it sorts and the count librosa's quantile index uses.
    private var bands: [(lo: Int, hi: Int, q: Int)] = []
    /// `nBands + 1`: the rows of the contrast matrix.
    let rows: Int
    let bins: Int

    init(bins: Int, sampleRate: Double, fmin: Double, nBands: Int, quantile: Double) throws {
        // librosa.feature.spectral_contrast raises ParameterError for these.
        try DSPError.requirePositive(nBands, "n_bands")
        guard quantile > 0, quantile < 1 else { throw DSPError.invalidParameter(parameter: "quantile", value: "\(quantile)", reason: "must be in (0, 1)") }
        guard fmin > 0, fmin.isFinite else { throw DSPError.invalidParameter(parameter: "fmin", value: "\(fmin)", reason: "must be a positive frequency") }
        let freq = binFrequencies(bins: bins, sampleRate: sampleRate)
        var octa = [Double](repeating: 0, count: nBands + 2)
        for i in 1 ..< nBands + 2 { octa[i] = fmin * pow(2, Double(i - 1)) }
        guard octa[nBands] < 0.5 * sampleRate else {
            throw DSPError.invalidParameter(parameter: "sr", value: "\(sampleRate)",
                reason: "the top contrast band starts at \(octa[nBands]) Hz (fmin \(fmin) x 2^\(nBands - 1)), at or above the Nyquist frequency \(0.5 * sampleRate) Hz; reduce fmin or n_bands")
        }
        for k in 0 ... nBands {
            let inBand = (0 ..< freq.count).filter { freq[$0] >= octa[k] && freq[$0] <= octa[k + 1] }
            guard let first = inBand.first, let last = inBand.last else {
                throw DSPError.invalidParameter(parameter: "n_fft", value: "\(2 * (bins - 1))",
                    reason: "no frequency bin falls in contrast band \(k) (\(octa[k]) to \(octa[k + 1]) Hz); use a larger n_fft")
            }
            var lo = first, hi = last + 1
            if k > 0 { lo -= 1 }
            if k == nBands { hi = freq.count }
            let count = hi - lo
            let q = max(1, Int((quantile * Double(count)).rounded(.toNearestOrEven)))
            if k < nBands { hi -= 1 }
            bands.append((lo, hi, q))
        }
        rows = nBands + 1
        self.bins = bins
    }

    /// The contrast matrix `[frames x rows]` from the flat peak and valley means: each through
    /// `power_to_db` over the whole matrix, then their difference.
    func contrast(frames: Int, peak: [Double], valley: [Double]) -> FeatureMatrix {
        let peakDb = powerToDbDouble(peak), valleyDb = powerToDbDouble(valley)
        return FeatureMatrix(frames: frames, bins: rows, data: zip(peakDb, valleyDb).map { Float($0 - $1) })
    }

    /// `peaksAndValleys(spectrogram(y, parameters: engine.parameters))` bit for bit where the CPU
    /// has melcnn's 16-frame transform (AVX2 or better; `melcnn_band_extremes16` takes each band
    /// of 16 power spectra at once, so no magnitude matrix is made); nil (nothing computed) where
    /// it has not, or when a band's quantile count is beyond that kernel's.
    func peaksAndValleys(_ y: [Float], engine: FrameSpectra) throws -> (peak: [Double], valley: [Double])? {
        precondition(engine.parameters.bins == bins, "SpectralContrastBands: the transform has \(engine.parameters.bins) bins, not \(bins)")
        let counts = bands.map { min($0.q, $0.hi - $0.lo) }
        guard counts.allSatisfy({ $0 >= 1 && $0 <= Int(MELCNN_BAND_EXTREMES16_MAX_Q) }) else { return nil }
        let frames = try engine.parameters.frameCount(length: y.count)
        var peak = [Double](repeating: 0, count: frames * rows)
        var valley = [Double](repeating: 0, count: frames * rows)
        var lowSums = [Double](repeating: 0, count: 16), highSums = [Double](repeating: 0, count: 16)
        let scratch = UnsafeMutablePointer<Float>.allocate(capacity: 32 * (counts.max() ?? 1))
        defer { scratch.deallocate() }
        var complete = true
        let ran = try engine.runPower16(y) { first, count, power in
            for k in bands.indices where complete {
                let band = bands[k], q = counts[k]
                guard melcnn_band_extremes16(power, band.lo, band.hi, q, &lowSums, &highSums, scratch) == 0 else {
                    complete = false
                    return
                }
                for l in 0 ..< count {
                    valley[(first + l) * rows + k] = lowSums[l] / Double(q)
                    peak[(first + l) * rows + k] = highSums[l] / Double(q)
                }
            }
        }
        return ran != nil && complete ? (peak, valley) : nil
    }

    /// Mean of the top (`peak`) and bottom (`valley`) quantile of each band of each frame of the
    /// magnitude `S` (`[frames x bins]`): two `[frames x rows]` matrices, flat.
    func peaksAndValleys(_ S: FeatureMatrix) -> (peak: [Double], valley: [Double]) {
        precondition(S.bins == bins, "SpectralContrastBands: the spectrogram has \(S.bins) bins, not \(bins)")
        var peak = [Double](repeating: 0, count: S.frames * rows)
        var valley = [Double](repeating: 0, count: S.frames * rows)
        let widest = bands.map { $0.q }.max() ?? 1
        let lows = UnsafeMutablePointer<Float>.allocate(capacity: widest)
        let highs = UnsafeMutablePointer<Float>.allocate(capacity: widest)
        defer { lows.deallocate(); highs.deallocate() }
        S.data.withUnsafeBufferPointer { s in
            valley.withUnsafeMutableBufferPointer { valley in
                peak.withUnsafeMutableBufferPointer { peak in
                    for t in 0 ..< S.frames {
                        let row = s.baseAddress! + t * S.bins
                        for k in 0 ..< bands.count {
                            let band = bands[k]
                            let x = row + band.lo
                            let n = band.hi - band.lo
                            let q = min(band.q, n)
                            var low = 0.0, high = 0.0
                            melcnn_band_extremes(x, n, q, lows, highs, &low, &high)
                            valley[t * rows + k] = low / Double(q)
                            peak[t * rows + k] = high / Double(q)
                        }
                    }
                }
            }
        }
        return (peak, valley)
    }
}

/// librosa.power_to_db with ref 1, amin 1e-10 and top_db 80 over the whole array, in Double.
func powerToDbDouble(_ x: [Double], amin: Double = 1e-10, topDB: Double = 80) -> [Double] {
    var out = x.map { decibelsDouble($0, amin: amin) }
    if let top = out.max() { let floor = top - topDB; for i in out.indices where out[i] < floor { out[i] = floor } }
    return out
}

/// `10 log10(max(amin, x))`: one value of `powerToDbDouble` before the top_db floor.
func decibelsDouble(_ x: Double, amin: Double = 1e-10) -> Double { 10 * log10(max(amin, x)) }

/// Spectral contrast of `y` (librosa.feature.spectral_contrast(y=...)), `[frames x (nBands + 1)]`:
/// `spectralContrast(magnitude: spectrogram(y))`, bit for bit; on CPUs with melcnn's 16-frame
/// transform the band ends come straight from blocks of power spectra.
public func spectralContrast(_ y: [Float], sampleRate: Double = 22050, fmin: Double = 200, nBands: Int = 6,
                             quantile: Double = 0.02, stft: STFTParameters = .init()) throws -> FeatureMatrix {
    let engine = try FrameSpectra(parameters: stft)
    let bands = try SpectralContrastBands(bins: stft.bins, sampleRate: sampleRate, fmin: fmin, nBands: nBands,
                                          quantile: quantile)
    if let (peak, valley) = try bands.peaksAndValleys(y, engine: engine) {
        return bands.contrast(frames: peak.count / bands.rows, peak: peak, valley: valley)
    }
    return try spectralContrast(magnitude: try spectrogram(y, engine: engine, power: 1), sampleRate: sampleRate, fmin: fmin,
                                nBands: nBands, quantile: quantile)
}
