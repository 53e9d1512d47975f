import CHDF5
#if canImport(Glibc)
import Glibc
#endif

/// UTF-8 variable-length strings (h5py's `str` type), shared by string
/// datasets and string attributes. Fixed-length strings are read too.
enum H5Strings {
    /// A new variable-length UTF-8 string type; the caller closes it.
    static func variableType(_ context: H5Context) throws -> hid_t {
        let type = try context.id("H5Tcopy") { H5Tcopy(melcnn_h5t_c_s1()) }
        do {
            try context.check("H5Tset_size") { H5Tset_size(type, melcnn_h5t_variable()) }
            try context.check("H5Tset_cset") { H5Tset_cset(type, H5T_CSET_UTF8) }
        } catch {
            H5Tclose(type)
            throw error
        }
        return type
    }

    /// Calls `body` with a C array of NUL-terminated copies of `values`.
    static func withCStrings<R>(
        _ values: [String], _ body: (UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) throws -> R
    ) rethrows -> R {
        var pointers: [UnsafeMutablePointer<CChar>?] = values.map { strdup($0) }
        defer { pointers.forEach { free($0) } }
        return try pointers.withUnsafeMutableBufferPointer { try body($0.baseAddress!) }
    }

    /// Writes `values` with memory type variable-length UTF-8 through `write(memType, buffer)`.
    static func write(
        _ values: [String], _ context: H5Context, _ write: (hid_t, UnsafeMutableRawPointer) -> herr_t
    ) throws {
        guard !values.isEmpty else { return }
        let memType = try variableType(context)
        defer { H5Tclose(memType) }
        try withCStrings(values) { buffer in
            try context.check("write strings") { write(memType, UnsafeMutableRawPointer(buffer)) }
        }
    }

    /// Reads `count` strings stored with file type `fileType`, variable or fixed
    /// length, through `read(memType, buffer)`; `space` is the selection read
    /// (used to free variable-length memory).
    static func read(
        count: Int, fileType: hid_t, space: hid_t, _ context: H5Context,
        _ read: (hid_t, UnsafeMutableRawPointer) -> herr_t
    ) throws -> [String] {
        guard H5Tget_class(fileType) == H5T_STRING else {
            throw context.type(expected: "strings", actual: "\(H5DType(type: fileType))")
        }
        guard count > 0 else { return [] }
        let cset = H5Tget_cset(fileType)
        let memType = try context.id("H5Tcopy") { H5Tcopy(melcnn_h5t_c_s1()) }
        defer { H5Tclose(memType) }
        try context.check("H5Tset_cset") { H5Tset_cset(memType, cset) }
        if H5Tis_variable_str(fileType) > 0 {
            try context.check("H5Tset_size") { H5Tset_size(memType, melcnn_h5t_variable()) }
            var pointers = [UnsafeMutablePointer<CChar>?](repeating: nil, count: count)
            return try pointers.withUnsafeMutableBufferPointer { buffer in
                let raw = UnsafeMutableRawPointer(buffer.baseAddress!)
                try context.check("read strings") { read(memType, raw) }
                defer { _ = H5Dvlen_reclaim(memType, space, melcnn_h5p_default(), raw) }
                return buffer.map { $0.map { String(cString: $0) } ?? "" }
            }
        }
        let size = H5Tget_size(fileType)
        guard size > 0 else { return [String](repeating: "", count: count) }
        try context.check("H5Tset_size") { H5Tset_size(memType, size) }
        try context.check("H5Tset_strpad") { H5Tset_strpad(memType, H5T_STR_NULLPAD) }
        var bytes = [UInt8](repeating: 0, count: try H5Bounds.byteCount(count, elementSize: size, context))
        try bytes.withUnsafeMutableBytes { buffer in
            try context.check("read strings") { read(memType, buffer.baseAddress!) }
        }
        let spacePadded = H5Tget_strpad(fileType) == H5T_STR_SPACEPAD
        return (0..<count).map { index in
            var field = bytes[(index * size)..<((index + 1) * size)]
            if let nul = field.firstIndex(of: 0) { field = field[..<nul] }
            if spacePadded { while field.last == 0x20 { field = field.dropLast() } }
            return String(decoding: field, as: UTF8.self)
        }
    }
}

extension H5Group {
    /// Creates a 1-D dataset of variable-length UTF-8 strings (h5py reads
    /// them as `str` with `.asstr()`, or as objects). Pass
    /// `options: H5DatasetOptions(extendable: true)` to `appendStrings` later.
    @discardableResult
    public func createStringDataset(
        _ path: String, values: [String], options: H5DatasetOptions = .contiguous
    ) throws -> H5Dataset {
        let ctx = context.child(path)
        let fileType = try H5Strings.variableType(ctx)
        defer { H5Tclose(fileType) }
        let dataset = try createDataset(path, fileType: fileType, elementSize: MemoryLayout<UnsafeRawPointer>.size,
                                        shape: [values.count], options: options)
        try dataset.writeStrings(values)
        return dataset
    }
}

extension H5Dataset {
    /// Reads every element of a string dataset (any rank, flat row-major).
    public func readStrings() throws -> [String] {
        let did = try id()
        let n = try checkedCount()
        if try withFileType({ H5Tis_variable_str($0) > 0 }) { try checkStringReferences(count: n) }
        return try withFileType { fileType in
            try withFileSpace { space in
                try H5Strings.read(count: n, fileType: fileType, space: space, context) { memType, buffer in
                    H5Dread(did, memType, melcnn_h5s_all(), melcnn_h5s_all(), melcnn_h5p_default(), buffer)
                }
            }
        }
    }

    /// Overwrites every element of a variable-length string dataset.
    public func writeStrings(_ values: [String]) throws {
        let did = try id()
        try requireStrings()
        let n = try count
        guard values.count == n else { throw context.shape("\(values.count) strings for \(n) elements") }
        try H5Strings.write(values, context) { memType, buffer in
            H5Dwrite(did, memType, melcnn_h5s_all(), melcnn_h5s_all(), melcnn_h5p_default(), buffer)
        }
    }

    /// Appends strings to an extendable 1-D string dataset.
    public func appendStrings(_ values: [String]) throws {
        try requireStrings()
        let dims = try shape
        guard dims.count == 1 else { throw context.invalid("appendStrings needs a 1-D dataset, shape is \(dims)") }
        let start = try extend(byRowsFor: values.count, dims)
        guard !values.isEmpty else { return }
        let end = start + values.count
        let memType = try H5Strings.variableType(context)
        defer { H5Tclose(memType) }
        try H5Strings.withCStrings(values) { buffer in
            try transferRows(start..<end, dims: [end]) { did, memSpace, fileSpace in
                H5Dwrite(did, memType, memSpace, fileSpace, melcnn_h5p_default(), buffer)
            }
        }
    }

    func requireStrings() throws {
        let type = try dtype
        guard type == .string else { throw context.type(expected: "strings", actual: "\(type)") }
    }
}
