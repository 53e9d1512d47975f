import CCPU
import CSTFT
import Foundation

/// melcnn's vector transform for power spectra, 16 frames per call with one frame per vector
/// lane (`Sources/CSTFT`: AVX-512, or AVX2 as two groups of 8): made once per FFT size and CPU
/// route (`melcnn_isa_level()`, which tests lower in turn) and shared by every thread. `nil`
/// where it does not apply (no AVX2, `nFFT / 2` not a power of two of at least 16) or when
/// the environment sets `MELCNN_STFT=fftw`; FFTW runs then.
final class FrameFFT16: @unchecked Sendable {
    let pointer: OpaquePointer

    private init(pointer: OpaquePointer) { self.pointer = pointer }

    private static let lock = NSLock()
    private struct Key: Hashable { let n: Int, level: Int32 }
    nonisolated(unsafe) private static var made: [Key: FrameFFT16?] = [:]
    /// `MELCNN_STFT=fftw`: FFTW for every size.
    static let disabled = ProcessInfo.processInfo.environment["MELCNN_STFT"] == "fftw"

    /// The shared transform of real size `n`, or nil.
    static func shared(n: Int) -> FrameFFT16? {
        if disabled { return nil }
        lock.lock()
        defer { lock.unlock() }
        let key = Key(n: n, level: melcnn_isa_level())
        if let known = made[key] { return known }
        let fft = melcnn_frame_fft_create(n).map(FrameFFT16.init(pointer:))
        made[key] = fft
        return fft
    }
}

/// Which transform computes log-mel power spectra, for reports: e.g. `avx512 16 lanes`,
/// `avx2 8 lanes`, or `fftw` (CPUs without AVX2, `MELCNN_CPU=generic`, `MELCNN_STFT=fftw`).
/// FFTW also runs for FFT sizes whose half is not a power of two of at least 16.
public enum SpectrumKernel {
    public static var name: String {
        if FrameFFT16.disabled || melcnn_stft_available() == 0 { return "fftw" }
        return String(cString: melcnn_stft_kernel())
    }
}
