import CHDF5
import Foundation

extension H5Dataset {
    /// Checks the stored references of a contiguous variable-length string dataset of `count`
    /// elements before libhdf5 follows them: each must name an object of its global heap
    /// collection whose size is the string length the reference states. libhdf5 1.10 sizes
    /// its buffer by the reference and copies the object's size into it, so a flipped bit in
    /// a reference (raw data, without a checksum) would overrun the heap. Other layouts,
    /// files open for writing and files with other than 8-byte addresses are left to libhdf5.
    func checkStringReferences(count: Int) throws {
        let did = try id()
        H5Library.prepare()
        let address = H5Dget_offset(did)
        guard count > 0, address != haddr_t.max, let start = Int(exactly: address) else { return }
        let fid = try context.id("H5Iget_file_id") { H5Iget_file_id(did) }
        let sizes = GlobalHeapCheck.addressAndLengthSizes(fid)
        var intent: UInt32 = 0
        let intentKnown = H5Fget_intent(fid, &intent) >= 0
        H5Fclose(fid)
        // A file open for writing may hold unflushed data: the disk is not the truth yet.
        guard intentKnown, intent & melcnn_h5f_acc_rdwr() == 0 else { return }
        guard let sizes, sizes == (8, 8), let handle = FileHandle(forReadingAtPath: filePath) else { return }
        defer { try? handle.close() }
        let fileSize = Int(try handle.seekToEnd())
        // Disk form of one reference: length (4), collection address (8), object index (4).
        let bytes = try H5Bounds.byteCount(count, elementSize: 16, context)
        guard start <= fileSize, bytes <= fileSize - start else {
            throw context.invalid("\(count) string references at byte \(start) run past the end of the file (damaged file?)")
        }
        try handle.seek(toOffset: UInt64(start))
        guard let refs = try handle.read(upToCount: bytes), refs.count == bytes else { return }
        var collections: [UInt64: GlobalHeapCheck.Collection] = [:]
        for k in 0 ..< count {
            let length = GlobalHeapCheck.littleEndian(refs, at: 16 * k, bytes: 4)
            let heap = GlobalHeapCheck.littleEndian(refs, at: 16 * k + 4)
            let index = GlobalHeapCheck.littleEndian(refs, at: 16 * k + 12, bytes: 4)
            if heap == 0 { continue } // an empty string
            if collections[heap] == nil {
                guard let at = Int(exactly: heap), at < fileSize,
                      let found = try GlobalHeapCheck.collection(at: at, handle: handle, fileSize: fileSize) else {
                    throw context.invalid("string \(k) points at byte \(heap), which holds no global heap (damaged file?)")
                }
                collections[heap] = found
            }
            switch collections[heap]! {
            case .damaged(let reason):
                throw context.invalid("global heap at byte \(heap): \(reason) (damaged file?)")
            case .objects(let objects) where objects[index] != length:
                throw context.invalid("string \(k) states \(length) bytes but its heap object \(index) holds \(objects[index].map(String.init) ?? "nothing") (damaged file?)")
            case .objects:
                continue
            }
        }
    }
}
