import Foundation

/// File names are bytes on Linux, not text: a name may hold bytes that are not UTF-8
/// (`gen\xE9/`, written by a Latin-1 system). Swift's `String` cannot hold such bytes, so
/// melcnn carries each byte that is not part of valid UTF-8 as one private-use scalar
/// (U+F780 + byte - 0x80, the idea of Python's "surrogateescape", PEP 383) and turns it
/// back into the same byte whenever the path goes to the system. Valid UTF-8 is unchanged.
public enum PathBytes {
    /// First scalar of the 128 that stand for the bytes 0x80...0xFF.
    static let escapeBase: UInt32 = 0xF780

    /// The path held by `bytes` (no terminating NUL), every byte kept.
    public static func string<Bytes: Collection>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        let bytes = Array(bytes)
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        var scalars = String.UnicodeScalarView()
        var index = 0
        while index < bytes.count {
            let length = validSequenceLength(bytes, at: index)
            if length > 0, let text = String(validating: bytes[index ..< index + length], as: UTF8.self) {
                scalars.append(contentsOf: text.unicodeScalars)
                index += length
            } else {
                scalars.append(Unicode.Scalar(escapeBase + UInt32(bytes[index]) - 0x80)!)
                index += 1
            }
        }
        return String(scalars)
    }

    /// The bytes of `path` as the system knows them (escaped bytes restored), without a NUL.
    public static func bytes(_ path: String) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(path.utf8.count)
        for scalar in path.unicodeScalars {
            if isEscapedByte(scalar) {
                out.append(UInt8(scalar.value - escapeBase + 0x80))
            } else {
                out.append(contentsOf: String(scalar).utf8)
            }
        }
        return out
    }

    /// Calls `body` with the NUL-terminated system path of `path` (for open, stat, sf_open...).
    public static func withSystemPath<R, E: Error>(_ path: String, _ body: (UnsafePointer<CChar>) throws(E) -> R) throws(E) -> R {
        var raw = bytes(path).map { CChar(bitPattern: $0) }
        raw.append(0)
        return try raw.withUnsafeBufferPointer { (buffer) throws(E) -> R in try body(buffer.baseAddress!) }
    }

    /// `path` for a message: escaped bytes shown as `\xE9`, everything else as it is.
    public static func display(_ path: String) -> String {
        guard path.unicodeScalars.contains(where: isEscapedByte) else { return path }
        var out = ""
        for scalar in path.unicodeScalars {
            if isEscapedByte(scalar) {
                out += String(format: "\\x%02X", scalar.value - escapeBase + 0x80)
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Whether `path` holds bytes that are not UTF-8.
    public static func hasEscapedBytes(_ path: String) -> Bool { path.unicodeScalars.contains(where: isEscapedByte) }

    /// The process arguments with every byte kept (`CommandLine.arguments` replaces bytes that
    /// are not UTF-8 by U+FFFD, which names no file).
    public static var arguments: [String] {
        (0 ..< Int(CommandLine.argc)).map { i in
            guard let arg = CommandLine.unsafeArgv[i] else { return "" }
            return string(UnsafeBufferPointer(start: UnsafeRawPointer(arg).assumingMemoryBound(to: UInt8.self),
                                              count: strlen(arg)))
        }
    }

    static func isEscapedByte(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value >= escapeBase && scalar.value < escapeBase + 0x80
    }

    /// Length of the well-formed UTF-8 sequence starting at `index` (RFC 3629 table 3-7), or 0.
    static func validSequenceLength(_ b: [UInt8], at index: Int) -> Int {
        let lead = b[index]
        let length: Int
        switch lead {
        case 0x00 ... 0x7F: return 1
        case 0xC2 ... 0xDF: length = 2
        case 0xE0 ... 0xEF: length = 3
        case 0xF0 ... 0xF4: length = 4
        default: return 0
        }
        guard index + length <= b.count else { return 0 }
        for k in 1 ..< length where b[index + k] & 0xC0 != 0x80 { return 0 }
        return length  // overlong/surrogate forms are rejected by String(validating:) in the caller
    }
}
