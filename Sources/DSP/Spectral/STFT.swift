import CSTFT
import Foundation

/// Short-time Fourier transform of `y` (librosa `stft`), `[frames x bins]`, split complex.
///
/// Frame `t` covers samples `t * hop - nFFT/2 ..< t * hop + nFFT/2` of `y` when
/// centred (padding as `parameters.padMode`), is multiplied by the window and
/// transformed with FFTW (single precision, cached plans, batched frames).
/// Frames: `1 + (len + 2 (nFFT/2) - nFFT) / hop` centred, `1 + (len - nFFT) / hop` otherwise.
///
/// ```swift
/// let S = try stft(y)                               // 2048 / 512, Hann, centred, zero pad
/// let S2 = try stft(y, parameters: .init(nFFT: 1024, hopLength: 256, padMode: .reflect))
/// ```
public func stft(_ y: [Float], parameters: STFTParameters = .init()) throws -> ComplexSpectrogram {
    let engine = try FrameSpectra(parameters: parameters)
    let bins = parameters.bins
    let frames = try parameters.frameCount(length: y.count)
    var real = [Float](repeating: 0, count: frames * bins)
    var imag = [Float](repeating: 0, count: frames * bins)
    try real.withUnsafeMutableBufferPointer { re in
        try imag.withUnsafeMutableBufferPointer { im in
            _ = try engine.run(y) { first, count, spectra, stride in
                for k in 0 ..< count {
                    let row = spectra + k * stride, out = (first + k) * bins
                    for i in 0 ..< bins {
                        re[out + i] = row[2 * i]
                        im[out + i] = row[2 * i + 1]
                    }
                }
            }
        }
    }
    return ComplexSpectrogram(frames: frames, bins: bins, real: real, imag: imag)
}

/// `|stft(y)|^power`, `[frames x bins]` (librosa's `_spectrogram`: `power = 1`
/// magnitude, `power = 2` power), without materialising the complex STFT. Where the CPU has
/// a route for melcnn's 16-frame transform (`SpectrumKernel`, as for log-mel spectrograms)
/// the power spectra come from it, else from FFTW; the two agree to float rounding.
public func spectrogram(_ y: [Float], parameters: STFTParameters = .init(), power: Float = 1) throws -> FeatureMatrix {
    guard power > 0, power.isFinite else {
        throw DSPError.invalidParameter(parameter: "power", value: "\(power)", reason: "must be a positive number")
    }
    return try spectrogram(y, engine: try FrameSpectra(parameters: parameters), power: power)
}

/// `spectrogram(y, parameters: engine.parameters, power: power)` on an engine the caller made
/// (`power` checked by the caller).
func spectrogram(_ y: [Float], engine: FrameSpectra, power: Float) throws -> FeatureMatrix {
    let bins = engine.parameters.bins
    let frames = try engine.parameters.frameCount(length: y.count)
    var out = [Float](repeating: 0, count: frames * bins)
    try out.withUnsafeMutableBufferPointer { dst in
        if try engine.runPower16(y, { first, count, spectra in
            // spectra[k * 16 + l]: bin k of frame first + l, transposed in tiles of 16 bins x 16
            // frames (each tile's 1 KB stays in L1), then raised to the power row by row.
            let rows = dst.baseAddress! + first * bins
            var k0 = 0
            while k0 < bins {
                let width = min(16, bins - k0), tile = spectra + k0 * 16
                for l in 0 ..< count {
                    let row = rows + l * bins + k0
                    for j in 0 ..< width { row[j] = tile[j * 16 + l] }
                }
                k0 += 16
            }
            Kernels.raisePower(rows, count * bins, power: power)
        }) != nil { return }
        _ = try engine.run(y) { first, count, spectra, stride in
            for k in 0 ..< count {
                Kernels.powerOfComplex(spectra + k * stride, into: dst.baseAddress! + (first + k) * bins, bins, power: power)
            }
        }
    }
    return FeatureMatrix(frames: frames, bins: bins, data: out)
}
