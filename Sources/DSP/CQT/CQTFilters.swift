import Foundation

// The constant-Q filter bank of librosa 0.11: centre frequencies, relative bandwidths, wavelet
// lengths, the time-domain wavelets and their sparse FFT, one octave at a time
// (librosa.interval_frequencies, filters._relative_bandwidth, filters.wavelet_lengths,
// filters.wavelet, core.constantq.__vqt_filter_fft, util.sparsify_rows).

/// The frequency of MIDI note C1, librosa's default `fmin` of the CQT (`note_to_hz("C1")`, 32.70 Hz).
public let noteC1Hz: Double = 440.0 * pow(2.0, (24.0 - 69.0) / 12.0)

/// Centre frequencies (Hz) of `nBins` equally tempered bins from `fmin`
/// (librosa.interval_frequencies with `intervals="equal"`: `fmin * 2^octave * 2^(k / binsPerOctave)`).
public func cqtFrequencies(nBins: Int, fmin: Double, binsPerOctave: Int = 12) -> [Double] {
    (0 ..< max(nBins, 0)).map { k in
        pow(2.0, Double(k / binsPerOctave)) * pow(2.0, Double(k % binsPerOctave) / Double(binsPerOctave)) * fmin
    }
}

/// Relative bandwidth `alpha` of each frequency from the local bins-per-octave resolution,
/// `(2^(2/bpo) - 1) / (2^(2/bpo) + 1)` (librosa filters._relative_bandwidth; needs >= 2 frequencies).
public func relativeBandwidths(_ freqs: [Double]) -> [Double] {
    let n = freqs.count
    guard n >= 2 else {
        // librosa's __et_relative_bw for a single bin of a 12-per-octave grid is not reachable here.
        return [Double](repeating: 0, count: n)
    }
    let logf = freqs.map { log2($0) }
    var bpo = [Double](repeating: 0, count: n)
    bpo[0] = 1 / (logf[1] - logf[0])
    bpo[n - 1] = 1 / (logf[n - 1] - logf[n - 2])
    for i in 1 ..< n - 1 { bpo[i] = 2 / (logf[i + 1] - logf[i - 1]) }
    return bpo.map { (pow(2.0, 2 / $0) - 1) / (pow(2.0, 2 / $0) + 1) }
}

/// Relative bandwidth of a single bin on an equal grid of `binsPerOctave` (librosa __et_relative_bw).
func equalTemperedRelativeBandwidth(binsPerOctave: Int) -> Double {
    let r = pow(2.0, 1 / Double(binsPerOctave))
    return (r * r - 1) / (r * r + 1)
}

extension WindowKind {
    /// Equivalent noise bandwidth in FFT bins (librosa filters.window_bandwidth's table).
    var noiseBandwidth: Double {
        switch self {
        case .hann: return 1.50018310546875
        case .hamming: return 1.3629455320350348
        case .rectangular: return 1.0
        }
    }
}

/// Filter lengths in samples (`Q sr / f` with `Q = filterScale / alpha`) and the highest frequency
/// the filters reach, `max f (1 + bandwidth / (2 Q))` (librosa filters.wavelet_lengths, `gamma = 0`).
public func waveletLengths(freqs: [Double], sampleRate: Double, window: WindowKind = .hann, filterScale: Double = 1,
                           alpha: [Double]) -> (lengths: [Double], cutoff: Double) {
    var cutoff = -Double.infinity
    var lengths = [Double](repeating: 0, count: freqs.count)
    for i in freqs.indices {
        let q = filterScale / alpha[i]
        cutoff = max(cutoff, freqs[i] * (1 + 0.5 * window.noiseBandwidth / q))
        lengths[i] = q * sampleRate / freqs[i]
    }
    return (lengths, cutoff)
}

/// One octave of CQT filters in the frequency domain as a sparse complex matrix, for an STFT of
/// `nFFT` points: row `k` holds the non-negative-frequency FFT bins of filter `k` kept by the
/// sparsity threshold, stored as the band from its first to its last kept bin (bins dropped inside
/// the band are zeros, which add nothing). `response = basis . stft(y, nFFT, window=ones)` gives
/// the octave's CQT.
struct CQTOctaveBasis: Sendable {
    let nFFT: Int
    let rows: Int
    /// Row `k`'s band is `rowStart[k] ..< rowStart[k + 1]` of `real` and `imag`, for FFT bins
    /// `firstBin[k] ...`.
    var rowStart: [Int]
    var firstBin: [Int]
    var real: [Float]
    var imag: [Float]
}

/// The frequency-domain filters of one octave (librosa __vqt_filter_fft with `hop_length=None`):
/// Hann-windowed complex exponentials of `ceil(length)` samples, normalised, centred in a
/// power-of-two frame, weighted by `length / nFFT`, cast to complex64, transformed, and
/// sparsified so that at most `sparsity` of each row's L1 mass is dropped.
func cqtOctaveBasis(sampleRate: Double, freqs: [Double], alpha: [Double], filterScale: Double, norm: VectorNorm,
                    sparsity: Double, window: WindowKind, gain: Double) -> CQTOctaveBasis {
    let (lengths, _) = waveletLengths(freqs: freqs, sampleRate: sampleRate, window: window,
                                      filterScale: filterScale, alpha: alpha)
    let maxLength = lengths.max() ?? 1
    let nFFT = Int(pow(2.0, log2(maxLength).rounded(.up)))
    let bins = nFFT / 2 + 1
    var basis = CQTOctaveBasis(nFFT: nFFT, rows: freqs.count, rowStart: [0], firstBin: [], real: [], imag: [])
    var re = [Double](repeating: 0, count: nFFT), im = [Double](repeating: 0, count: nFFT)
    var mags = [Float](repeating: 0, count: bins)
    var spectrumRe = [Float](repeating: 0, count: bins), spectrumIm = [Float](repeating: 0, count: bins)
    let twiddles = fftTwiddles(nFFT)
    for (length, freq) in zip(lengths, freqs) {
        // filters.wavelet: np.arange(-ilen // 2, ilen // 2) * 2 * pi * freq / sr, phasor, window, normalize.
        let start = (-length / 2).rounded(.down), end = (length / 2).rounded(.down)
        let n = Int(end - start)
        let w = window.valuesDouble(length: n)
        var sigRe = [Double](repeating: 0, count: n), sigIm = [Double](repeating: 0, count: n)
        for j in 0 ..< n {
            let angle = (start + Double(j)) * 2 * Double.pi * freq / sampleRate
            sigRe[j] = cos(angle) * w[j]
            sigIm[j] = sin(angle) * w[j]
        }
        let normLength = filterNormLength(re: sigRe, im: sigIm, norm: norm)
        // pad_center into nFFT, complex64 cast, then `basis *= lengths / n_fft` (float64 product, complex64 result).
        for j in 0 ..< nFFT { re[j] = 0; im[j] = 0 }
        let left = (nFFT - n) / 2, weight = length / Double(nFFT)
        for j in 0 ..< n {
            re[left + j] = Double(Float(Double(Float(sigRe[j] / normLength)) * weight))
            im[left + j] = Double(Float(Double(Float(sigIm[j] / normLength)) * weight))
        }
        fftInPlace(&re, &im, twiddles: twiddles)
        for k in 0 ..< bins {
            spectrumRe[k] = Float(re[k]); spectrumIm[k] = Float(im[k])
            mags[k] = (spectrumRe[k] * spectrumRe[k] + spectrumIm[k] * spectrumIm[k]).squareRoot()
        }
        // util.sparsify_rows: keep the bins at least as large as the quantile's threshold magnitude,
        // found on the float32 cumulative sum of the sorted magnitudes divided by their total.
        let sorted = mags.sorted()
        let total = Float(sorted.reduce(0.0) { $0 + Double($1) })
        var cumulative: Float = 0
        var thresholdIndex = 0
        for (j, m) in sorted.enumerated() {
            cumulative += m / total
            if !(cumulative < Float(sparsity)) { thresholdIndex = j; break }
        }
        let threshold = sorted[thresholdIndex]
        let first = mags.firstIndex { $0 >= threshold } ?? 0, last = mags.lastIndex { $0 >= threshold } ?? -1
        basis.firstBin.append(first)
        for k in stride(from: first, through: last, by: 1) {
            let kept = mags[k] >= threshold
            // fft_basis *= sqrt(sr / my_sr): float64 product stored as complex64.
            basis.real.append(kept ? Float(Double(spectrumRe[k]) * gain) : 0)
            basis.imag.append(kept ? Float(Double(spectrumIm[k]) * gain) : 0)
        }
        basis.rowStart.append(basis.real.count)
    }
    return basis
}

/// The norm a filter is divided by (librosa util.normalize on a complex vector; norms below
/// the smallest positive double leave the filter as is).
private func filterNormLength(re: [Double], im: [Double], norm: VectorNorm) -> Double {
    let mags = zip(re, im).map { ($0 * $0 + $1 * $1).squareRoot() }
    let length = mags.withUnsafeBufferPointer { norm.length(ofMagnitudes: $0) } ?? 1
    return length < Double.leastNormalMagnitude ? 1 : length
}

/// In-place complex FFT (`X_k = sum x_n e^{-2 pi i k n / N}`, numpy's sign) of a power-of-two size,
/// in double precision: iterative radix-2, used only to build filter banks. `twiddles` (from
/// ``fftTwiddles(_:)`` for the same size) saves recomputing the roots of unity per call.
func fftInPlace(_ re: inout [Double], _ im: inout [Double], twiddles: (cos: [Double], sin: [Double])? = nil) {
    let n = re.count
    precondition(n == im.count && n > 0 && n & (n - 1) == 0, "fftInPlace: size \(n) is not a power of two")
    let w = twiddles ?? fftTwiddles(n)
    var j = 0
    for i in 1 ..< max(n, 1) {
        var bit = n >> 1
        while j & bit != 0 { j ^= bit; bit >>= 1 }
        j |= bit
        if i < j { re.swapAt(i, j); im.swapAt(i, j) }
    }
    var size = 2
    while size <= n {
        let half = size / 2, stride = n / size
        for k in 0 ..< half {
            let wr = w.cos[k * stride], wi = w.sin[k * stride]
            var start = k
            while start < n {
                let a = start, b = start + half
                let tr = re[b] * wr - im[b] * wi, ti = re[b] * wi + im[b] * wr
                re[b] = re[a] - tr; im[b] = im[a] - ti
                re[a] += tr; im[a] += ti
                start += size
            }
        }
        size *= 2
    }
}

/// `cos` and `sin` of `-2 pi k / n` for `k < n / 2`, the roots of unity of a size-`n` FFT.
func fftTwiddles(_ n: Int) -> (cos: [Double], sin: [Double]) {
    let angles = (0 ..< max(n / 2, 1)).map { -2 * Double.pi * Double($0) / Double(n) }
    return (angles.map { cos($0) }, angles.map { sin($0) })
}

/// Bases already built, keyed by everything they depend on (building one octave of 36 filters
/// costs about as much as filtering a few seconds of audio; datasets reuse the same few).
final class CQTBasisCache: @unchecked Sendable {
    static let shared = CQTBasisCache()

    struct Key: Hashable {
        var sampleRate: Double
        var freqs: [Double]
        var alpha: [Double]
        var filterScale: Double
        var norm: String
        var sparsity: Double
        var window: WindowKind
        var gain: Double
    }

    private let lock = NSLock()
    private var bases: [Key: CQTOctaveBasis] = [:]

    func basis(sampleRate: Double, freqs: [Double], alpha: [Double], filterScale: Double, norm: VectorNorm,
               sparsity: Double, window: WindowKind, gain: Double) -> CQTOctaveBasis {
        let key = Key(sampleRate: sampleRate, freqs: freqs, alpha: alpha, filterScale: filterScale,
                      norm: "\(norm)", sparsity: sparsity, window: window, gain: gain)
        lock.lock()
        if let cached = bases[key] { lock.unlock(); return cached }
        lock.unlock()
        let made = cqtOctaveBasis(sampleRate: sampleRate, freqs: freqs, alpha: alpha, filterScale: filterScale,
                                  norm: norm, sparsity: sparsity, window: window, gain: gain)
        lock.lock()
        if bases.count >= 1024 { bases.removeAll() }
        bases[key] = made
        lock.unlock()
        return made
    }
}

extension Kernels {
    /// `sum_j (wr_j + i wi_j) z_j` over `n` interleaved complex values `z` (re, im) and split
    /// complex weights, four lanes at a time.
    @inline(__always)
    static func complexDot(_ z: UnsafePointer<Float>, _ wr: UnsafePointer<Float>, _ wi: UnsafePointer<Float>,
                           _ n: Int) -> (re: Float, im: Float) {
        var accRe = SIMD4<Float>(), accIm = SIMD4<Float>()
        var j = 0
        while j + 4 <= n {
            let zz = UnsafeRawPointer(z + 2 * j).loadUnaligned(as: SIMD8<Float>.self)
            let zr = zz.evenHalf, zi = zz.oddHalf
            let a = UnsafeRawPointer(wr + j).loadUnaligned(as: SIMD4<Float>.self)
            let b = UnsafeRawPointer(wi + j).loadUnaligned(as: SIMD4<Float>.self)
            accRe += a * zr - b * zi
            accIm += a * zi + b * zr
            j += 4
        }
        var re = accRe.sum(), im = accIm.sum()
        while j < n {
            let zr = z[2 * j], zi = z[2 * j + 1]
            re += wr[j] * zr - wi[j] * zi
            im += wr[j] * zi + wi[j] * zr
            j += 1
        }
        return (re, im)
    }
}
