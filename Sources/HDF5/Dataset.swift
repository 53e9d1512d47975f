import CHDF5

/// An HDF5 dataset: an n-dimensional array of one element type, stored
/// row-major (C order, as NumPy/h5py). Values cross the API as flat row-major
/// Swift arrays: element `[i, j, k]` of a `[d0, d1, d2]` dataset is at
/// `(i * d1 + j) * d2 + k`. A "row" is everything below the first dimension
/// (`d1 * d2` elements here).
public final class H5Dataset: H5Object {
    /// The shape last checked against the file's storage by `checkedCount()`.
    var checkedShape: [Int]?

    override func closeHandle(_ id: hid_t) {
        _ = H5Dclose(id)
    }

    // MARK: Shape and type

    /// Current dimensions (`[]` for a scalar dataset).
    public var shape: [Int] {
        get throws { try withFileSpace { try H5Dataspace.dims($0, context) } }
    }

    /// Maximum dimensions; nil marks an unlimited (extendable) dimension.
    public var maxShape: [Int?] {
        get throws { try withFileSpace { try H5Dataspace.maxDims($0, context) } }
    }

    /// Number of dimensions.
    public var rank: Int {
        get throws { try shape.count }
    }

    /// Total number of elements (product of `shape`; 1 for a scalar); throws when a
    /// damaged shape's product overflows.
    public var count: Int {
        get throws { try H5Bounds.elementCount(shape, context) }
    }

    /// Element type as stored in the file.
    public var dtype: H5DType {
        get throws { try withFileType { H5DType(type: $0) } }
    }

    /// Chunk shape, or nil for contiguous/compact storage.
    public var chunkShape: [Int]? {
        get throws {
            try withCreatePlist { plist in
                guard H5Pget_layout(plist) == H5D_CHUNKED else { return nil }
                let rank = Int(H5Pget_chunk(plist, 0, nil))
                guard rank > 0 else { return nil }
                var dims = [hsize_t](repeating: 0, count: rank)
                try context.check("H5Pget_chunk") { H5Pget_chunk(plist, Int32(rank), &dims) }
                return dims.map { Int($0) }
            }
        }
    }

    /// Filters applied to chunks, in order, e.g. `["shuffle", "gzip(4)"]`.
    public var filters: [String] {
        get throws {
            try withCreatePlist { plist in
                let n = H5Pget_nfilters(plist)
                guard n > 0 else { return [] }
                return (0..<n).map { index in
                    var flags: UInt32 = 0
                    var nValues = 8
                    var values = [UInt32](repeating: 0, count: 8)
                    var config: UInt32 = 0
                    let filter = H5Pget_filter2(plist, UInt32(index), &flags, &nValues, &values, 0, nil, &config)
                    switch filter {
                    case H5Z_FILTER_DEFLATE: return nValues > 0 ? "gzip(\(values[0]))" : "gzip"
                    case H5Z_FILTER_SHUFFLE: return "shuffle"
                    case H5Z_FILTER_FLETCHER32: return "fletcher32"
                    case H5Z_FILTER_SZIP: return "szip"
                    case H5Z_FILTER_NBIT: return "nbit"
                    case H5Z_FILTER_SCALEOFFSET: return "scaleoffset"
                    default: return "filter\(filter)"
                    }
                }
            }
        }
    }

    // MARK: Whole-dataset I/O

    /// Reads every element, flat row-major (`count` values). Numeric types
    /// convert (an int32 dataset reads as `[Float]`); strings throw `typeMismatch`.
    public func read<T: H5Scalar>(as type: T.Type = T.self) throws -> [T] {
        try requireNumeric()
        let did = try id()
        let memType = try T.nativeType(context)
        let n = try checkedCount()
        return try [T](unsafeUninitializedCapacity: n) { buffer, initialized in
            if n > 0 {
                try context.check("H5Dread") {
                    H5Dread(did, memType, melcnn_h5s_all(), melcnn_h5s_all(), melcnn_h5p_default(), buffer.baseAddress)
                }
            }
            initialized = n
        }
    }

    /// Reads a scalar dataset (or one with exactly one element).
    public func readScalar<T: H5Scalar>(as type: T.Type = T.self) throws -> T {
        let values = try read(as: T.self)
        guard values.count == 1 else { throw context.shape("expected one value, found \(values.count)") }
        return values[0]
    }

    /// Overwrites every element; `values.count` must equal `count`.
    public func write<T: H5Scalar>(_ values: [T]) throws {
        try requireNumeric()
        let did = try id()
        let memType = try T.nativeType(context)
        let n = try count
        guard values.count == n else {
            throw context.shape("\(values.count) values for a dataset of shape \(try shape) (\(n) elements)")
        }
        guard n > 0 else { return }
        try values.withUnsafeBufferPointer { buffer in
            try context.check("H5Dwrite") {
                H5Dwrite(did, memType, melcnn_h5s_all(), melcnn_h5s_all(), melcnn_h5p_default(), buffer.baseAddress)
            }
        }
    }

    // MARK: Row ranges (hyperslabs along the first dimension)

    /// Reads rows `rows` (first-dimension range, all other dimensions):
    /// `rows.count * rowSize` values, flat row-major.
    public func readRows<T: H5Scalar>(_ rows: Range<Int>, as type: T.Type = T.self) throws -> [T] {
        try requireNumeric()
        let memType = try T.nativeType(context)
        let dims = try shape
        try checkRowRange(rows, dims)
        _ = try checkedCount()
        let n = rows.count * dims.dropFirst().reduce(1, *)
        return try [T](unsafeUninitializedCapacity: n) { buffer, initialized in
            if n > 0 {
                try transferRows(rows, dims: dims) { did, memSpace, fileSpace in
                    H5Dread(did, memType, memSpace, fileSpace, melcnn_h5p_default(), buffer.baseAddress)
                }
            }
            initialized = n
        }
    }

    /// Overwrites whole rows starting at row `start` with `values`
    /// (a multiple of the row size); the rows must already exist.
    public func writeRows<T: H5Scalar>(_ values: [T], at start: Int) throws {
        try requireNumeric()
        let memType = try T.nativeType(context)
        let dims = try shape
        let rows = try rowCount(of: values.count, dims)
        try checkRowRange(start..<(start + rows), dims)
        guard rows > 0 else { return }
        try values.withUnsafeBufferPointer { buffer in
            try transferRows(start..<(start + rows), dims: dims) { did, memSpace, fileSpace in
                H5Dwrite(did, memType, memSpace, fileSpace, melcnn_h5p_default(), buffer.baseAddress)
            }
        }
    }

    /// Appends rows to an extendable dataset (created with `extendable: true`):
    /// `values` holds whole rows, flat row-major; the first dimension grows by
    /// `values.count / rowSize`.
    public func append<T: H5Scalar>(_ values: [T]) throws {
        try requireNumeric()
        let dims = try shape
        let start = try extend(byRowsFor: values.count, dims)
        try writeRows(values, at: start)
    }

    /// Number of elements in one row (product of all dimensions after the first).
    public var rowSize: Int {
        get throws { try H5Bounds.elementCount(Array(shape.dropFirst()), context) }
    }

    // MARK: Internals shared with string datasets

    /// Grows the first dimension to hold `valueCount` more values; returns the first new row.
    func extend(byRowsFor valueCount: Int, _ dims: [Int]) throws -> Int {
        let did = try id()
        guard let first = dims.first else { throw context.invalid("cannot append to a scalar dataset") }
        guard try maxShape.first == .some(nil) else {
            throw context.invalid("cannot append: dataset was not created extendable")
        }
        let rows = try rowCount(of: valueCount, dims)
        guard rows > 0 else { return first }
        var newDims = dims.map { hsize_t($0) }
        newDims[0] = hsize_t(first + rows)
        try context.check("H5Dset_extent") { H5Dset_extent(did, &newDims) }
        return first
    }

    func rowCount(of valueCount: Int, _ dims: [Int]) throws -> Int {
        guard !dims.isEmpty else { throw context.invalid("a scalar dataset has no rows") }
        let rowSize = dims.dropFirst().reduce(1, *)
        if rowSize == 0 {
            guard valueCount == 0 else { throw context.shape("rows of size 0 cannot hold \(valueCount) values") }
            return 0
        }
        guard valueCount % rowSize == 0 else {
            throw context.shape("\(valueCount) values is not a whole number of rows of \(rowSize) (shape \(dims))")
        }
        return valueCount / rowSize
    }

    func checkRowRange(_ rows: Range<Int>, _ dims: [Int]) throws {
        guard let first = dims.first else { throw context.invalid("a scalar dataset has no rows") }
        guard rows.lowerBound >= 0, rows.upperBound <= first else {
            throw context.invalid("rows \(rows.lowerBound)..<\(rows.upperBound) out of range 0..<\(first)")
        }
    }

    /// Selects `rows` in the file space and a matching memory space, then runs `io`.
    func transferRows(_ rows: Range<Int>, dims: [Int], _ io: (hid_t, hid_t, hid_t) -> herr_t) throws {
        let did = try id()
        var start = [hsize_t](repeating: 0, count: dims.count)
        start[0] = hsize_t(rows.lowerBound)
        var count = dims.map { hsize_t($0) }
        count[0] = hsize_t(rows.count)
        let fileSpace = try context.id("H5Dget_space") { H5Dget_space(did) }
        defer { H5Sclose(fileSpace) }
        try context.check("H5Sselect_hyperslab") {
            H5Sselect_hyperslab(fileSpace, H5S_SELECT_SET, &start, nil, &count, nil)
        }
        let memSpace = try context.id("H5Screate_simple") { H5Screate_simple(Int32(count.count), &count, nil) }
        defer { H5Sclose(memSpace) }
        try context.check("H5Dread/H5Dwrite") { io(did, memSpace, fileSpace) }
    }

    func requireNumeric() throws {
        let type = try dtype
        guard type.isNumeric else { throw context.type(expected: "numeric", actual: "\(type)") }
    }

    func withFileSpace<R>(_ body: (hid_t) throws -> R) throws -> R {
        let did = try id()
        let space = try context.id("H5Dget_space") { H5Dget_space(did) }
        defer { H5Sclose(space) }
        return try body(space)
    }

    func withFileType<R>(_ body: (hid_t) throws -> R) throws -> R {
        let did = try id()
        let type = try context.id("H5Dget_type") { H5Dget_type(did) }
        defer { H5Tclose(type) }
        return try body(type)
    }

    func withCreatePlist<R>(_ body: (hid_t) throws -> R) throws -> R {
        let did = try id()
        let plist = try context.id("H5Dget_create_plist") { H5Dget_create_plist(did) }
        defer { H5Pclose(plist) }
        return try body(plist)
    }
}

/// Dataspace helpers (dimensions of datasets and attributes).
enum H5Dataspace {
    static func dims(_ space: hid_t, _ context: H5Context) throws -> [Int] {
        let rank = try context.value("H5Sget_simple_extent_ndims") { H5Sget_simple_extent_ndims(space) }
        guard rank > 0 else { return [] }
        var dims = [hsize_t](repeating: 0, count: Int(rank))
        try context.check("H5Sget_simple_extent_dims") { H5Sget_simple_extent_dims(space, &dims, nil) }
        return try dims.map { try H5Bounds.int($0, "dimension", context) }
    }

    static func maxDims(_ space: hid_t, _ context: H5Context) throws -> [Int?] {
        let rank = try context.value("H5Sget_simple_extent_ndims") { H5Sget_simple_extent_ndims(space) }
        guard rank > 0 else { return [] }
        var maxDims = [hsize_t](repeating: 0, count: Int(rank))
        try context.check("H5Sget_simple_extent_dims") { H5Sget_simple_extent_dims(space, nil, &maxDims) }
        return try maxDims.map { $0 == melcnn_h5s_unlimited() ? nil : try H5Bounds.int($0, "maximum dimension", context) }
    }

    /// Number of elements selected by a dataspace (1 for scalar, 0 for null).
    static func count(_ space: hid_t, _ context: H5Context) throws -> Int {
        let n = H5Sget_simple_extent_npoints(space)
        if n < 0 { throw context.library("H5Sget_simple_extent_npoints") }
        return Int(n)
    }

    /// Creates a dataspace: scalar for `[]`, simple otherwise (first dimension
    /// unlimited when `extendable`).
    static func create(_ shape: [Int], extendable: Bool, _ context: H5Context) throws -> hid_t {
        if shape.isEmpty {
            return try context.id("H5Screate") { H5Screate(H5S_SCALAR) }
        }
        var dims = shape.map { hsize_t($0) }
        var maxDims = dims
        if extendable { maxDims[0] = melcnn_h5s_unlimited() }
        return try context.id("H5Screate_simple") { H5Screate_simple(Int32(dims.count), &dims, &maxDims) }
    }
}
