#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs `body` with this process's file-size limit (RLIMIT_FSIZE, bytes) lowered to `limit`;
/// SIGXFSZ is ignored meanwhile, so a write past the limit fails with EFBIG (as a full disk
/// fails with ENOSPC) instead of killing the test. Any user can lower the limit.
public func withFileSizeLimit<T>(_ limit: Int, _ body: () throws -> T) rethrows -> T {
    var saved = rlimit()
    getrlimit(Int32(RLIMIT_FSIZE.rawValue), &saved)
    let previousHandler = signal(SIGXFSZ, SIG_IGN)
    var lowered = saved
    lowered.rlim_cur = rlim_t(limit)
    precondition(setrlimit(Int32(RLIMIT_FSIZE.rawValue), &lowered) == 0, "setrlimit(RLIMIT_FSIZE) failed")
    defer {
        setrlimit(Int32(RLIMIT_FSIZE.rawValue), &saved)
        signal(SIGXFSZ, previousHandler)
    }
    return try body()
}
