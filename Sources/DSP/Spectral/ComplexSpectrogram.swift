/// A complex STFT in melcnn's orientation, `[frames x bins]`, with the real and
/// imaginary parts in two separate row-major arrays (split complex):
/// bin `k` of frame `t` is `real[t * bins + k] + i * imag[t * bins + k]`.
/// It is librosa's `stft(y)` transposed: `S.T.real`, `S.T.imag`.
public struct ComplexSpectrogram: Equatable, Sendable {
    /// Number of frames (rows).
    public var frames: Int
    /// Number of frequency bins per frame, `nFFT / 2 + 1`.
    public var bins: Int
    /// Real parts, `frames * bins` values, row-major.
    public var real: [Float]
    /// Imaginary parts, `frames * bins` values, row-major.
    public var imag: [Float]

    /// Wraps the two parts (each `frames * bins` values).
    public init(frames: Int, bins: Int, real: [Float], imag: [Float]) {
        precondition(real.count == frames * bins && imag.count == frames * bins,
                     "ComplexSpectrogram: \(real.count)/\(imag.count) values for \(frames) x \(bins)")
        self.frames = frames
        self.bins = bins
        self.real = real
        self.imag = imag
    }

    /// `|S|^power` element-wise (`power = 1`: magnitude, `2`: power), `[frames x bins]`.
    public func magnitude(power: Float = 1) -> FeatureMatrix {
        var out = [Float](repeating: 0, count: real.count)
        real.withUnsafeBufferPointer { re in
            imag.withUnsafeBufferPointer { im in
                out.withUnsafeMutableBufferPointer { dst in
                    for i in 0 ..< dst.count { dst[i] = re[i] * re[i] + im[i] * im[i] }
                    if let d = dst.baseAddress { Kernels.raisePower(d, dst.count, power: power) }
                }
            }
        }
        return FeatureMatrix(frames: frames, bins: bins, data: out)
    }

    /// Every bin multiplied by the real `gain` of the same position (`frames * bins` values,
    /// e.g. a soft mask), `[frames x bins]`.
    public func scaled(by gain: [Float]) -> ComplexSpectrogram {
        precondition(gain.count == real.count, "ComplexSpectrogram.scaled: \(gain.count) gains for \(real.count) bins")
        return ComplexSpectrogram(frames: frames, bins: bins, real: zip(real, gain).map { $0 * $1 },
                                  imag: zip(imag, gain).map { $0 * $1 })
    }

    /// The phase angle `atan2(imag, real)` of every bin, `[frames x bins]`.
    public func phase() -> FeatureMatrix {
        FeatureMatrix(frames: frames, bins: bins, data: zip(real, imag).map { Float(atan2(Double($1), Double($0))) })
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
