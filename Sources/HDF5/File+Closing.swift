import CHDF5
#if canImport(Glibc)
import Glibc
#endif

/// Closing a file that was written, with every result checked.
///
/// libhdf5 keeps metadata (and chunk caches) in memory and writes them at flush and
/// close; on a full disk those writes fail. An H5Fclose that fails leaves the file
/// identifier open inside libhdf5, which then retries at process exit (H5close) and can
/// crash there. So a failed flush or close empties the file on disk (its content is
/// lost anyway) and closes again: with the space freed, libhdf5's last writes succeed
/// and no identifier outlives the call.
extension H5File {
    /// Flushes and closes the file, throwing the first failure (H5Fflush or H5Fclose)
    /// as `H5Error.library`; the identifier is released either way.
    func finishWriting() throws {
        guard let fid = takeID() else { throw H5Error.closed(file: filePath, object: "/") }
        H5Library.prepare()
        var failure: H5Error?
        if H5Fflush(fid, H5F_SCOPE_GLOBAL) < 0 { failure = context.library("H5Fflush") }
        if H5Fclose(fid) < 0 {
            if failure == nil { failure = context.library("H5Fclose") }
            releaseAfterFailedClose(fid)
        }
        if let failure { throw failure }
    }

    /// Closes the file after the writer failed, ignoring the content (it is removed).
    func abandonWriting() {
        guard let fid = takeID() else { return }
        H5Library.prepare()
        if H5Fclose(fid) < 0 { releaseAfterFailedClose(fid) }
        _ = H5Eclear2(melcnn_h5e_default())
    }

    /// After H5Fclose failed: frees the file's disk space and closes again, so that
    /// libhdf5's remaining writes fit and the identifier is gone before process exit.
    private func releaseAfterFailedClose(_ fid: hid_t) {
        _ = truncate(filePath, 0)
        if H5Iis_valid(fid) > 0 { _ = H5Fclose(fid) }
        _ = H5Eclear2(melcnn_h5e_default())
    }
}
