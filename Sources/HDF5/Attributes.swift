import CHDF5

/// The attributes of a file (its root group), group or dataset: small named
/// values, scalar or 1-D, numeric or UTF-8 strings. Writing replaces an
/// attribute of the same name (as h5py's `attrs[name] = value`).
///
/// ```swift
/// try file.attributes.write("format", "melcnn-dataset")     // str in h5py
/// try file.attributes.write("sample_rate", 22050)           // int64 scalar
/// try file.attributes.write("fmin_fmax", [0.0, 11025.0])    // float64 [2]
/// let sr = try file.attributes.read("sample_rate", as: Int.self)
/// ```
public struct H5Attributes {
    let owner: H5Object

    var context: H5Context { owner.context }

    // MARK: Listing

    /// Attribute names in name order.
    public func names() throws -> [String] {
        let oid = try owner.id()
        var names: [String] = []
        try withUnsafeMutablePointer(to: &names) { box in
            try context.check("H5Aiterate2") {
                H5Aiterate2(oid, H5_INDEX_NAME, H5_ITER_INC, nil, { _, name, _, data in
                    guard let name, let data else { return 0 }
                    data.assumingMemoryBound(to: [String].self).pointee.append(String(cString: name))
                    return 0
                }, box)
            }
        }
        return names
    }

    /// True when an attribute `name` exists.
    public func contains(_ name: String) throws -> Bool {
        let oid = try owner.id()
        return try context.value("H5Aexists") { H5Aexists(oid, name) } > 0
    }

    /// Removes attribute `name`; `objectNotFound` when there is none.
    public func remove(_ name: String) throws {
        let oid = try owner.id()
        try requireExists(name)
        try context.check("H5Adelete") { H5Adelete(oid, name) }
    }

    /// Element type of attribute `name`.
    public func dtype(of name: String) throws -> H5DType {
        try withAttribute(name) { attr in try withType(attr, name) { H5DType(type: $0) } }
    }

    /// Shape of attribute `name` (`[]` for a scalar).
    public func shape(of name: String) throws -> [Int] {
        try withAttribute(name) { attr in try withSpace(attr, name) { try H5Dataspace.dims($0, attrContext(name)) } }
    }

    // MARK: Writing

    /// Writes a numeric scalar attribute (`Int` is stored as int64, `Double` as float64).
    public func write<T: H5Scalar>(_ name: String, _ value: T) throws {
        try writeNumeric(name, [value], shape: [])
    }

    /// Writes a 1-D numeric array attribute of `values.count` elements.
    public func write<T: H5Scalar>(_ name: String, _ values: [T]) throws {
        try writeNumeric(name, values, shape: [values.count])
    }

    /// Writes a scalar variable-length UTF-8 string attribute (h5py reads a `str`).
    public func write(_ name: String, _ value: String) throws {
        try writeStrings(name, [value], shape: [])
    }

    /// Writes a 1-D array of variable-length UTF-8 strings.
    public func write(_ name: String, _ values: [String]) throws {
        try writeStrings(name, values, shape: [values.count])
    }

    // MARK: Reading

    /// Reads a numeric attribute holding exactly one value (scalar or `[1]`),
    /// converting from the stored numeric type.
    public func read<T: H5Scalar>(_ name: String, as type: T.Type = T.self) throws -> T {
        let values = try readArray(name, as: T.self)
        guard values.count == 1 else {
            throw attrContext(name).shape("expected one value, found \(values.count)")
        }
        return values[0]
    }

    /// Reads every element of a numeric attribute (flat row-major).
    public func readArray<T: H5Scalar>(_ name: String, as type: T.Type = T.self) throws -> [T] {
        let ctx = attrContext(name)
        let memType = try T.nativeType(ctx)
        return try withAttribute(name) { attr in
            let stored = try withType(attr, name) { H5DType(type: $0) }
            guard stored.isNumeric else { throw ctx.type(expected: "numeric", actual: "\(stored)") }
            let n = try withSpace(attr, name) { try H5Dataspace.count($0, ctx) }
            try checkAttributeSize(count: n, elementSize: try withType(attr, name) { Int(H5Tget_size($0)) }, ctx)
            return try [T](unsafeUninitializedCapacity: n) { buffer, initialized in
                if n > 0 { try ctx.check("H5Aread") { H5Aread(attr, memType, buffer.baseAddress) } }
                initialized = n
            }
        }
    }

    /// Reads a string attribute holding exactly one string.
    public func readString(_ name: String) throws -> String {
        let values = try readStrings(name)
        guard values.count == 1 else {
            throw attrContext(name).shape("expected one string, found \(values.count)")
        }
        return values[0]
    }

    /// Reads every element of a string attribute (variable or fixed length).
    public func readStrings(_ name: String) throws -> [String] {
        let ctx = attrContext(name)
        return try withAttribute(name) { attr in
            try withType(attr, name) { fileType in
                try withSpace(attr, name) { space in
                    let n = try H5Dataspace.count(space, ctx)
                    try checkAttributeSize(count: n, elementSize: 1, ctx)
                    return try H5Strings.read(count: n, fileType: fileType, space: space, ctx) { memType, buffer in
                        H5Aread(attr, memType, buffer)
                    }
                }
            }
        }
    }

    /// Reads attribute `name` whatever its type, for display and generic code.
    public func value(_ name: String) throws -> H5AttributeValue {
        let dtype = try dtype(of: name)
        let isScalar = try shape(of: name).isEmpty
        switch dtype {
        case .string:
            let values = try readStrings(name)
            return isScalar && values.count == 1 ? .string(values[0]) : .strings(values)
        case .float32, .float64:
            let values = try readArray(name, as: Double.self)
            return isScalar && values.count == 1 ? .double(values[0]) : .doubles(values)
        case .uint64:
            // Values above Int64.max would not survive conversion to Int64.
            let values = try readArray(name, as: UInt64.self)
            if values.allSatisfy({ $0 <= UInt64(Int64.max) }) {
                let ints = values.map { Int64($0) }
                return isScalar && ints.count == 1 ? .int(ints[0]) : .ints(ints)
            }
            return isScalar && values.count == 1 ? .double(Double(values[0])) : .doubles(values.map { Double($0) })
        case .other(let kind):
            return .unsupported(kind)
        default:
            let values = try readArray(name, as: Int64.self)
            return isScalar && values.count == 1 ? .int(values[0]) : .ints(values)
        }
    }

    // MARK: Internals

    func attrContext(_ name: String) -> H5Context {
        H5Context(file: owner.filePath, object: owner.path == "/" ? "/@\(name)" : "\(owner.path)@\(name)")
    }

    func requireExists(_ name: String) throws {
        guard try contains(name) else {
            let ctx = attrContext(name)
            throw H5Error.objectNotFound(file: ctx.file, object: ctx.object)
        }
    }

    func withAttribute<R>(_ name: String, _ body: (hid_t) throws -> R) throws -> R {
        let oid = try owner.id()
        try requireExists(name)
        let attr = try attrContext(name).id("H5Aopen") { H5Aopen(oid, name, melcnn_h5p_default()) }
        defer { H5Aclose(attr) }
        return try body(attr)
    }

    func withType<R>(_ attr: hid_t, _ name: String, _ body: (hid_t) throws -> R) throws -> R {
        let type = try attrContext(name).id("H5Aget_type") { H5Aget_type(attr) }
        defer { H5Tclose(type) }
        return try body(type)
    }

    func withSpace<R>(_ attr: hid_t, _ name: String, _ body: (hid_t) throws -> R) throws -> R {
        let space = try attrContext(name).id("H5Aget_space") { H5Aget_space(attr) }
        defer { H5Sclose(space) }
        return try body(space)
    }

    /// Replaces attribute `name` by a new one of `fileType` and `shape`, then runs `write(attr)`.
    func create(_ name: String, fileType: hid_t, shape: [Int], _ write: (hid_t) throws -> Void) throws {
        let oid = try owner.id()
        let ctx = attrContext(name)
        if try contains(name) { try ctx.check("H5Adelete") { H5Adelete(oid, name) } }
        let space = try H5Dataspace.create(shape, extendable: false, ctx)
        defer { H5Sclose(space) }
        let attr = try ctx.id("H5Acreate2") {
            H5Acreate2(oid, name, fileType, space, melcnn_h5p_default(), melcnn_h5p_default())
        }
        defer { H5Aclose(attr) }
        try write(attr)
    }

    func writeNumeric<T: H5Scalar>(_ name: String, _ values: [T], shape: [Int]) throws {
        let ctx = attrContext(name)
        let type = try T.nativeType(ctx)
        try create(name, fileType: type, shape: shape) { attr in
            guard !values.isEmpty else { return }
            try values.withUnsafeBufferPointer { buffer in
                try ctx.check("H5Awrite") { H5Awrite(attr, type, buffer.baseAddress) }
            }
        }
    }

    func writeStrings(_ name: String, _ values: [String], shape: [Int]) throws {
        let ctx = attrContext(name)
        let type = try H5Strings.variableType(ctx)
        defer { H5Tclose(type) }
        try create(name, fileType: type, shape: shape) { attr in
            try H5Strings.write(values, ctx) { memType, buffer in H5Awrite(attr, memType, buffer) }
        }
    }
}

/// An attribute's value read without knowing its type in advance. Integers
/// widen to `Int64`, floats to `Double`; scalar attributes give the singular
/// cases, arrays the plural ones.
public enum H5AttributeValue: Equatable, Sendable, CustomStringConvertible {
    case int(Int64)
    case double(Double)
    case string(String)
    case ints([Int64])
    case doubles([Double])
    case strings([String])
    /// A type this module does not read (compound, enum...), by HDF5 class name.
    case unsupported(String)

    /// Python-like text: numbers plain, strings quoted, arrays in brackets.
    public var description: String {
        switch self {
        case .int(let value): return "\(value)"
        case .double(let value): return "\(value)"
        case .string(let value): return Self.quote(value)
        case .ints(let values): return "[" + values.map { "\($0)" }.joined(separator: ", ") + "]"
        case .doubles(let values): return "[" + values.map { "\($0)" }.joined(separator: ", ") + "]"
        case .strings(let values): return "[" + values.map(Self.quote).joined(separator: ", ") + "]"
        case .unsupported(let kind): return "<\(kind)>"
        }
    }

    static func quote(_ text: String) -> String {
        var escaped = ""
        for character in text {
            switch character {
            case "\n": escaped += "\\n"
            case "\t": escaped += "\\t"
            case "\"": escaped += "\\\""
            case "\\": escaped += "\\\\"
            default: escaped.append(character)
            }
        }
        return "\"" + escaped + "\""
    }
}
