import CHDF5
#if canImport(Glibc)
import Glibc
#endif

/// Closing a file that was written, with every result checked.
///
/// libhdf5 keeps metadata (and chunk caches) in memory and writes them at flush and
/// close; on a full disk those writes fail. libhdf5 1.10 must then not see H5Fclose: a
/// failed H5Fclose leaves a half-destroyed file behind, and the next call that touches it
/// (another H5Fclose, or H5close at process exit) dereferences freed memory (SIGSEGV,
/// exit status 139). So the file is flushed first; when that fails, its disk space is
/// freed (the content is discarded anyway) and the flush is retried, and only a file
/// that flushed is closed. A file that still cannot be flushed (a persistent I/O error or
/// file-size limit) is left open and harmless: `H5Library` switches off libhdf5's exit
/// handler, so nothing touches it again.
extension H5File {
    /// Flushes and closes the file, throwing the first failure (H5Fflush or H5Fclose) as
    /// `H5Error.library`; the identifier is released either way.
    func finishWriting() throws {
        guard let fid = takeID() else { throw H5Error.closed(file: filePath, object: "/") }
        H5Library.prepare()
        if H5Fflush(fid, H5F_SCOPE_GLOBAL) < 0 {
            let failure = context.library("H5Fflush")
            discardUnflushable(fid)
            throw failure
        }
        if H5Fclose(fid) < 0 { throw context.library("H5Fclose") }
    }

    /// Closes the file after the writer failed, ignoring its content (it is removed).
    func abandonWriting() {
        guard let fid = takeID() else { return }
        H5Library.prepare()
        if H5Fflush(fid, H5F_SCOPE_GLOBAL) < 0 {
            discardUnflushable(fid)
        } else {
            _ = H5Fclose(fid)
        }
        _ = H5Eclear2(melcnn_h5e_default())
    }

    /// After a failed flush: empties the file on disk so that libhdf5's pending writes
    /// fit, flushes again and closes only when that worked (see the type's comment).
    private func discardUnflushable(_ fid: hid_t) {
        _ = truncate(filePath, 0)
        if H5Fflush(fid, H5F_SCOPE_GLOBAL) >= 0 { _ = H5Fclose(fid) }
        _ = H5Eclear2(melcnn_h5e_default())
    }
}
