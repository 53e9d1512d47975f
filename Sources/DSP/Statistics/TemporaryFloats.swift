import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Float32 values kept on disk instead of in memory: appended through a fixed buffer to an
/// anonymous file in `$TMPDIR` (else `/tmp`), unlinked as soon as it is created so that
/// nothing is left behind however the process ends, and read back in order in blocks.
/// Memory: one buffer of `bufferCount` floats, whatever the number of values.
final class TemporaryFloats {
    /// Floats per write and per read (256 KB).
    static let bufferCount = 1 << 16
    private let descriptor: Int32
    private let folder: String
    private var buffer: [Float]
    private var buffered = 0
    /// Values appended so far.
    private(set) var count = 0

    init() throws {
        let environment = ProcessInfo.processInfo.environment["TMPDIR"] ?? ""
        folder = environment.isEmpty ? "/tmp" : environment
        var template = Array((folder + "/.melcnn-values-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw Self.failure(folder, "cannot create a temporary file", errno) }
        _ = template.withUnsafeBufferPointer { unlink($0.baseAddress!) }
        descriptor = fd
        buffer = [Float](repeating: 0, count: Self.bufferCount)
    }

    deinit { close(descriptor) }

    private static func failure(_ folder: String, _ what: String, _ code: Int32) -> DSPError {
        .invalidInput("temporary folder \(folder): \(what): \(String(cString: strerror(code)))")
    }

    /// Appends `values` in order.
    func append(_ values: UnsafeBufferPointer<Float>) throws {
        var from = 0
        while from < values.count {
            let n = min(Self.bufferCount - buffered, values.count - from)
            buffer.withUnsafeMutableBufferPointer { b in
                for i in 0 ..< n { b[buffered + i] = values[from + i] }
            }
            buffered += n
            from += n
            if buffered == Self.bufferCount { try flush() }
        }
        count += values.count
    }

    /// Appends `values` in order.
    func append(_ values: [Float]) throws {
        try values.withUnsafeBufferPointer { try append($0) }
    }

    /// Writes the buffered values to the file.
    private func flush() throws {
        try buffer.withUnsafeBytes { raw in
            let total = buffered * MemoryLayout<Float>.size
            var done = 0
            while done < total {
                let n = write(descriptor, raw.baseAddress! + done, total - done)
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { throw Self.failure(folder, "cannot write a temporary file", n < 0 ? errno : ENOSPC) }
                done += n
            }
        }
        buffered = 0
    }

    /// Calls `body` with every value appended, in order, in blocks of at most `bufferCount`
    /// floats (a multiple of any small record size the caller appended whole records of).
    func forEachBlock(_ body: (UnsafeBufferPointer<Float>) throws -> Void) throws {
        try flush()
        var block = [Float](repeating: 0, count: Self.bufferCount)
        var offset = 0, left = count
        while left > 0 {
            let n = min(left, Self.bufferCount)
            try block.withUnsafeMutableBytes { raw in
                let total = n * MemoryLayout<Float>.size
                var done = 0
                while done < total {
                    let r = pread(descriptor, raw.baseAddress! + done, total - done, off_t(offset + done))
                    if r < 0 && errno == EINTR { continue }
                    guard r > 0 else { throw Self.failure(folder, "cannot read back a temporary file", r < 0 ? errno : EIO) }
                    done += r
                }
            }
            try block.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[0 ..< n])) }
            offset += n * MemoryLayout<Float>.size
            left -= n
        }
    }
}
