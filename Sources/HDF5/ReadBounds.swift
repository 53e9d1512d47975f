import CHDF5

/// Checks of the sizes a file states (dimensions, element counts, storage) before they
/// size an allocation or an index: a damaged shape is an error naming the file and the
/// object, never an arithmetic trap or a terabyte allocation.
enum H5Bounds {
    /// Largest ratio of inflated to deflated bytes, 1032:1 (zlib technical details,
    /// "maximum compression factor", zlib.net/zlib_tech.html).
    static let deflateRatio = 1032
    /// Bytes a dataset may hold beyond what its storage explains: fill values of chunks
    /// never written, or a small dataset whose storage is not allocated yet.
    static let unstoredBytes = 1 << 20

    /// A size or dimension read from the file as `Int`; an error when it does not fit.
    static func int(_ value: hsize_t, _ what: String, _ context: H5Context) throws -> Int {
        guard let v = Int(exactly: value) else { throw context.invalid("\(what) \(value) is too large (damaged file?)") }
        return v
    }

    /// The product of `dims` (1 for a scalar); an error when it overflows `Int`.
    static func elementCount(_ dims: [Int], _ context: H5Context) throws -> Int {
        var n = 1
        for d in dims {
            let (product, overflow) = n.multipliedReportingOverflow(by: d)
            guard d >= 0, !overflow else { throw context.invalid("shape \(dims) has too many elements (damaged file?)") }
            n = product
        }
        return n
    }

    /// `count * elementSize` in bytes; an error when it overflows `Int`.
    static func byteCount(_ count: Int, elementSize: Int, _ context: H5Context) throws -> Int {
        let (bytes, overflow) = count.multipliedReportingOverflow(by: elementSize)
        guard !overflow, bytes >= 0 else { throw context.invalid("\(count) elements of \(elementSize) bytes do not fit in memory (damaged file?)") }
        return bytes
    }

    /// Throws unless `logicalBytes` can come from `stored` bytes that expand at most
    /// `ratio` times (plus `unstoredBytes`), and `stored` fits in a file of `fileSize` bytes.
    static func checkStorage(logicalBytes: Int, stored: Int, ratio: Int, fileSize: Int, _ context: H5Context) throws {
        guard stored <= fileSize else {
            throw context.invalid("stores \(stored) bytes in a file of \(fileSize) bytes (damaged file?)")
        }
        let (expanded, overflow) = stored.multipliedReportingOverflow(by: ratio)
        guard overflow || logicalBytes <= expanded + unstoredBytes else {
            throw context.invalid("its shape needs \(logicalBytes) bytes but the file stores \(stored) bytes for it (damaged file?)")
        }
    }
}

extension H5Object {
    /// Size in bytes of the file holding this object, as on disk (`H5Fget_filesize`).
    func fileSize() throws -> Int {
        let oid = try id()
        let fid = try context.id("H5Iget_file_id") { H5Iget_file_id(oid) }
        defer { H5Fclose(fid) }
        var size: hsize_t = 0
        try context.check("H5Fget_filesize") { H5Fget_filesize(fid, &size) }
        return try H5Bounds.int(size, "file size", context)
    }
}

extension H5Dataset {
    /// The number of elements of the whole dataset, once its shape is checked against the
    /// bytes the file stores for it (at most `deflateRatio` times more when a compression
    /// filter is on) and against the file size. The check is skipped while the shape is
    /// the one last checked. Every whole or row read goes through it.
    public func checkedCount() throws -> Int {
        let dims = try shape
        let n = try H5Bounds.elementCount(dims, context)
        if let checkedShape, checkedShape == dims { return n }
        // Variable-length strings store a heap reference per element: count at least 1 byte.
        let elementSize = try withFileType { H5Tis_variable_str($0) > 0 ? 1 : max(1, Int(H5Tget_size($0))) }
        let bytes = try H5Bounds.byteCount(n, elementSize: elementSize, context)
        if bytes > H5Bounds.unstoredBytes {
            let did = try id()
            H5Library.prepare()
            let stored = try H5Bounds.int(H5Dget_storage_size(did), "storage size", context)
            let compressed = try filters.contains { $0 != "shuffle" && $0 != "fletcher32" }
            try H5Bounds.checkStorage(logicalBytes: bytes, stored: stored, ratio: compressed ? H5Bounds.deflateRatio : 1,
                                      fileSize: try fileSize(), context)
        }
        checkedShape = dims
        return n
    }
}

extension H5Attributes {
    /// Throws unless `count` elements of `elementSize` bytes fit in the file (attribute
    /// data is stored uncompressed in the object's header or heap).
    func checkAttributeSize(count: Int, elementSize: Int, _ context: H5Context) throws {
        let bytes = try H5Bounds.byteCount(count, elementSize: max(1, elementSize), context)
        let size = try owner.fileSize()
        guard bytes <= size else {
            throw context.invalid("claims \(count) elements (\(bytes) bytes) in a file of \(size) bytes (damaged file?)")
        }
    }
}
