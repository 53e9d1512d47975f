import COpenBLAS
import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// The one place that sets melcnn's thread count: melcnn's own parallel loops (im2col per
/// sample, SGEMM blocks, large elementwise work, via `DispatchQueue.concurrentPerform`).
/// Default: all cores. OpenBLAS itself always runs on one thread per call: melcnn splits
/// products into blocks of its own (see `sgemm`), so that results never depend on the
/// thread count.
public enum Threads {
    nonisolated(unsafe) private static var current: Int = {
        openblas_set_num_threads(1)
        return max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    }()

    /// Number of threads in use.
    public static var count: Int { current }

    /// Uses `n` threads (at least 1) for melcnn's parallel loops and matrix products.
    public static func setCount(_ n: Int) {
        _ = current  // OpenBLAS set to one thread first
        current = max(1, n)
    }

    /// Runs `body(i)` for `i` in `0 ..< iterations`, spread over `count` threads.
    static func parallelFor(_ iterations: Int, _ body: (Int) -> Void) {
        let threads = current
        if threads <= 1 || iterations <= 1 {
            for i in 0 ..< iterations { body(i) }
        } else {
            withoutActuallyEscaping(body) { body in
                // The callers hand each iteration disjoint memory; the box only silences
                // the Sendable check that `concurrentPerform` imposes on its closure.
                let box = UncheckedSendable(body)
                DispatchQueue.concurrentPerform(iterations: iterations) { box.value($0) }
            }
        }
    }

    /// Splits `0 ..< n` into at most `count` contiguous ranges of at least `grain`
    /// elements and runs `body` on each in parallel (serially when `n` is small).
    static func parallelRanges(_ n: Int, grain: Int = 1 << 16, _ body: (Range<Int>) -> Void) {
        let chunks = min(current, max(1, n / max(1, grain)))
        if chunks <= 1 { body(0 ..< n); return }
        parallelFor(chunks) { c in body(c * n / chunks ..< (c + 1) * n / chunks) }
    }
}

private struct UncheckedSendable<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}

extension Threads {
    /// Runs `body` with every SGEMM call on its calling thread, for kernels that call SGEMM
    /// from several of melcnn's own threads at once.
    static func withSingleThreadedBLAS<T>(_ body: () -> T) -> T {
        guard current > 1 else { return body() }
        singleThreadedBLAS = true
        defer { singleThreadedBLAS = false }
        return body()
    }

    nonisolated(unsafe) private static var singleThreadedBLAS = false

    /// Threads one SGEMM call may use: 1 inside `withSingleThreadedBLAS`, else `count`.
    static var blasThreads: Int { singleThreadedBLAS ? 1 : current }

    /// Splits `0 ..< n` into `min(count, n)` contiguous chunks and runs `body(chunkIndex,
    /// range)` for each in parallel, with single-threaded BLAS inside when there are several.
    static func parallelChunks(_ n: Int, _ body: (_ chunk: Int, _ range: Range<Int>) -> Void) -> Int {
        let chunks = max(1, min(current, n))
        if chunks == 1 { body(0, 0 ..< n); return 1 }
        withSingleThreadedBLAS {
            parallelFor(chunks) { c in body(c, c * n / chunks ..< (c + 1) * n / chunks) }
        }
        return chunks
    }
}
