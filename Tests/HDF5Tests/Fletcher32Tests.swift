import CHDF5
import Foundation
@testable import HDF5
import XCTest

/// melcnn's Fletcher-32 is byte for byte the checksum libhdf5's `fletcher32` filter stores,
/// and chunks written with it read back in libhdf5 and h5dump, and fail there when damaged.
final class Fletcher32Tests: HDF5TestCase {
    /// The stored bytes of the chunk at `offset` of `set` (`H5Dread_chunk`: filters not applied).
    func rawChunk(_ set: H5Dataset, offset: [Int]) throws -> [UInt8] {
        let did = try set.id()
        var start = offset.map { hsize_t($0) }
        var size: hsize_t = 0
        XCTAssertGreaterThanOrEqual(H5Dget_chunk_storage_size(did, &start, &size), 0)
        var bytes = [UInt8](repeating: 0, count: Int(size))
        var mask: UInt32 = 0
        XCTAssertGreaterThanOrEqual(H5Dread_chunk(did, melcnn_h5p_default(), &start, &mask, &bytes), 0)
        return bytes
    }

    func testChecksumEqualsLibhdf5sForEvenOddAndLongChunks() throws {
        // 7 bytes (odd), 8, 1001 (more than 360 words, odd), 4096.
        for n in [7, 8, 1001, 4096] {
            let values = (0 ..< n).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
            let file = path("f\(n).h5")
            try H5File.createAtomically(file) { h5 in
                try h5.createDataset("x", values: values, options: H5DatasetOptions(chunks: [n], fletcher32: true))
            }
            let h5 = try H5File.open(file)
            let stored = try rawChunk(try h5.openDataset("x"), offset: [0])
            XCTAssertEqual(stored, Fletcher32.appendingChecksum(values), "\(n) bytes")
        }
    }

    func testChecksummedChunksReadBackAndADamagedOneIsReported() throws {
        let file = path("sum.h5")
        let values = (0 ..< 64 * 8).map { Float($0) * 0.25 - 3 }
        try H5File.createAtomically(file) { h5 in
            let set = try h5.createDataset("x", of: Float.self, shape: [0, 8], options: H5DatasetOptions(
                chunks: [16, 8], gzipLevel: 1, shuffle: true, extendable: true, fletcher32: true))
            XCTAssertEqual(try set.filters, ["shuffle", "gzip(1)", "fletcher32"])
            let appender = try H5ParallelAppender<Float>(dataset: set, inFlight: 2)
            try appender.append(values)
            try appender.finish()
        }
        XCTAssertEqual(try H5File.open(file).openDataset("x").read(as: Float.self), values)
        XCTAssertTrue(try h5dump(["-d", "/x", "-s", "1,0", "-c", "1,8", file]).contains("-1, -0.75, -0.5"))

        // Flip one byte inside the stored chunk of rows 16..<32 (found by its stored bytes).
        let h5 = try H5File.open(file)
        let stored = try rawChunk(try h5.openDataset("x"), offset: [16, 0])
        h5.close()
        var bytes = try Data(contentsOf: URL(fileURLWithPath: file))
        let chunk = try XCTUnwrap(bytes.range(of: Data(stored)))
        bytes[chunk.lowerBound + stored.count / 2] ^= 0x10
        try bytes.write(to: URL(fileURLWithPath: file))
        let damaged = try H5File.open(file).openDataset("x")
        XCTAssertEqual(try damaged.readRows(0 ..< 16, as: Float.self), Array(values[0 ..< 128]), "other chunks still read")
        XCTAssertThrowsError(try damaged.readRows(16 ..< 32, as: Float.self)) { error in
            XCTAssertTrue("\(error)".contains("checksum") || "\(error)".contains("filter"), "\(error)")
            XCTAssertFalse("\(error)".contains("\n"))
        }
        let dump = Process()
        dump.executableURL = URL(fileURLWithPath: "/usr/bin/h5dump")
        dump.arguments = ["-d", "/x", file]
        dump.standardOutput = FileHandle.nullDevice
        dump.standardError = FileHandle.nullDevice
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/h5dump") else { throw XCTSkip("h5dump not installed") }
        try dump.run()
        dump.waitUntilExit()
        XCTAssertNotEqual(dump.terminationStatus, 0, "h5dump reports the damaged chunk")
    }
}
