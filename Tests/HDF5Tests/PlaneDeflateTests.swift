import Foundation
import CHDF5
@testable import HDF5
import XCTest

/// The `.planes` chunk encoding (stored planes + Huffman blocks) reads back bit-exact
/// through HDF5's own deflate filter and through h5dump.
final class PlaneDeflateTests: HDF5TestCase {
    /// Data with incompressible low bytes and compressible high bytes (as log-mels),
    /// constants, a single repeated bit pattern, random bits and subnormals.
    private func samples(_ n: Int, kind: Int) -> [Float] {
        var seed: UInt64 = 0x9E37_79B9_7F4A_7C15 &* UInt64(kind + 1)
        func next() -> UInt64 { seed = seed &* 6364136223846793005 &+ 1442695040888963407; return seed >> 11 }
        switch kind {
        case 0: return (0 ..< n).map { _ in Float(Double(next() % 1_000_000) / 1e4 - 80) }
        case 1: return [Float](repeating: -80, count: n)
        case 2: return (0 ..< n).map { _ in Float(bitPattern: UInt32(truncatingIfNeeded: next())) }.map { $0.isNaN ? 1 : $0 }
        case 3:
            return (0 ..< n).map { (i: Int) -> Float in
                let tiny: Float = Float.leastNonzeroMagnitude * Float(i % 7)
                return i % 3 == 0 ? tiny : Float(i % 5)
            }
        default: return (0 ..< n).map { (i: Int) -> Float in Float(sin(Double(i) * 0.01) * 30) }
        }
    }

    func testPlaneEncodedChunksReadBackBitExact() throws {
        // 128 x 128 floats (the /mels chunk) and 70000 x 1 (planes longer than a stored block).
        for (rows, columns) in [(128, 128), (70000, 1), (3, 2)] {
            let file = path("planes-\(rows).h5")
            var written: [[Float]] = []
            try H5File.createAtomically(file) { h5 in
                let set = try h5.createDataset("x", of: Float.self, shape: [0, columns],
                                               options: .compressed(level: 1, extendable: true, chunks: [rows, columns]))
                let encoder = try set.chunkEncoder(strategy: .planes)
                try set.setRowCount(5 * rows)
                for kind in 0 ..< 5 {
                    let chunk = samples(rows * columns, kind: kind)
                    written.append(chunk)
                    try set.writeEncodedChunk(try encoder.encode(chunk), row: kind * rows)
                }
            }
            let h5 = try H5File.open(file)
            let back = try h5.openDataset("x").read(as: Float.self)
            h5.close()
            XCTAssertEqual(back.map(\.bitPattern), written.flatMap { $0 }.map(\.bitPattern), "chunks of \(rows) x \(columns)")
        }
    }

    func testPlaneEncodingCompressesTheHighBytesAndStoresTheRest() throws {
        let values = samples(128 * 128, kind: 0)
        let encoder = H5ChunkEncoder(elementSize: 4, shuffle: true, gzipLevel: 1, strategy: .planes)
        let bytes = try encoder.encode(values)
        // Three stored planes and a Huffman-coded exponent plane: well under the raw size,
        // over three quarters of it.
        XCTAssertLessThan(bytes.count, values.count * 4 * 9 / 10)
        XCTAssertGreaterThan(bytes.count, values.count * 3)
        XCTAssertEqual(Array(bytes.prefix(2)), [0x78, 0x01])
        // A constant chunk is coded (one bit per byte: literals only, no runs), not stored.
        XCTAssertLessThan(try encoder.encode(samples(128 * 128, kind: 1)).count, 128 * 128 * 4 / 8 + 400)
        // No shuffle: one plane (bytes 00 00 A0 C2 repeated: 1.75 bits per byte).
        let plain = H5ChunkEncoder(elementSize: 4, shuffle: false, gzipLevel: 1, strategy: .planes)
        XCTAssertLessThan(try plain.encode(samples(128 * 128, kind: 1)).count, 128 * 128 * 4 / 4)
    }

    func testH5dumpReadsPlaneEncodedChunks() throws {
        let file = path("dump-planes.h5")
        let values: [Float] = (0 ..< 64).map { Float($0) * 0.5 - 7.25 }
        try H5File.createAtomically(file) { h5 in
            let set = try h5.createDataset("x", of: Float.self, shape: [0, 4], options: .compressed(level: 1, extendable: true, chunks: [16, 4]))
            try set.setRowCount(16)
            try set.writeEncodedChunk(try set.chunkEncoder(strategy: .planes).encode(values), row: 0)
        }
        let output = try h5dump(["-d", "/x", file])
        XCTAssertTrue(output.contains("-7.25, -6.75, -6.25, -5.75") && output.contains("24.25"), output)
    }

    func testHuffmanLengthsAreLimitedAndComplete() {
        // Fibonacci frequencies give a 40-deep optimal code; the limit is 15.
        var fib = [1, 1]
        while fib.count < 40 { fib.append(fib[fib.count - 1] + fib[fib.count - 2]) }
        for (frequencies, maxBits) in [(fib, 15), (fib, 7), ([5] + [Int](repeating: 0, count: 18), 7),
                                       ([Int](repeating: 0, count: 19), 7), ((0 ..< 257).map { $0 % 3 }, 15)] {
            let lengths = HuffmanCode.lengths(frequencies, maxBits: maxBits)
            XCTAssertLessThanOrEqual(Int(lengths.max()!), maxBits)
            XCTAssertGreaterThanOrEqual(lengths.filter { $0 > 0 }.count, 2)
            for (s, f) in frequencies.enumerated() where f > 0 { XCTAssertGreaterThan(lengths[s], 0) }
            // Kraft sum exactly 1: a complete prefix code.
            let kraft = lengths.filter { $0 > 0 }.reduce(0.0) { $0 + pow(2, -Double($1)) }
            XCTAssertEqual(kraft, 1, accuracy: 1e-12)
        }
    }
}

/// The vectorised Adler-32 equals zlib's.
final class Adler32Tests: XCTestCase {
    func testAdler32MatchesZlib() {
        var seed: UInt64 = 11
        let bytes: [UInt8] = (0 ..< 70001).map { _ in
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return UInt8(truncatingIfNeeded: seed >> 33)
        }
        bytes.withUnsafeBufferPointer { all in
            for count in [0, 1, 31, 32, 33, 4095, 4096, 4097, 65536, 70001] {
                let part = UnsafeBufferPointer(rebasing: all[0 ..< count])
                let zlib = UInt32(truncatingIfNeeded: adler32(1, part.baseAddress, uInt(count)))
                XCTAssertEqual(PlaneDeflate.adler32(part), zlib, "\(count) bytes")
            }
        }
        // All 0xFF: the largest sums.
        let ones = [UInt8](repeating: 255, count: 9000)
        ones.withUnsafeBufferPointer { XCTAssertEqual(PlaneDeflate.adler32($0), UInt32(truncatingIfNeeded: adler32(1, $0.baseAddress, 9000))) }
    }
}

/// The shuffle filter for 4-byte elements (AVX-512 VBMI permute or plain C) against its definition.
final class Shuffle4Tests: XCTestCase {
    func testShuffleMatchesHDF5Definition() throws {
        let encoder = H5ChunkEncoder(elementSize: 4, shuffle: true, gzipLevel: nil)
        for n in [1, 15, 16, 17, 33, 1000, 16384] {
            let values: [UInt32] = (0 ..< n).map { UInt32(truncatingIfNeeded: $0 &* 2654435761) }
            let bytes = values.withUnsafeBytes { [UInt8]($0) }
            var expected = [UInt8](repeating: 0, count: 4 * n)
            for i in 0 ..< n { for j in 0 ..< 4 { expected[j * n + i] = bytes[4 * i + j] } }
            XCTAssertEqual(try encoder.encode(values), expected, "\(n) elements")
        }
    }
}
