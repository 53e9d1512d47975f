import CHDF5
import Foundation

/// Checks HDF5 global heap collections (where variable-length strings live) before libhdf5
/// reads them. The collections carry no checksum in any file format, and libhdf5 1.10 trusts
/// the object sizes in them: a flipped bit in one makes `H5HG_read` copy past the collection
/// (a segmentation fault). A collection whose objects do not fit in it is an error instead.
enum GlobalHeapCheck {
    /// Files up to this size are scanned whole for collections; larger ones (data sets, whose
    /// strings are written after `/mels`) in their first and last `scanBytes`.
    static let scanWholeBelow = 256 << 20
    static let scanBytes = 32 << 20

    /// Throws `invalidArgument` naming the first damaged collection in the file at `path`
    /// (with 8-byte addresses and lengths, as melcnn and h5py write; other files are skipped).
    static func check(_ path: String, fileID: hid_t, _ context: H5Context) throws {
        guard let sizes = addressAndLengthSizes(fileID), sizes == (8, 8),
              let handle = FileHandle(forReadingAtPath: path) else { return }
        defer { try? handle.close() }
        let size = Int((try? handle.seekToEnd()) ?? 0)
        let ranges = size <= scanWholeBelow ? [0 ..< size] : [0 ..< scanBytes, (size - scanBytes) ..< size]
        for range in ranges {
            for address in try signatureAddresses(handle.fileDescriptor, in: range) {
                if case .damaged(let reason)? = try collection(at: address, handle: handle, fileSize: size) {
                    throw context.invalid("global heap (variable-length strings) at byte \(address): \(reason) (damaged file?)")
                }
            }
        }
    }

    static let signature = Data("GCOL".utf8)

    /// The file offsets of every "GCOL" in `range` of the open file `descriptor`, read with
    /// `pread` through one reused buffer of `chunkBytes` (consecutive chunks overlap by 3
    /// bytes). Reading a 130 MB data set into one `Data` faulted in fresh pages for all of
    /// it: 15% of a `prepare` that reopens its output.
    static func signatureAddresses(_ descriptor: Int32, in range: Range<Int>, chunkBytes: Int = 1 << 20) throws -> [Int] {
        precondition(chunkBytes >= 4)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkBytes, alignment: 64)
        defer { buffer.deallocate() }
        var addresses: [Int] = []
        var position = range.lowerBound
        while range.upperBound - position >= 4 {
            let want = min(chunkBytes, range.upperBound - position)
            var count = 0
            while count < want {
                let got = pread(descriptor, buffer.baseAddress! + count, want - count, off_t(position + count))
                if got < 0, errno == EINTR { continue }
                guard got > 0 else { break }
                count += got
            }
            for offset in signatureOffsets(in: UnsafeRawBufferPointer(rebasing: buffer[0 ..< count])) {
                addresses.append(position + offset)
            }
            guard count == want, position + count < range.upperBound else { break }
            position += count - 3
        }
        return addresses
    }

    /// The offsets of every "GCOL" in `raw`: each "G" found with the C library's `memchr`,
    /// then the next three bytes compared (Foundation's `Data.range(of:)` compares byte by
    /// byte: it was 13% of a `prepare` that reopened its 130 MB output).
    static func signatureOffsets(in raw: UnsafeRawBufferPointer) -> [Int] {
        guard let base = raw.baseAddress else { return [] }
        var offsets: [Int] = []
        var start = 0
        while raw.count - start >= 4, let g = memchr(base + start, 0x47, raw.count - start - 3) {
            let offset = base.distance(to: UnsafeRawPointer(g))
            if raw[offset + 1] == 0x43, raw[offset + 2] == 0x4F, raw[offset + 3] == 0x4C {  // "COL"
                offsets.append(offset)
                start = offset + 4
            } else {
                start = offset + 1
            }
        }
        return offsets
    }

    /// A global heap collection: the size of each object by index, or why it cannot be
    /// read safely.
    enum Collection {
        case objects([UInt64: UInt64])
        case damaged(String)
    }

    /// The collection at `address`, or nil when the bytes there are not a collection header
    /// (signature "GCOL", version 1, three zero bytes).
    static func collection(at address: Int, handle: FileHandle, fileSize: Int) throws -> Collection? {
        try handle.seek(toOffset: UInt64(address))
        guard let header = try handle.read(upToCount: 16), header.count == 16, header.prefix(4) == signature,
              header[header.startIndex + 4] == 1, header[(header.startIndex + 5) ..< (header.startIndex + 8)].allSatisfy({ $0 == 0 }) else {
            return nil
        }
        let size = littleEndian(header, at: 8)
        guard size >= 16, size <= UInt64(fileSize - address) else { return .damaged("collection size \(size) does not fit in the file") }
        try handle.seek(toOffset: UInt64(address))
        guard let bytes = try handle.read(upToCount: Int(size)), bytes.count == Int(size) else { return .damaged("truncated") }
        // Objects (HDF5 file format spec, "Global Heap"): index (2), reference count (2),
        // reserved (4), size (8), data padded to 8 bytes. Walked as libhdf5's deserialiser
        // does (H5HGcache.c): to the end of the collection; index 0 is free space whose size
        // includes its header (0 would loop for ever); a tail under 16 bytes is free space.
        var objects: [UInt64: UInt64] = [:]
        var offset = 16
        while offset + 16 <= bytes.count {
            let index = littleEndian(bytes, at: offset, bytes: 2)
            let objectSize = littleEndian(bytes, at: offset + 8)
            let left = UInt64(bytes.count - offset)
            let (padded, overflow) = objectSize.addingReportingOverflow(7)
            let need = index == 0 ? objectSize : (overflow ? UInt64.max : 16 + (padded & ~7))
            guard need > 0, need <= left else {
                return .damaged("object \(index) of \(objectSize) bytes does not fit in the collection of \(size) bytes")
            }
            if index > 0 { objects[index] = objectSize }
            offset += Int(need)
        }
        return .objects(objects)
    }

    /// The unsigned little-endian integer of `bytes` bytes at `offset` of `data`.
    static func littleEndian(_ data: Data, at offset: Int, bytes: Int = 8) -> UInt64 {
        var value: UInt64 = 0
        for k in (0 ..< bytes).reversed() { value = value << 8 | UInt64(data[data.startIndex + offset + k]) }
        return value
    }

    /// The file's address and length sizes in bytes (superblock), or nil when unknown.
    static func addressAndLengthSizes(_ fileID: hid_t) -> (Int, Int)? {
        let plist = H5Fget_create_plist(fileID)
        guard plist >= 0 else { return nil }
        defer { H5Pclose(plist) }
        var address = 0, length = 0
        guard H5Pget_sizes(plist, &address, &length) >= 0 else { return nil }
        return (address, length)
    }
}
