import CHDF5
#if canImport(Glibc)
import Glibc
#endif

extension H5Dataset {
    /// Asks the kernel to start writing the file's dirty pages to disk now, without waiting
    /// (Linux: `posix_fadvise(POSIX_FADV_DONTNEED)`, the fallback of PostgreSQL's
    /// `pg_flush_data` where `sync_file_range` is out of reach), so that the fsync ending an
    /// atomic write has little left to wait for. Best effort: nothing happens on other
    /// systems, drivers or errors, and durability still comes from that fsync.
    func startWriteback() {
        #if os(Linux)
        guard let did = try? id() else { return }
        let fid = H5Iget_file_id(did)
        guard fid >= 0 else { return }
        defer { H5Fclose(fid) }
        let descriptor = melcnn_h5f_sec2_descriptor(fid)
        if descriptor >= 0 { _ = posix_fadvise(descriptor, 0, 0, POSIX_FADV_DONTNEED) }
        #endif
    }
}
