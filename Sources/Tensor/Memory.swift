#if canImport(Glibc)
import Glibc
#endif

/// Allocator tuning for training loops, applied once when the first tensor is made.
///
/// Every step allocates and frees the same large activation and gradient buffers. By
/// default glibc serves big blocks with fresh `mmap`s and trims freed heap back to the
/// system, so each step pays page faults on tens of MB of new zero pages (measured: about
/// a quarter of a training step of the Spotify network, a fifth of batch-64 inference).
/// Serving every block from the heap and disabling trimming lets freed buffers be reused;
/// peak memory is unchanged because the same sizes recur every step.
enum Memory {
    static let configured: Bool = {
        #if os(Linux)
        _ = glibcMallopt(-3, 32 << 20)     // M_MMAP_THRESHOLD (malloc.h): the maximum glibc accepts
        _ = glibcMallopt(-4, 0)            // M_MMAP_MAX: no mmap even above it (batch-64 activations are 39 MB)
        _ = glibcMallopt(-1, Int32.max)    // M_TRIM_THRESHOLD
        #endif
        return true
    }()
}

#if os(Linux)
/// glibc's `int mallopt(int param, int value)` (malloc.h is not in the Glibc module map).
@_silgen_name("mallopt")
private func glibcMallopt(_ param: Int32, _ value: Int32) -> Int32
#endif
