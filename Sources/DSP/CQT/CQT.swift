import Audio
import Foundation

// The constant-Q transform by recursive 2:1 downsampling (librosa.cqt -> librosa.vqt with gamma = 0;
// Schoerkhuber & Klapuri 2010, "Constant-Q transform toolbox for music processing").

/// Parameters of the constant-Q transform, with librosa 0.11's defaults (`librosa.cqt`):
/// 84 bins from C1 (32.70 Hz), 12 per octave, hop 512 at 22050 Hz, no tuning offset,
/// Hann-windowed filters of unit L1 norm, 1% sparsity, length scaling, zero padding, soxr HQ.
public struct CQTParameters: Equatable, Sendable {
    /// Sampling rate of the signal (Hz).
    public var sampleRate: Double
    /// Samples between successive CQT frames. Each 2:1 resampling between octaves halves it,
    /// so it should be divisible by `2^(octaves - 1)`; once it is odd the remaining octaves are
    /// filtered at the current rate (as librosa does).
    public var hopLength: Int
    /// Centre frequency of the lowest bin before tuning (Hz); nil means C1 (32.70 Hz).
    public var fmin: Double?
    /// Number of bins.
    public var nBins: Int
    /// Bins per octave.
    public var binsPerOctave: Int
    /// Tuning offset in fractions of a bin: `fmin` becomes `fmin * 2^(tuning / binsPerOctave)`.
    /// nil estimates it from the signal (``estimateTuning(spectrogram:sampleRate:resolution:binsPerOctave:)``
    /// on `|stft(y)|`), as librosa's `tuning=None`.
    public var tuning: Double?
    /// Filter length scale (`< 1` shortens the filters).
    public var filterScale: Double
    /// Normalisation of each time-domain filter.
    public var norm: VectorNorm
    /// Fraction of each filter's frequency-domain L1 mass that may be dropped (`0 <= s < 1`).
    public var sparsity: Double
    /// Window of the filters.
    public var window: WindowKind
    /// Divide every bin by the square root of its filter length (librosa `scale=True`).
    public var scale: Bool
    /// Padding of the per-octave STFTs.
    public var padMode: PadMode
    /// libsoxr recipe of the 2:1 resamplings (librosa's `res_type`).
    public var resType: Resampler.Quality

    /// librosa.cqt's defaults for anything not given.
    public init(sampleRate: Double = 22050, hopLength: Int = 512, fmin: Double? = nil, nBins: Int = 84,
                binsPerOctave: Int = 12, tuning: Double? = 0, filterScale: Double = 1, norm: VectorNorm = .lp(1),
                sparsity: Double = 0.01, window: WindowKind = .hann, scale: Bool = true,
                padMode: PadMode = .constant, resType: Resampler.Quality = .high) {
        self.sampleRate = sampleRate
        self.hopLength = hopLength
        self.fmin = fmin
        self.nBins = nBins
        self.binsPerOctave = binsPerOctave
        self.tuning = tuning
        self.filterScale = filterScale
        self.norm = norm
        self.sparsity = sparsity
        self.window = window
        self.scale = scale
        self.padMode = padMode
        self.resType = resType
    }

    /// Number of octaves the bins span, `ceil(nBins / binsPerOctave)`.
    public var octaves: Int { (nBins + binsPerOctave - 1) / binsPerOctave }

    /// Throws ``DSPError/invalidParameter(parameter:value:reason:)`` (librosa's parameter name) for a
    /// value out of range.
    public func validate() throws {
        func bad(_ name: String, _ value: Any, _ reason: String) -> DSPError {
            .invalidParameter(parameter: name, value: "\(value)", reason: reason)
        }
        guard sampleRate > 0, sampleRate.isFinite else { throw bad("sr", sampleRate, "must be a positive number") }
        try DSPError.requirePositive(hopLength, "hop_length")
        try DSPError.requirePositive(nBins, "n_bins")
        try DSPError.requirePositive(binsPerOctave, "bins_per_octave")
        if let fmin, !(fmin > 0 && fmin.isFinite) { throw bad("fmin", fmin, "must be a positive frequency") }
        if let tuning, !tuning.isFinite { throw bad("tuning", tuning, "must be a finite number of bins") }
        guard filterScale > 0, filterScale.isFinite else { throw bad("filter_scale", filterScale, "must be positive") }
        guard sparsity >= 0, sparsity < 1 else { throw bad("sparsity", sparsity, "must be in [0, 1)") }
        if case .lp(let p) = norm, !(p > 0 && p.isFinite) { throw bad("norm", p, "must be positive") }
    }
}

/// Complex constant-Q transform of `y` (librosa.cqt), `[frames x nBins]` split complex, bin 0 the
/// lowest frequency; frames are centred on `t * hopLength` (`1 + n / hopLength` of them, less if
/// an odd hop stops the recursion early). Magnitudes: ``cqtMagnitude(_:parameters:)``.
///
/// librosa's algorithm: the tuned centre frequencies `fmin 2^(k / bpo)`, optional early
/// downsampling of the whole signal when the top filter is far below Nyquist, then one octave at
/// a time from the top: that octave's filters as a sparse matrix in the frequency domain times an
/// STFT (rectangular window, FFT size the filters' power-of-two length), then a 2:1 soxr
/// resampling (scaled by sqrt 2) and a halved hop for the next octave. With `scale`, each bin is
/// divided by the square root of its filter length.
/// ```swift
/// let C = try cqtMagnitude(y)                                         // [frames x 84], C1..B7
/// let C2 = try cqt(y, parameters: .init(nBins: 72, binsPerOctave: 24, tuning: nil))
/// ```
public func cqt(_ y: [Float], parameters p: CQTParameters = .init()) throws -> ComplexSpectrogram {
    try p.validate()
    guard !y.isEmpty else { throw DSPError.invalidInput("cqt: the signal is empty") }
    guard y.allSatisfy(\.isFinite) else { throw DSPError.invalidInput("cqt: the signal is not finite everywhere") }
    let tuning = try p.tuning ?? estimateTuning(spectrogram: spectrogram(y, power: 1),
                                                sampleRate: p.sampleRate, binsPerOctave: p.binsPerOctave)
    let plan = try CQTPlan(parameters: p, tuning: tuning)

    var signal = y
    if plan.early > 0 {
        guard y.count >= plan.earlyFactor else {
            throw DSPError.invalidInput("cqt: input signal length=\(y.count) is too short for \(p.octaves)-octave CQT")
        }
        signal = try downsampleScaled(signal, factor: plan.earlyFactor, quality: p.resType)
        plan.applyEarlyGain(&signal)
    }

    // One octave at a time, from the top (constantq.vqt's loop and __trim_stack).
    var octaves: [(low: Int, response: ComplexSpectrogram)] = []
    var octaveSignal = signal
    for (i, octave) in plan.octaves.enumerated() {
        if i > 0, octave.level > plan.octaves[i - 1].level {
            octaveSignal = try downsampleScaled(octaveSignal, factor: 2, quality: p.resType)
        }
        octaves.append((octave.low, try octaveResponse(octaveSignal, basis: octave.basis, hopLength: octave.hop, padMode: p.padMode)))
    }
    let frames = octaves.map(\.response.frames).min() ?? 0
    var out = ComplexSpectrogram(frames: frames, bins: p.nBins, real: [Float](repeating: 0, count: frames * p.nBins),
                                 imag: [Float](repeating: 0, count: frames * p.nBins))
    for (low, r) in octaves { plan.place(r, firstFrame: 0, frames: frames, low: low, into: &out) }
    return out
}

/// What `cqt` derives from its parameters and tuning before it looks at the signal: the bins'
/// frequencies and filter lengths, the early downsampling, and per octave (top first) its bins,
/// filters, hop and resampling level. `cqt` and `StreamingCQT` share it.
struct CQTPlan {
    struct Octave {
        /// First bin of the octave; `basis.rows` bins from there.
        var low: Int
        var basis: CQTOctaveBasis
        var hop: Int
        /// How many 2:1 resamplings after the early downsampling feed this octave.
        var level: Int
    }

    let parameters: CQTParameters
    /// Early 2:1 steps (constantq.__early_downsample) and their factor `2^early`.
    let early: Int
    var earlyFactor: Int { 1 << early }
    let octaves: [Octave]
    /// Per bin: the divisor of `scale` (the square root of its filter length), or 1.
    let divisor: [Double]

    init(parameters p: CQTParameters, tuning: Double) throws {
        parameters = p
        let nBins = p.nBins, bpo = p.binsPerOctave, nOctaves = p.octaves
        let nFilters = min(bpo, nBins)
        let fmin = (p.fmin ?? noteC1Hz) * pow(2.0, tuning / Double(bpo))
        guard fmin.isFinite, fmin > 0 else {
            // A huge |tuning| moves the lowest bin to 0 Hz or infinity.
            throw DSPError.invalidParameter(parameter: "tuning", value: "\(tuning)",
                reason: "moves the lowest bin to \(fmin) Hz; expected a fraction of a bin such as -0.2")
        }
        let freqs = cqtFrequencies(nBins: nBins, fmin: fmin, binsPerOctave: bpo)
        let alpha = nBins == 1 ? [equalTemperedRelativeBandwidth(binsPerOctave: bpo)] : relativeBandwidths(freqs)
        let (allLengths, cutoff) = waveletLengths(freqs: freqs, sampleRate: p.sampleRate, window: p.window,
                                                  filterScale: p.filterScale, alpha: alpha)
        if let longest = allLengths.max(), !(longest <= Double(STFTParameters.maximumFFTSize)) {
            throw DSPError.invalidParameter(parameter: "fmin", value: "\(fmin)",
                reason: "with bins_per_octave = \(bpo) the lowest filter would be \(longest < 1e15 ? "\(Int(longest))" : "\(longest)") samples long (more than \(STFTParameters.maximumFFTSize)); use a higher fmin or fewer bins per octave")
        }
        let nyquist = p.sampleRate / 2
        if !(cutoff <= nyquist) {
            throw DSPError.invalidParameter(parameter: "n_bins", value: "\(nBins)",
                reason: "the filters reach \(cutoff) Hz, above the Nyquist frequency \(nyquist) Hz; use fewer bins or a lower fmin")
        }
        // Early downsampling (constantq.__early_downsample): as many 2:1 steps as the top filter
        // and the hop's factors of two allow.
        let byCutoff = max(0, Int((log2(nyquist / cutoff)).rounded(.up) - 1) - 1)
        let byHop = max(0, p.hopLength.trailingZeroBitCount - nOctaves + 1)
        early = min(byCutoff, byHop)
        let sr = p.sampleRate / Double(1 << early)
        var octaves: [Octave] = []
        var rate = sr, hop = p.hopLength >> early, level = 0
        for i in 0 ..< nOctaves {
            let high = nBins - i * nFilters, low = max(0, nBins - (i + 1) * nFilters)
            let basis = CQTBasisCache.shared.basis(
                sampleRate: rate, freqs: Array(freqs[low ..< high]), alpha: Array(alpha[low ..< high]),
                filterScale: p.filterScale, norm: p.norm, sparsity: p.sparsity, window: p.window,
                gain: (sr / rate).squareRoot())
            octaves.append(Octave(low: low, basis: basis, hop: hop, level: level))
            if i + 1 < nOctaves, hop % 2 == 0 {
                hop /= 2
                rate /= 2
                level += 1
            }
        }
        self.octaves = octaves
        // V /= sqrt(lengths), the lengths at the rate after early downsampling.
        let lengths = waveletLengths(freqs: freqs, sampleRate: sr, window: p.window, filterScale: p.filterScale,
                                     alpha: alpha).lengths
        divisor = p.scale ? lengths.map { $0.squareRoot() } : [Double](repeating: 1, count: nBins)
    }

    /// Without `scale`, the early-downsampled signal is multiplied back by `sqrt(factor)`.
    func applyEarlyGain(_ signal: inout [Float]) {
        guard !parameters.scale else { return }
        let gain = Double(earlyFactor).squareRoot()
        for i in signal.indices { signal[i] = Float(Double(signal[i]) * gain) }
    }

    /// Writes frames `firstFrame ..< firstFrame + frames` of one octave's response `r` (its rows
    /// from `r`'s frame 0) into bins `low...` of `out`'s frames `0 ..< frames`, divided by `divisor`.
    func place(_ r: ComplexSpectrogram, firstFrame: Int, frames: Int, low: Int, into out: inout ComplexSpectrogram) {
        let nBins = out.bins
        for t in 0 ..< frames {
            for k in 0 ..< r.bins {
                let d = divisor[low + k], src = (firstFrame + t) * r.bins + k
                out.real[t * nBins + low + k] = Float(Double(r.real[src]) / d)
                out.imag[t * nBins + low + k] = Float(Double(r.imag[src]) / d)
            }
        }
    }
}

/// `|cqt(y)|`, `[frames x nBins]` (librosa `np.abs(librosa.cqt(y, ...))`).
public func cqtMagnitude(_ y: [Float], parameters: CQTParameters = .init()) throws -> FeatureMatrix {
    try cqt(y, parameters: parameters).magnitude()
}

/// `librosa.resample(y, orig_sr=factor, target_sr=1, res_type=..., scale=True)`: soxr, cut or
/// padded to `ceil(n / factor)`, then divided by `sqrt(1 / factor)` in double precision.
func downsampleScaled(_ y: [Float], factor: Int, quality: Resampler.Quality) throws -> [Float] {
    var out: [Float]
    do {
        out = try Resampler.resample(y, from: Double(factor), to: 1, quality: quality)
    } catch {
        throw DSPError.invalidInput("cqt: resampling failed: \(error)")
    }
    let divisor = (1 / Double(factor)).squareRoot()
    for i in out.indices { out[i] = Float(Double(out[i]) / divisor) }
    return out
}

/// One octave's filter responses (constantq.__cqt_response): the centred STFT of `y` with a
/// rectangular window of `basis.nFFT` points, each frame multiplied by the sparse basis.
/// `[frames x basis.rows]` split complex.
func octaveResponse(_ y: [Float], basis: CQTOctaveBasis, hopLength: Int, padMode: PadMode) throws -> ComplexSpectrogram {
    let engine = try FrameSpectra(parameters: STFTParameters(nFFT: basis.nFFT, hopLength: hopLength,
                                                             window: .rectangular, center: true, padMode: padMode))
    return try basisResponse(y, engine: engine, basis: basis, frames: try engine.parameters.frameCount(length: y.count))
}

/// The `frames` frames of `engine` over `y`, each spectrum multiplied by the sparse `basis`:
/// `[frames x basis.rows]` split complex (`octaveResponse`, and `StreamingCQT` on its segments).
func basisResponse(_ y: [Float], engine: FrameSpectra, basis: CQTOctaveBasis, frames: Int) throws -> ComplexSpectrogram {
    let rows = basis.rows
    var real = [Float](repeating: 0, count: frames * rows), imag = real
    try basis.real.withUnsafeBufferPointer { br in
        try basis.imag.withUnsafeBufferPointer { bi in
            try real.withUnsafeMutableBufferPointer { outRe in
                try imag.withUnsafeMutableBufferPointer { outIm in
                    _ = try engine.run(y) { first, count, spectra, rowStride in
                        for f in 0 ..< count {
                            let o = (first + f) * rows
                            for k in 0 ..< rows {
                                let w = basis.rowStart[k], n = basis.rowStart[k + 1] - w
                                let (re, im) = Kernels.complexDot(spectra + f * rowStride + 2 * basis.firstBin[k],
                                                                  br.baseAddress! + w, bi.baseAddress! + w, n)
                                outRe[o + k] = re
                                outIm[o + k] = im
                            }
                        }
                    }
                }
            }
        }
    }
    return ComplexSpectrogram(frames: frames, bins: rows, real: real, imag: imag)
}
