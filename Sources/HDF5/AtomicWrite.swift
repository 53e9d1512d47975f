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
        }
    }
}

/// Writes any file atomically: `body` receives a temporary path in the same
/// folder as `finalPath` and must create the file there (and close it); only
/// when `body` returns is the file renamed to `finalPath` (replacing an old
/// one in a single step). When `body` throws, the temporary file is removed,
/// nothing appears under `finalPath` (an existing file there is untouched),
/// and the error is rethrown. Before `body` runs, the temporary file is created
/// and removed again to check that the folder accepts files, so that an unwritable output
/// fails at once with an error naming `finalPath`, not after the work.
///
/// ```swift
/// try atomicWrite(to: "metrics.csv") { tmp in try text.write(toFile: tmp, atomically: false, encoding: .utf8) }
/// ```
@discardableResult
public func atomicWrite<T>(to finalPath: String, _ body: (_ temporaryPath: String) throws -> T) throws -> T {
    let slash = finalPath.lastIndex(of: "/")
    let folder = slash.map { String(finalPath[..<$0]) } ?? "."
    let name = slash.map { String(finalPath[finalPath.index(after: $0)...]) } ?? finalPath
    let folderForCheck = folder.isEmpty ? "/" : folder
    guard access(folderForCheck, F_OK) == 0 else {
        throw AtomicWriteError.folderNotFound(file: finalPath, folder: folderForCheck)
    }
    var info = stat()
    if stat(finalPath, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
        throw AtomicWriteError.isDirectory(file: finalPath)
    }
    let suffix = String(UInt32.random(in: 0...UInt32.max), radix: 16)
    let temporaryPath = (slash == nil ? "" : folder + "/") + ".\(name).tmp-\(getpid())-\(suffix)"
    let probe = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL, 0o644)
    guard probe >= 0 else {
        let reason = errno == ENOENT || errno == ENOTDIR ? "cannot create files in \(folderForCheck)"
            : "cannot create files in \(folderForCheck): \(String(cString: strerror(errno)))"
        throw AtomicWriteError.cannotCreate(file: finalPath, reason: reason)
    }
    close(probe)
    unlink(temporaryPath)
    let result: T
    do {
        result = try body(temporaryPath)
    } catch {
        unlink(temporaryPath)
        throw error
    }
    guard access(temporaryPath, F_OK) == 0 else { throw AtomicWriteError.nothingWritten(file: finalPath) }
    if rename(temporaryPath, finalPath) != 0 {
        let reason = String(cString: strerror(errno))
        unlink(temporaryPath)
        throw AtomicWriteError.renameFailed(file: finalPath, reason: reason)
    }
    return result
}

/// True when `a` and `b` name the same existing file (same device and inode, so
/// relative paths, `..` and symbolic links are seen through). Commands use it to
/// refuse an output path that is one of their inputs.
public func isSameFile(_ a: String, _ b: String) -> Bool {
    var sa = stat(), sb = stat()
    guard stat(a, &sa) == 0, stat(b, &sb) == 0 else { return false }
    return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino
}
