import Foundation

/// Protocol Buffers wire format (https://protobuf.dev/programming-guides/encoding/): each
/// field is a varint key `number << 3 | wireType` followed by a varint (type 0), a 32-bit
/// little-endian value (type 5) or a varint length and bytes (type 2). Enough of it to
/// write ONNX models without generated code.
struct ProtobufWriter {
    private(set) var data = Data()

    private mutating func varint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            data.append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        data.append(UInt8(v))
    }

    private mutating func key(_ number: Int, _ wireType: UInt64) { varint(UInt64(number) << 3 | wireType) }

    /// An int32/int64/enum field (negative values as 10-byte two's complement, as protobuf does).
    mutating func int(_ number: Int, _ value: Int) {
        key(number, 0)
        varint(UInt64(bitPattern: Int64(value)))
    }

    /// A float field (wire type 5).
    mutating func float(_ number: Int, _ value: Float) {
        key(number, 5)
        withUnsafeBytes(of: value.bitPattern.littleEndian) { data.append(contentsOf: $0) }
    }

    /// A bytes field.
    mutating func bytes(_ number: Int, _ value: Data) {
        key(number, 2)
        varint(UInt64(value.count))
        data.append(value)
    }

    /// A string field (UTF-8).
    mutating func string(_ number: Int, _ value: String) { bytes(number, Data(value.utf8)) }

    /// An embedded message field.
    mutating func message(_ number: Int, _ build: (inout ProtobufWriter) -> Void) {
        var inner = ProtobufWriter()
        build(&inner)
        bytes(number, inner.data)
    }
}
