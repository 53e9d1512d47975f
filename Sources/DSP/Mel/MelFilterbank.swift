import CSTFT

/// Normalisation of the mel filters (librosa `filters.mel(norm=...)`).
public enum MelNorm: String, CaseIterable, Sendable {
    /// Area normalisation: filter `i` scaled by `2 / (f[i+2] - f[i])` (Slaney), the default.
    case slaney
    /// Unit peak triangles (`norm=None`).
    case none
}

/// Parameters of a mel filterbank, librosa 0.11's defaults: 128 bands from 0 Hz
/// to `sampleRate / 2`, Slaney scale, Slaney area normalisation.
public struct MelParameters: Equatable, Sendable {
    /// Sample rate of the audio in Hz.
    public var sampleRate: Double
    /// Number of mel bands.
    public var nMels: Int
    /// Lowest band edge in Hz.
    public var fmin: Double
    /// Highest band edge in Hz; `nil` means `sampleRate / 2`.
    public var fmax: Double?
    /// Mel scale (Slaney or HTK).
    public var scale: MelScale
    /// Filter normalisation.
    public var norm: MelNorm

    public init(sampleRate: Double = 22050, nMels: Int = 128, fmin: Double = 0, fmax: Double? = nil,
                scale: MelScale = .slaney, norm: MelNorm = .slaney) {
        self.sampleRate = sampleRate
        self.nMels = nMels
        self.fmin = fmin
        self.fmax = fmax
        self.scale = scale
        self.norm = norm
    }

    /// `fmax`, or `sampleRate / 2` when not set.
    public var resolvedFmax: Double { fmax ?? sampleRate / 2 }

    /// Largest band count accepted (2^13), far above any audio use (librosa's default is 128),
    /// so that a mistyped count is an error rather than a multi-gigabyte filterbank or DCT.
    public static let maximumMels = 1 << 13

    /// Throws for a non-positive sample rate or band count (or one above ``maximumMels``), a negative `fmin`,
    /// `fmax` above the Nyquist frequency or not above `fmin`.
    public func validate() throws {
        guard sampleRate > 0, sampleRate.isFinite else {
            throw DSPError.invalidParameter(parameter: "sr", value: "\(sampleRate)", reason: "must be a positive number")
        }
        try DSPError.requirePositive(nMels, "n_mels")
        if nMels > Self.maximumMels {
            throw DSPError.invalidParameter(parameter: "n_mels", value: "\(nMels)", reason: "must be at most \(Self.maximumMels)")
        }
        guard fmin >= 0, fmin.isFinite else {
            throw DSPError.invalidParameter(parameter: "fmin", value: "\(fmin)", reason: "must be >= 0")
        }
        let top = resolvedFmax
        guard top <= sampleRate / 2 else {
            throw DSPError.invalidParameter(parameter: "fmax", value: "\(top)",
                                            reason: "must be at most sr / 2 = \(sampleRate / 2)")
        }
        guard top > fmin else {
            throw DSPError.invalidParameter(parameter: "fmax", value: "\(top)", reason: "must be greater than fmin = \(fmin)")
        }
    }
}

/// A mel filterbank for `nFFT`-point spectra (librosa `filters.mel`): `nMels`
/// triangular filters on the mel scale, kept both dense (`weights`,
/// `[nMels x bins]`, librosa's layout) and sparse (each filter's nonzero bin
/// range), which is what ``apply(_:)`` uses: about `2 * bins` multiply-adds per
/// frame instead of `nMels * bins`.
public struct MelFilterbank: Equatable, Sendable {
    /// The parameters it was built from.
    public let parameters: MelParameters
    /// FFT size it applies to.
    public let nFFT: Int
    /// Dense weights `[nMels x (nFFT / 2 + 1)]`: row `m` is filter `m`.
    public let weights: FeatureMatrix
    /// First nonzero bin of each filter.
    public let starts: [Int]
    /// Number of nonzero bins of each filter (0 for an empty filter).
    public let lengths: [Int]
    /// The nonzero weights of all filters, packed filter after filter.
    let packed: [Float]
    /// Offset of each filter's weights in `packed`.
    let offsets: [Int]
    /// librosa's warning text when some filters are empty (band too narrow for the FFT resolution), else empty.
    public let warnings: [String]

    /// librosa's `UserWarning` text for empty filters.
    public static let emptyFilterWarning = "Empty filters detected in mel frequency basis. "
        + "Some channels will produce empty responses. "
        + "Try increasing your sampling rate (and fmax) or reducing n_mels."

    /// Largest dense filterbank built (`nMels * (nFFT / 2 + 1)` weights, 2^28 = 1 GiB of floats).
    public static let maximumWeights = 1 << 28

    /// Builds the filterbank (librosa `filters.mel`), in double precision then rounded to float.
    public init(parameters: MelParameters = .init(), nFFT: Int = 2048) throws {
        try parameters.validate()
        try DSPError.requirePositive(nFFT, "n_fft")
        if parameters.nMels * (nFFT / 2 + 1) > Self.maximumWeights {
            throw DSPError.invalidParameter(parameter: "n_mels", value: "\(parameters.nMels)",
                reason: "with n_fft = \(nFFT) the filterbank would hold \(parameters.nMels * (nFFT / 2 + 1)) weights (at most \(Self.maximumWeights))")
        }
        self.parameters = parameters
        self.nFFT = nFFT
        let nMels = parameters.nMels, bins = nFFT / 2 + 1
        let fftFreqs = fftFrequencies(sampleRate: parameters.sampleRate, nFFT: nFFT)
        let melF = parameters.scale.frequencies(count: nMels + 2, fmin: parameters.fmin, fmax: parameters.resolvedFmax)
        var dense = [Float](repeating: 0, count: nMels * bins)
        var starts = [Int](), lengths = [Int](), offsets = [Int](), packed = [Float]()
        var empty = false
        for m in 0 ..< nMels {
            let lowDiff = melF[m + 1] - melF[m], highDiff = melF[m + 2] - melF[m + 1]
            let enorm = parameters.norm == .slaney ? 2 / (melF[m + 2] - melF[m]) : 1
            var first = -1, last = -1
            for k in 0 ..< bins {
                let lower = -(melF[m] - fftFreqs[k]) / lowDiff
                let upper = (melF[m + 2] - fftFreqs[k]) / highDiff
                var w = Float(max(0, min(lower, upper)))
                if parameters.norm == .slaney { w = Float(Double(w) * enorm) }
                dense[m * bins + k] = w
                if w > 0 {
                    if first < 0 { first = k }
                    last = k
                }
            }
            if first < 0 {
                if melF[m] != 0 { empty = true }
                starts.append(0); lengths.append(0)
            } else {
                starts.append(first); lengths.append(last - first + 1)
            }
            offsets.append(packed.count)
            if first >= 0 { packed += dense[(m * bins + first) ... (m * bins + last)] }
        }
        self.weights = FeatureMatrix(frames: nMels, bins: bins, data: dense)
        self.starts = starts
        self.lengths = lengths
        self.offsets = offsets
        self.packed = packed
        self.warnings = empty ? [Self.emptyFilterWarning] : []
    }

    /// Number of mel bands.
    public var nMels: Int { parameters.nMels }
    /// Number of FFT bins each filter spans, `nFFT / 2 + 1`.
    public var bins: Int { nFFT / 2 + 1 }

    /// Mel projection of a `[frames x bins]` spectrogram (power or magnitude), `[frames x nMels]`.
    public func apply(_ spectrogram: FeatureMatrix) throws -> FeatureMatrix {
        guard spectrogram.bins == bins else {
            throw DSPError.invalidInput("mel filterbank for n_fft = \(nFFT) needs \(bins) bins per frame, got \(spectrogram.bins)")
        }
        var out = [Float](repeating: 0, count: spectrogram.frames * nMels)
        spectrogram.data.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for t in 0 ..< spectrogram.frames {
                    apply(row: src.baseAddress! + t * bins, into: dst.baseAddress! + t * nMels)
                }
            }
        }
        return FeatureMatrix(frames: spectrogram.frames, bins: nMels, data: out)
    }

    /// ``apply(row:into:)`` for four frames at once (`rows + f * rowStride` into
    /// `out + f * outStride`, f = 0...3): each filter's weights are loaded once for the
    /// four. Per frame the additions are those of ``apply(row:into:)`` in the same order,
    /// so the results are bit-identical to four single-row calls.
    @inline(__always)
    public func apply4(rows: UnsafePointer<Float>, rowStride: Int, into out: UnsafeMutablePointer<Float>, outStride: Int) {
        packed.withUnsafeBufferPointer { packed in
            starts.withUnsafeBufferPointer { starts in
                lengths.withUnsafeBufferPointer { lengths in
                    offsets.withUnsafeBufferPointer { offsets in
                        let w0 = UnsafeRawPointer(packed.baseAddress!)
                        let r0 = UnsafeRawPointer(rows), r1 = r0 + 4 * rowStride, r2 = r1 + 4 * rowStride, r3 = r2 + 4 * rowStride
                        for m in 0 ..< parameters.nMels {
                            let n = lengths[m]
                            if n == 0 {
                                for f in 0 ..< 4 { out[f * outStride + m] = 0 }
                                continue
                            }
                            let wOffset = 4 * offsets[m], rOffset = 4 * starts[m]
                            var a0 = SIMD8<Float>(), a1 = a0, a2 = a0, a3 = a0
                            var i = 0
                            while i + 8 <= n {
                                let w = w0.loadUnaligned(fromByteOffset: wOffset + 4 * i, as: SIMD8<Float>.self)
                                a0 += w * r0.loadUnaligned(fromByteOffset: rOffset + 4 * i, as: SIMD8<Float>.self)
                                a1 += w * r1.loadUnaligned(fromByteOffset: rOffset + 4 * i, as: SIMD8<Float>.self)
                                a2 += w * r2.loadUnaligned(fromByteOffset: rOffset + 4 * i, as: SIMD8<Float>.self)
                                a3 += w * r3.loadUnaligned(fromByteOffset: rOffset + 4 * i, as: SIMD8<Float>.self)
                                i += 8
                            }
                            var s0 = a0.sum(), s1 = a1.sum(), s2 = a2.sum(), s3 = a3.sum()
                            let wp = packed.baseAddress! + offsets[m], start = starts[m]
                            while i < n {
                                let w = wp[i]
                                s0 += w * rows[start + i]
                                s1 += w * rows[rowStride + start + i]
                                s2 += w * rows[2 * rowStride + start + i]
                                s3 += w * rows[3 * rowStride + start + i]
                                i += 1
                            }
                            out[m] = s0
                            out[outStride + m] = s1
                            out[2 * outStride + m] = s2
                            out[3 * outStride + m] = s3
                        }
                    }
                }
            }
        }
    }

    /// The mel bands of `count` (at most 16) frames from a block of power spectra laid out
    /// bin-major, `power[k * 16 + l]` = bin `k` of frame `l` (as `melcnn_frame_fft_power16`
    /// writes them): frame `l`'s bands go to `out + l * outStride` (`melcnn_mel16`, AVX-512 or AVX2).
    func apply16(power: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>, outStride: Int, count: Int) {
        packed.withUnsafeBufferPointer { weights in
            starts.withUnsafeBufferPointer { starts in
                lengths.withUnsafeBufferPointer { lengths in
                    offsets.withUnsafeBufferPointer { offsets in
                        melcnn_mel16(power, parameters.nMels, starts.baseAddress!, lengths.baseAddress!,
                                     offsets.baseAddress!, weights.baseAddress!, out, outStride, Int32(count))
                    }
                }
            }
        }
    }

    /// `out[m] = sum_k weights[m, k] * row[k]` for one frame (`bins` values in, `nMels`
    /// out), over each filter's nonzero range only. For callers that fuse the projection
    /// into their own per-frame loop; ``apply(_:)`` does whole matrices.
    @inline(__always)
    public func apply(row: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>) {
        packed.withUnsafeBufferPointer { w in
            for m in 0 ..< parameters.nMels {
                let n = lengths[m]
                out[m] = n == 0 ? 0 : Kernels.dot(w.baseAddress! + offsets[m], row + starts[m], n)
            }
        }
    }
}
