#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One file being written atomically: the temporary name beside the final one, and the
/// steps that make the result durable. The only owner of temporary names, fsync and
/// rename in melcnn; `atomicWrite` drives it.
///
/// 1. `init` checks the folder, removes stale temporary files of the same output left by
///    dead processes, proves a file can be created there, and registers the temporary
///    path for removal on SIGINT/SIGTERM/SIGHUP.
/// 2. The writer creates and closes the file at `temporaryPath`, checking every write,
///    flush and close.
/// 3. `commit` fsyncs the file, renames it over `finalPath` and fsyncs the folder, so a
///    crash or power cut leaves either the old file or the complete new one.
/// 4. On any failure `discard` removes the temporary file; `finalPath` is untouched.
struct AtomicOutput {
    /// Where the finished file goes.
    let finalPath: String
    /// The folder of `finalPath` ("." for a bare name).
    let folder: String
    /// `.<name>.tmp-<PID>-<hex>` in `folder`.
    let temporaryPath: String
    private let slot: Int?

    init(finalPath: String) throws {
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
        StaleTemporaryFiles.remove(in: folderForCheck, for: name)
        let suffix = String(UInt32.random(in: 0...UInt32.max), radix: 16)
        let temporaryName = StaleTemporaryFiles.name(for: name, pid: getpid(), suffix: suffix)
        let temporaryPath = (slash == nil ? "" : folder + "/") + temporaryName
        // Registered before the probe file exists, so that a signal at any moment removes it.
        let slot = TemporaryFileCleanup.register(temporaryPath)
        let probe = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        guard probe >= 0 else {
            let code = errno
            TemporaryFileCleanup.unregister(slot)
            let reason = code == ENOENT || code == ENOTDIR ? "cannot create files in \(folderForCheck)"
                : "cannot create files in \(folderForCheck): \(String(cString: strerror(code)))"
            throw AtomicWriteError.cannotCreate(file: finalPath, reason: reason)
        }
        close(probe)
        unlink(temporaryPath)
        self.finalPath = finalPath
        self.folder = folderForCheck
        self.temporaryPath = temporaryPath
        self.slot = slot
    }

    /// Makes the finished temporary file durable and renames it to `finalPath`.
    /// Throws (after removing the temporary file) when it is missing or fsync or
    /// rename fails; `finalPath` then still holds its previous content.
    func commit() throws {
        guard access(temporaryPath, F_OK) == 0 else {
            discard()
            throw AtomicWriteError.nothingWritten(file: finalPath)
        }
        do {
            try Self.syncFile(path: temporaryPath, finalPath: finalPath)
        } catch {
            discard()
            throw error
        }
        if rename(temporaryPath, finalPath) != 0 {
            let reason = String(cString: strerror(errno))
            discard()
            throw AtomicWriteError.renameFailed(file: finalPath, reason: reason)
        }
        TemporaryFileCleanup.unregister(slot)
        // The new file is in place; a folder fsync that fails (some file systems refuse it)
        // only means the rename might not survive a power cut, so it is not an error.
        let dir = open(folder, O_RDONLY | O_DIRECTORY)
        if dir >= 0 {
            _ = fsync(dir)
            close(dir)
        }
    }

    /// Removes the temporary file (if any) and forgets it.
    func discard() {
        unlink(temporaryPath)
        TemporaryFileCleanup.unregister(slot)
    }

    /// The error for a failed write of `finalPath`: the disk problem when `error` names
    /// one (no space, quota, file too large, I/O error, read-only), else `error` itself.
    func translate(_ error: Error) -> Error {
        guard let reason = Self.diskProblem(in: String(describing: error)) else { return error }
        return AtomicWriteError.writeFailed(file: finalPath, reason: reason)
    }

    /// The lower-case `strerror` text of a disk error code mentioned in `text`
    /// (HDF5 reports them inside its error stack as "error message = 'No space left on device'").
    static func diskProblem(in text: String) -> String? {
        for code in [ENOSPC, EDQUOT, EFBIG, EIO, EROFS] {
            let message = String(cString: strerror(code))
            if text.contains(message) { return lowercasingFirst(message) }
        }
        return nil
    }

    /// The one-line reason for the current `errno` ("no space left on device").
    static func errnoReason(_ code: Int32 = errno) -> String {
        lowercasingFirst(String(cString: strerror(code)))
    }

    private static func lowercasingFirst(_ text: String) -> String {
        text.prefix(1).lowercased() + text.dropFirst()
    }

    /// fsyncs the file at `path`; errors name `finalPath`.
    private static func syncFile(path: String, finalPath: String) throws {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw AtomicWriteError.writeFailed(file: finalPath, reason: errnoReason()) }
        let synced = fsync(fd) == 0
        let code = errno
        let closed = close(fd) == 0
        guard synced else { throw AtomicWriteError.writeFailed(file: finalPath, reason: errnoReason(code)) }
        guard closed else { throw AtomicWriteError.writeFailed(file: finalPath, reason: errnoReason()) }
    }
}
