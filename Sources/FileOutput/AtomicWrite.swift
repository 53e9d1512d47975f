#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An error from `atomicWrite`; `description` is one line naming the file.
public enum AtomicWriteError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The folder that should receive the file does not exist.
    case folderNotFound(file: String, folder: String)
    /// A directory is in the way of the file.
    case isDirectory(file: String)
    /// No file can be created in the folder (permissions, read-only or special file system).
    case cannotCreate(file: String, reason: String)
    /// The writer returned without creating the temporary file.
    case nothingWritten(file: String)
    /// Renaming the finished temporary file into place failed.
    case renameFailed(file: String, reason: String)
    /// Writing, flushing, closing or fsyncing the file failed; `reason` is the system's
    /// lower-case text ("no space left on device").
    case writeFailed(file: String, reason: String)

    public var description: String {
        switch self {
        case .folderNotFound(let file, let folder):
            return "cannot write \(file): folder \(folder) does not exist"
        case .isDirectory(let file):
            return "cannot write \(file): it is a directory"
        case .cannotCreate(let file, let reason):
            return "cannot write \(file): \(reason)"
        case .nothingWritten(let file):
            return "cannot write \(file): the writer produced no file"
        case .renameFailed(let file, let reason):
            return "cannot write \(file): rename into place failed: \(reason)"
        case .writeFailed(let file, let reason):
            return "cannot write \(file): \(reason)"
        }
    }
}

/// Writes any file atomically: `body` receives a temporary path in the same
/// folder as `finalPath` and must create the file there, check every write and
/// close it; only when `body` returns is the file fsynced and renamed to `finalPath`
/// (replacing an old one in a single step; the folder is fsynced too). When `body` or
/// the fsync throws, the temporary file is removed, `finalPath` keeps its previous
/// content, and the error is rethrown; a disk error (no space left, quota, file too
/// large, I/O error) becomes one `AtomicWriteError.writeFailed` line naming `finalPath`.
/// Before `body` runs, stale temporary files of the same output left by dead processes
/// are removed (reported on stderr), and a file is created and removed to check that the
/// folder accepts files, so that an unwritable output fails at once, not after the work.
/// SIGINT/SIGTERM/SIGHUP during `body` remove the temporary file (`TemporaryFileCleanup`).
///
/// ```swift
/// try atomicWrite(to: "metrics.csv", text: csv)            // bytes: see below
/// try atomicWrite(to: "out.wav") { tmp in try wav.write(to: tmp) }  // any writer that checks its writes
/// ```
@discardableResult
public func atomicWrite<T>(to finalPath: String, _ body: (_ temporaryPath: String) throws -> T) throws -> T {
    let output = try AtomicOutput(finalPath: finalPath)
    let result: T
    do {
        result = try body(output.temporaryPath)
    } catch {
        output.discard()
        throw output.translate(error)
    }
    try output.commit()
    return result
}

/// Writes `bytes` to `finalPath` atomically (see `atomicWrite(to:_:)`): every write and
/// the close are checked, so a full disk is one error line naming `finalPath` and the
/// previous file stays.
public func atomicWrite(to finalPath: String, bytes: some Collection<UInt8>) throws {
    try atomicWrite(to: finalPath) { temporaryPath in
        let fd = open(temporaryPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw AtomicWriteError.writeFailed(file: finalPath, reason: AtomicOutput.errnoReason()) }
        let array = Array(bytes)
        var written = 0
        while written < array.count {
            let n = array.withUnsafeBytes { write(fd, $0.baseAddress! + written, $0.count - written) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else {
                let reason = AtomicOutput.errnoReason(n == 0 ? EIO : errno)
                close(fd)
                throw AtomicWriteError.writeFailed(file: finalPath, reason: reason)
            }
            written += n
        }
        guard close(fd) == 0 else { throw AtomicWriteError.writeFailed(file: finalPath, reason: AtomicOutput.errnoReason()) }
    }
}

/// Writes `text` as UTF-8 to `finalPath` atomically (see `atomicWrite(to:bytes:)`).
public func atomicWrite(to finalPath: String, text: String) throws {
    try atomicWrite(to: finalPath, bytes: text.utf8)
}

/// True when `a` and `b` name the same existing file (same device and inode, so
/// relative paths, `..` and symbolic links are seen through). Commands use it to
/// refuse an output path that is one of their inputs.
public func isSameFile(_ a: String, _ b: String) -> Bool {
    var sa = stat(), sb = stat()
    guard stat(a, &sa) == 0, stat(b, &sb) == 0 else { return false }
    return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino
}
