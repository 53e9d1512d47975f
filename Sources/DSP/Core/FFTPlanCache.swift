import CFFTW3
import Foundation

/// FFTW single-precision plans, created once per (size, batch, direction) and
/// shared by every caller and thread.
///
/// FFTW's planner is not thread-safe, so plan creation happens under a lock;
/// execution uses the new-array functions (`fftwf_execute_dft_r2c` /
/// `fftwf_execute_dft_c2r`), which are thread-safe, on buffers from
/// ``FFTBuffer`` (allocated with `fftwf_malloc`, so their alignment matches the
/// arrays the plan was made with). Plans use `FFTW_ESTIMATE`: deterministic
/// results run to run, no measurement cost at start-up. Plans live for the process.
final class FFTPlanCache: @unchecked Sendable {
    /// The process-wide cache.
    static let shared = FFTPlanCache()

    /// Transform direction.
    enum Kind: Hashable, Sendable {
        /// Real input of `n` samples to `n / 2 + 1` complex bins.
        case realToComplex
        /// `n / 2 + 1` complex bins to `n` real samples (unnormalised, as FFTW).
        case complexToReal
    }

    private struct Key: Hashable {
        var n: Int
        var batch: Int
        var kind: Kind
    }

    private let lock = NSLock()
    private var plans: [Key: OpaquePointer] = [:]

    /// Floats between consecutive real arrays of a batch: `n` rounded up to a
    /// multiple of 8 (32 bytes), so every transform of the batch is SIMD-aligned.
    static func realStride(_ n: Int) -> Int { (n + 7) / 8 * 8 }

    /// Complex values between consecutive spectra of a batch: `n / 2 + 1` rounded up
    /// to a multiple of 4 (32 bytes). With the unpadded 1025 FFTW cannot use its SIMD
    /// codelets for the batch and runs about 5x slower (measured at n = 2048).
    static func complexStride(_ n: Int) -> Int { (n / 2 + 1 + 3) / 4 * 4 }

    /// A plan for `batch` transforms of size `n` laid out with ``realStride(_:)``
    /// floats between real arrays and ``complexStride(_:)`` complex values
    /// (interleaved re, im) between spectra.
    func plan(_ kind: Kind, n: Int, batch: Int = 1) -> OpaquePointer {
        precondition(n > 0 && batch > 0, "FFTPlanCache: size \(n), batch \(batch)")
        let key = Key(n: n, batch: batch, kind: kind)
        lock.lock()
        defer { lock.unlock() }
        if let plan = plans[key] { return plan }
        let realStride = Self.realStride(n), complexStride = Self.complexStride(n)
        let real = FFTBuffer(floats: realStride * batch)
        let spectrum = FFTBuffer(floats: 2 * complexStride * batch)
        var size = Int32(n)
        let flags = melcnn_fftw_estimate() | (kind == .complexToReal ? melcnn_fftw_destroy_input() : 0)
        let plan: OpaquePointer? = spectrum.complex { cplx in
            switch kind {
            case .realToComplex:
                return fftwf_plan_many_dft_r2c(1, &size, Int32(batch), real.pointer, nil, 1, Int32(realStride),
                                               cplx, nil, 1, Int32(complexStride), flags)
            case .complexToReal:
                return fftwf_plan_many_dft_c2r(1, &size, Int32(batch), cplx, nil, 1, Int32(complexStride),
                                               real.pointer, nil, 1, Int32(realStride), flags)
            }
        }
        guard let plan else { fatalError("FFTW could not plan a size-\(n) transform") }
        plans[key] = plan
        return plan
    }
}

/// A float buffer allocated with `fftwf_malloc` (SIMD-aligned, as FFTW's
/// new-array execute functions require), freed on deinit. Not shared between threads.
final class FFTBuffer {
    /// The first float.
    let pointer: UnsafeMutablePointer<Float>
    /// Number of floats.
    let count: Int

    /// A zeroed buffer of `floats` values.
    init(floats: Int) {
        count = max(floats, 1)
        guard let raw = fftwf_malloc(count * MemoryLayout<Float>.stride) else {
            fatalError("fftwf_malloc failed for \(count) floats")
        }
        pointer = raw.bindMemory(to: Float.self, capacity: count)
        pointer.initialize(repeating: 0, count: count)
    }

    deinit { fftwf_free(pointer) }

    /// The buffer seen as interleaved complex values (`fftwf_complex`).
    func complex<R>(_ body: (UnsafeMutablePointer<fftwf_complex>) throws -> R) rethrows -> R {
        try UnsafeMutableRawPointer(pointer).withMemoryRebound(to: fftwf_complex.self, capacity: count / 2) { try body($0) }
    }
}
