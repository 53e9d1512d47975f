import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Read-ahead of audio files that a batch job will open soon.
///
/// A folder of music on disk is otherwise read in the kernel's small sequential read-ahead
/// steps, each one a wait for the decoder; asked for the whole file while another file is
/// being decoded, the kernel reads it in the background and the decoder finds it in memory
/// (`prepare` and `features` ask for the file `jobs` places ahead of the one a worker takes;
/// `predict`, `embed` and `recommend`, which decode one file at a time, for the next one).
public enum ReadAhead {
    /// Asks the kernel to start reading all of `path` into the page cache and returns at once
    /// (Linux: `posix_fadvise(POSIX_FADV_WILLNEED)`). Best effort: missing or unreadable files,
    /// anything but a regular file (opened without blocking, so a FIFO cannot hang it) and
    /// other systems are ignored; the decoder reports such files when it opens them.
    public static func request(_ path: String) {
        #if os(Linux)
        let fd = PathBytes.withSystemPath(path) { Glibc.open($0, O_RDONLY | O_CLOEXEC | O_NONBLOCK) }
        guard fd >= 0 else { return }
        defer { close(fd) }
        var status = stat()
        guard fstat(fd, &status) == 0, status.st_mode & S_IFMT == S_IFREG else { return }
        _ = posix_fadvise(fd, 0, 0, POSIX_FADV_WILLNEED)
        #endif
    }
}
