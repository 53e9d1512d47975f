import Foundation
@testable import HDF5
import XCTest

/// Chunks encoded in Swift and stored with H5Dwrite_chunk read back through HDF5's filters.
final class ChunkWriteTests: HDF5TestCase {
    func testEncodedChunksReadBackThroughTheFilterPipeline() throws {
        let values = (0 ..< 50 * 8).map { i in Float(sin(Double(i) * 0.37) * 40 - 20) }
        for options in [H5DatasetOptions.compressed(level: 1, extendable: true, chunks: [16, 8]),
                        .compressed(level: 6, extendable: true, chunks: [16, 8]),
                        H5DatasetOptions(chunks: [16, 8], extendable: true)] {
            let file = path("chunks-\(options.gzipLevel ?? 0).h5")
            try H5File.createAtomically(file) { h5 in
                let set = try h5.createDataset("x", of: Float.self, shape: [0, 8], options: options)
                let standard = try set.chunkEncoder()
                XCTAssertEqual(standard, H5ChunkEncoder(elementSize: 4, shuffle: options.shuffle, gzipLevel: options.gzipLevel))
                let encoder = try set.chunkEncoder(strategy: .runLength)
                try set.setRowCount(50)
                // Last chunk first; the edge chunk (rows 48, 49) is padded to 16 rows.
                for row in stride(from: 48, through: 0, by: -16) {
                    var chunk = Array(values[(row * 8) ..< min(values.count, (row + 16) * 8)])
                    chunk += [Float](repeating: 0, count: 16 * 8 - chunk.count)
                    // Both zlib strategies give streams HDF5's filter reads.
                    try set.writeEncodedChunk(try (row == 16 ? standard : encoder).encode(chunk), row: row)
                }
                XCTAssertThrowsError(try set.writeEncodedChunk(try encoder.encode(values), row: 8))
                XCTAssertThrowsError(try set.writeEncodedChunk(try encoder.encode(values), row: 64))
            }
            let h5 = try H5File.open(file)
            let set = try h5.openDataset("x")
            XCTAssertEqual(try set.shape, [50, 8])
            XCTAssertEqual(try set.read(as: Float.self), values, "\(options)")
            XCTAssertEqual(try set.readRows(20 ..< 37, as: Float.self), Array(values[160 ..< 296]))
            h5.close()
        }
    }

    func testH5dumpReadsEncodedChunks() throws {
        let file = path("dump.h5")
        try H5File.createAtomically(file) { h5 in
            let set = try h5.createDataset("x", of: Float.self, shape: [0, 2], options: .compressed(level: 1, extendable: true, chunks: [4, 2]))
            try set.setRowCount(3)
            try set.writeEncodedChunk(try set.chunkEncoder().encode([Float](arrayLiteral: 1.25, 2.5, 3.75, 5, 6.25, 7.5, 0, 0)), row: 0)
        }
        let output = try h5dump(["-d", "/x", file])
        XCTAssertTrue(output.contains("1.25, 2.5") && output.contains("6.25, 7.5"), output)
    }
}

/// `H5ParallelAppender` gives the same dataset as sequential appends.
final class ParallelAppendTests: HDF5TestCase {
    func testParallelAppendsEqualSequentialAppends() throws {
        var pieces: [[Float]] = []
        var seed: UInt64 = 7
        for n in [0, 3, 40, 1, 17, 64, 5] {
            pieces.append((0 ..< n * 6).map { _ in
                seed = seed &* 6364136223846793005 &+ 1442695040888963407
                return Float(Int64(bitPattern: seed >> 20) % 1000) / 7
            })
        }
        let file = path("p.h5")
        try H5File.createAtomically(file) { h5 in
            let opts = H5DatasetOptions.compressed(level: 1, extendable: true, chunks: [16, 6])
            let a = try h5.createDataset("a", of: Float.self, shape: [0, 6], options: opts)
            let b = try h5.createDataset("b", of: Float.self, shape: [0, 6], options: opts)
            let appender = try H5ParallelAppender<Float>(dataset: b, inFlight: 2)
            for p in pieces {
                try a.append(p)
                try appender.append(p)
            }
            XCTAssertThrowsError(try appender.append([1, 2, 3]))
            try appender.finish()
            XCTAssertEqual(appender.rows, 130)
        }
        let h5 = try H5File.open(file)
        XCTAssertEqual(try h5.openDataset("b").shape, [130, 6])
        XCTAssertEqual(try h5.openDataset("b").read(as: Float.self), try h5.openDataset("a").read(as: Float.self))
        XCTAssertEqual(try h5.openDataset("b").filters, ["shuffle", "gzip(1)"])
        h5.close()
    }

    /// More than `writebackBytes` (16 MB) stored: the appender asks the kernel to write back
    /// while the file is open, and every value still reads back (uncompressed, so the bytes
    /// are real).
    func testAppendsPastTheWritebackThresholdReadBack() throws {
        let rows = 40_000, width = 128   // 20 MB of floats
        let file = path("big.h5")
        try H5File.createAtomically(file) { h5 in
            let opts = H5DatasetOptions(chunks: [256, width], extendable: true)
            let d = try h5.createDataset("x", of: Float.self, shape: [0, width], options: opts)
            let appender = try H5ParallelAppender<Float>(dataset: d, inFlight: 2)
            for start in stride(from: 0, to: rows, by: 1000) {
                try appender.append((start * width ..< (start + 1000) * width).map { Float($0 % 1_000_003) })
            }
            try appender.finish()
        }
        let h5 = try H5File.open(file)
        defer { h5.close() }
        let values = try h5.openDataset("x").read(as: Float.self)
        XCTAssertEqual(values.count, rows * width)
        XCTAssertTrue(values.indices.allSatisfy { values[$0] == Float($0 % 1_000_003) })
    }
}
