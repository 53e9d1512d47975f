import CAllocator
import Foundation

/// glibc's allocator settings for melcnn's executables. By default glibc serves blocks over a
/// threshold (128 KB, raised as such blocks are freed, up to 32 MB) with fresh `mmap`s and gives
/// the top of the heap back to the kernel whenever more than twice that is free, so every
/// spectrogram-sized array of a clip (a 30 s STFT is 5.3 MB per part) comes back as zeroed
/// pages the kernel has to fault in: a fifth of `melcnn features`' time on 30 s clips. Blocks
/// up to 32 MB (glibc's largest threshold on 64-bit systems) now come from the heap, which
/// keeps up to 256 MB free for the next clip: memory the process has used anyway (peak RSS of
/// `features` 60 -> 63 MB, of `train` unchanged). `MALLOC_MMAP_THRESHOLD_` or
/// `MALLOC_TRIM_THRESHOLD_` in the environment (glibc's own settings) leave glibc as
/// configured. Nothing happens off glibc.
public enum AllocatorTuning {
    public static let mmapThreshold: Int32 = 32 << 20
    public static let trimThreshold: Int32 = 256 << 20
    /// Whether `apply` changed glibc's settings in this process.
    nonisolated(unsafe) public private(set) static var applied = false

    /// Applies the settings, before the command allocates; returns whether they were set.
    @discardableResult
    public static func apply(environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        guard environment["MALLOC_MMAP_THRESHOLD_"] == nil, environment["MALLOC_TRIM_THRESHOLD_"] == nil else { return false }
        applied = melcnn_tune_allocator(mmapThreshold, trimThreshold) == 1
        return applied
    }

    /// One line for `melcnn info --cpu` and `make bench`.
    public static var description: String {
        applied ? "glibc, blocks up to \(mmapThreshold >> 20) MB from the heap, up to \(trimThreshold >> 20) MB kept free"
            : "as the C library is configured"
    }
}
