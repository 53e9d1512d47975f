import CSTFT
import Foundation

/// melcnn's AVX-512 transform for power spectra, 16 frames per call with one frame per
/// vector lane (`Sources/CSTFT`): made once per FFT size and shared by every thread. `nil`
/// where it does not apply (no AVX-512, `nFFT / 2` not a power of two of at least 16) or when
/// the environment sets `MELCNN_STFT=fftw`; FFTW runs then.
final class FrameFFT16: @unchecked Sendable {
    let pointer: OpaquePointer

    private init(pointer: OpaquePointer) { self.pointer = pointer }

    private static let lock = NSLock()
    nonisolated(unsafe) private static var made: [Int: FrameFFT16?] = [:]
    private static let disabled = ProcessInfo.processInfo.environment["MELCNN_STFT"] == "fftw"

    /// The shared transform of real size `n`, or nil.
    static func shared(n: Int) -> FrameFFT16? {
        if disabled { return nil }
        lock.lock()
        defer { lock.unlock() }
        if let known = made[n] { return known }
        let fft = melcnn_frame_fft_create(n).map(FrameFFT16.init(pointer:))
        made[n] = fft
        return fft
    }
}
