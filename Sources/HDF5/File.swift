import CHDF5
import FileOutput
#if canImport(Glibc)
import Glibc
#endif

/// An open HDF5 file; it is also its root group ("/"), so groups, datasets and
/// attributes are created on it directly.
///
/// ```swift
/// let file = try H5File.create("/tmp/x.h5")
/// try file.createDataset("mels", values: mels, shape: [frames, 128])
/// try file.attributes.write("format", "melcnn-dataset")
/// file.close()
/// ```
public final class H5File: H5Group {
    /// How an existing file is opened.
    public enum Mode: Sendable {
        case readOnly, readWrite
    }

    /// The mode the file was opened with (`create` gives `.readWrite`).
    public let mode: Mode

    private init(id: hid_t, filePath: String, mode: Mode) {
        self.mode = mode
        super.init(id: id, filePath: filePath, path: "/")
    }

    override func closeHandle(_ id: hid_t) {
        _ = H5Fflush(id, H5F_SCOPE_LOCAL)
        _ = H5Fclose(id)
    }

    /// Creates a new file, replacing any file already at `path`, in the HDF5 1.10 file
    /// format, whose metadata (superblock, object headers, groups, chunk indexes) carries
    /// checksums: a damaged metadata block is reported instead of being walked.
    public static func create(_ path: String) throws -> H5File {
        let ctx = H5Context(file: path, object: "/")
        let fapl = try ctx.id("H5Pcreate") { H5Pcreate(melcnn_h5p_file_access()) }
        defer { H5Pclose(fapl) }
        try ctx.check("H5Pset_libver_bounds") { melcnn_h5p_set_libver_checksummed(fapl) }
        let fid = try ctx.id("H5Fcreate") {
            H5Fcreate(path, melcnn_h5f_acc_trunc(), melcnn_h5p_default(), fapl)
        }
        return H5File(id: fid, filePath: path, mode: .readWrite)
    }

    /// Opens an existing file. Throws `fileNotFound` when nothing is at `path`,
    /// `notHDF5` when it is not an HDF5 file, `library` or `invalidArgument` when it is
    /// damaged (its global heap is checked first, see `GlobalHeapCheck`).
    public static func open(_ path: String, mode: Mode = .readOnly) throws -> H5File {
        let ctx = H5Context(file: path, object: "/")
        var info = stat()
        guard stat(path, &info) == 0 else { throw H5Error.fileNotFound(file: path) }
        if (info.st_mode & S_IFMT) == S_IFDIR { throw H5Error.isDirectory(file: path) }
        if (info.st_mode & S_IFMT) != S_IFREG { throw H5Error.notRegularFile(file: path) }
        H5Library.prepare()
        let isHDF5 = H5Fis_hdf5(path)
        if isHDF5 == 0 { throw H5Error.notHDF5(file: path) }
        if isHDF5 < 0 { throw ctx.library("H5Fis_hdf5") }
        let flags = mode == .readOnly ? melcnn_h5f_acc_rdonly() : melcnn_h5f_acc_rdwr()
        let fid = try ctx.id("H5Fopen") { H5Fopen(path, flags, melcnn_h5p_default()) }
        let file = H5File(id: fid, filePath: path, mode: mode)
        // Before any string is read: libhdf5 trusts the sizes in the global heap.
        try GlobalHeapCheck.check(path, fileID: fid, ctx)
        return file
    }

    /// Writes buffered data to disk without closing.
    public func flush() throws {
        let fid = try id()
        try context.check("H5Fflush") { H5Fflush(fid, H5F_SCOPE_LOCAL) }
    }

    /// Creates an HDF5 file atomically: `body` fills a file under a temporary
    /// name in the same folder; it is flushed and closed (both results checked, see
    /// `finishWriting`), fsynced and renamed to `path` only when `body` returns, and
    /// removed when anything fails. A full disk is one `AtomicWriteError.writeFailed`
    /// line naming `path`; the previous file at `path` is untouched.
    @discardableResult
    public static func createAtomically<T>(_ path: String, _ body: (H5File) throws -> T) throws -> T {
        try atomicWrite(to: path) { temporaryPath in
            let file = try H5File.create(temporaryPath)
            let result: T
            do {
                result = try body(file)
            } catch {
                file.abandonWriting()
                throw error
            }
            try file.finishWriting()
            return result
        }
    }
}
