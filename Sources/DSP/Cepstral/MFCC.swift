import COpenBLAS
import Foundation

/// The orthonormal DCT-II matrix `[count x n]` (scipy `dct(type=2, norm="ortho")`):
/// row `k` is `sqrt(2/n) cos(pi k (2j + 1) / (2n))`, row 0 scaled by `1/sqrt 2`.
func dctIIMatrix(count: Int, n: Int) -> [Float] {
    var m = [Float](repeating: 0, count: count * n)
    for k in 0 ..< count {
        let scale = k == 0 ? (1 / Double(n)).squareRoot() : (2 / Double(n)).squareRoot()
        for j in 0 ..< n {
            m[k * n + j] = Float(scale * cos(Double.pi * Double(k) * Double(2 * j + 1) / Double(2 * n)))
        }
    }
    return m
}

/// MFCCs of a log-power mel spectrogram `[frames x nMels]` (librosa `feature.mfcc(S=...)`):
/// orthonormal DCT-II along the mel axis, first `nMFCC` coefficients, then, if
/// `lifter > 0`, coefficient `k` (0-based) scaled by `1 + lifter/2 sin(pi (k+1) / lifter)`.
/// Output `[frames x nMFCC]`; the DCT is one `sgemm`.
public func mfcc(logMel S: FeatureMatrix, nMFCC: Int = 20, lifter: Float = 0) throws -> FeatureMatrix {
    try DSPError.requirePositive(nMFCC, "n_mfcc")
    guard nMFCC <= S.bins else {
        throw DSPError.invalidParameter(parameter: "n_mfcc", value: "\(nMFCC)", reason: "must be at most n_mels = \(S.bins)")
    }
    guard lifter >= 0, lifter.isFinite else {
        throw DSPError.invalidParameter(parameter: "lifter", value: "\(lifter)", reason: "must be a non-negative number")
    }
    var dct = dctIIMatrix(count: nMFCC, n: S.bins)
    if lifter > 0 {  // fold the lifter into the DCT rows
        for k in 0 ..< nMFCC {
            let gain = 1 + (lifter / 2) * Float(sin(Double.pi * Double(k + 1) / Double(lifter)))
            for j in 0 ..< S.bins { dct[k * S.bins + j] *= gain }
        }
    }
    var out = [Float](repeating: 0, count: S.frames * nMFCC)
    if S.frames > 0 {
        // out[frames x nMFCC] = S[frames x nMels] * dct^T
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(S.frames), Int32(nMFCC), Int32(S.bins),
                    1, S.data, Int32(S.bins), dct, Int32(S.bins), 0, &out, Int32(nMFCC))
    }
    return FeatureMatrix(frames: S.frames, bins: nMFCC, data: out)
}

/// MFCCs of a signal (librosa `feature.mfcc(y=...)`): `powerToDb` (ref 1, amin 1e-10,
/// top_db 80) of the mel spectrogram, then ``mfcc(logMel:nMFCC:lifter:)``. `[frames x nMFCC]`.
public func mfcc(_ y: [Float], nMFCC: Int = 20, lifter: Float = 0, stft: STFTParameters = .init(),
                 mel: MelParameters = .init()) throws -> FeatureMatrix {
    let logMel = try MelSpectrogramExtractor(stft: stft, mel: mel, power: 2).logMelSpectrogram(y)
    return try mfcc(logMel: logMel, nMFCC: nMFCC, lifter: lifter)
}
