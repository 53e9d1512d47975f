import CHDF5

/// The element type of a dataset or attribute, named like NumPy's dtypes
/// (`float32`, `int64`, ...). `string` covers UTF-8/ASCII strings, variable- or
/// fixed-length; `other` is anything else (compound, enum...), named by HDF5 class.
public enum H5DType: Equatable, Hashable, Sendable, CustomStringConvertible {
    case int8, int16, int32, int64
    case uint8, uint16, uint32, uint64
    case float32, float64
    case string
    case other(String)

    public var description: String {
        switch self {
        case .int8: "int8"
        case .int16: "int16"
        case .int32: "int32"
        case .int64: "int64"
        case .uint8: "uint8"
        case .uint16: "uint16"
        case .uint32: "uint32"
        case .uint64: "uint64"
        case .float32: "float32"
        case .float64: "float64"
        case .string: "string"
        case .other(let name): name
        }
    }

    /// True for the integer and floating-point types.
    public var isNumeric: Bool {
        switch self {
        case .string, .other: false
        default: true
        }
    }

    /// The native in-memory HDF5 type (not to be closed), for numeric types only.
    var nativeType: hid_t? {
        switch self {
        case .int8: melcnn_h5t_native_int8()
        case .int16: melcnn_h5t_native_int16()
        case .int32: melcnn_h5t_native_int32()
        case .int64: melcnn_h5t_native_int64()
        case .uint8: melcnn_h5t_native_uint8()
        case .uint16: melcnn_h5t_native_uint16()
        case .uint32: melcnn_h5t_native_uint32()
        case .uint64: melcnn_h5t_native_uint64()
        case .float32: melcnn_h5t_native_float()
        case .float64: melcnn_h5t_native_double()
        case .string, .other: nil
        }
    }

    /// Classifies an HDF5 datatype id (file or memory type).
    init(type: hid_t) {
        let size = H5Tget_size(type)
        switch H5Tget_class(type) {
        case H5T_INTEGER:
            let signed = H5Tget_sign(type) == H5T_SGN_2
            switch (size, signed) {
            case (1, true): self = .int8
            case (2, true): self = .int16
            case (4, true): self = .int32
            case (8, true): self = .int64
            case (1, false): self = .uint8
            case (2, false): self = .uint16
            case (4, false): self = .uint32
            case (8, false): self = .uint64
            default: self = .other("int\(size * 8)")
            }
        case H5T_FLOAT:
            switch size {
            case 4: self = .float32
            case 8: self = .float64
            default: self = .other("float\(size * 8)")
            }
        case H5T_STRING: self = .string
        case H5T_COMPOUND: self = .other("compound")
        case H5T_ENUM: self = .other("enum")
        case H5T_ARRAY: self = .other("array")
        case H5T_VLEN: self = .other("vlen")
        case H5T_OPAQUE: self = .other("opaque")
        case H5T_REFERENCE: self = .other("reference")
        case H5T_BITFIELD: self = .other("bitfield")
        default: self = .other("unknown")
        }
    }
}

/// A Swift numeric type that can be stored in HDF5 datasets and attributes.
/// Reading converts from the stored type (HDF5 converts between integer and
/// floating-point types), so an `int32` dataset reads as `[Int64]` or `[Float]` too.
public protocol H5Scalar: Sendable {
    /// The HDF5 type written for this Swift type.
    static var h5DType: H5DType { get }
}

extension Float: H5Scalar { public static var h5DType: H5DType { .float32 } }
extension Double: H5Scalar { public static var h5DType: H5DType { .float64 } }
extension Int8: H5Scalar { public static var h5DType: H5DType { .int8 } }
extension Int16: H5Scalar { public static var h5DType: H5DType { .int16 } }
extension Int32: H5Scalar { public static var h5DType: H5DType { .int32 } }
extension Int64: H5Scalar { public static var h5DType: H5DType { .int64 } }
/// `Int` is stored as `int64` (64-bit platforms only).
extension Int: H5Scalar { public static var h5DType: H5DType { .int64 } }
extension UInt8: H5Scalar { public static var h5DType: H5DType { .uint8 } }
extension UInt16: H5Scalar { public static var h5DType: H5DType { .uint16 } }
extension UInt32: H5Scalar { public static var h5DType: H5DType { .uint32 } }
extension UInt64: H5Scalar { public static var h5DType: H5DType { .uint64 } }

extension H5Scalar {
    /// The native memory type for Self; throws for a conformance whose
    /// `h5DType` is not numeric or whose size does not match.
    static func nativeType(_ context: H5Context) throws -> hid_t {
        guard let type = h5DType.nativeType, H5Tget_size(type) == MemoryLayout<Self>.size else {
            throw context.invalid("\(Self.self) is not a numeric HDF5 element type")
        }
        return type
    }
}
