import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An exclusive lock on a run folder, so that two processes never write into the same
/// run (their `last.h5`, `best.h5` and `metrics.csv` would mix).
///
/// The lock is `flock(LOCK_EX)` on `RUN/.lock`, a small file holding the owner's PID
/// (decimal text, for the message of the process that is refused). The kernel releases
/// the lock when the descriptor closes, also when the process is killed, so a stale
/// `.lock` file never blocks a later run. Keep the value alive for as long as the run
/// writes; `release()` or deallocation unlocks.
public final class RunFolderLock {
    /// The locked run folder.
    public let folder: URL
    private var fd: Int32

    /// The lock file inside a run folder.
    public static func lockFile(in folder: URL) -> URL { folder.appendingPathComponent(".lock") }

    /// Creates `folder` when missing (with its parents) and locks it without waiting.
    /// Throws `MelCNNError.runFolderInUse` at once when another process holds the lock,
    /// and `MelCNNError.invalidFile` when the folder or its lock file cannot be made.
    public init(folder: URL) throws {
        self.folder = folder
        try Trainer.makeRunDirectory(folder)
        let path = Self.lockFile(in: folder).path
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw MelCNNError.invalidFile(path: path, reason: "cannot create the run folder's lock file: \(String(cString: strerror(errno)))")
        }
        var locked = flock(fd, LOCK_EX | LOCK_NB) == 0
        while !locked && errno == EINTR { locked = flock(fd, LOCK_EX | LOCK_NB) == 0 }
        guard locked else {
            let holder = Self.readPID(fd)
            close(fd)
            throw MelCNNError.runFolderInUse(path: folder.path, pid: holder)
        }
        let text = "\(getpid())\n"
        _ = ftruncate(fd, 0)
        _ = text.withCString { pwrite(fd, $0, strlen($0), 0) }
        self.fd = fd
    }

    /// Locks `folder` when it is a run folder (it holds a `.lock` file, as every folder
    /// `train` has written into does); nil for any other folder, which stays free of
    /// lock files. For commands that may write into a run folder (`eval --out`).
    public static func lockIfRunFolder(_ folder: URL) throws -> RunFolderLock? {
        guard FileManager.default.fileExists(atPath: lockFile(in: folder).path) else { return nil }
        return try RunFolderLock(folder: folder)
    }

    /// Unlocks the folder (idempotent). The lock file stays: deleting it could let a third
    /// process lock a new file while a second still waits on the old one.
    public func release() {
        guard fd >= 0 else { return }
        close(fd)
        fd = -1
    }

    deinit { release() }

    /// The PID written by the holder (nil when the file is empty or not a number).
    private static func readPID(_ fd: Int32) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard n > 0 else { return nil }
        return Int32(String(decoding: buffer[..<n], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
