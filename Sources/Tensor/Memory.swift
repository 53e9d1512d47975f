#if canImport(Glibc)
import Glibc
#endif

/// melcnn's one allocator tuning (glibc `mallopt`), applied once per process: when the first
/// tensor is made, or by `keepLargeBlocksInHeap()` before other loops with large buffers
/// (`prepare` decodes and transforms multi-megabyte tracks one after another).
///
/// Every step allocates and frees the same large activation and gradient buffers. By
/// default glibc serves big blocks with fresh `mmap`s and trims freed heap back to the
/// system, so each step pays page faults on tens of MB of new zero pages (measured: about
/// a quarter of a training step of the Spotify network, a fifth of batch-64 inference).
/// Serving every block from the heap and disabling trimming lets freed buffers be reused;
/// peak memory is unchanged because the same sizes recur every step.
public enum Memory {
    /// Serves large blocks from the heap and never trims it (the values below), once per
    /// process; later calls do nothing. No effect outside glibc.
    public static func keepLargeBlocksInHeap() {
        _ = configured
    }

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
