import CHDF5
import Foundation
@testable import HDF5
import XCTest

/// Shapes a file states are checked against the bytes it stores before they size an
/// allocation, and files melcnn writes carry HDF5's metadata checksums.
final class ReadBoundsTests: HDF5TestCase {
    func testASparseShapeIsAnErrorNotAHugeAllocation() throws {
        let file = path("sparse.h5")
        try H5File.createAtomically(file) { h5 in
            let set = try h5.createDataset("x", of: Float.self, shape: [0, 128], options: .compressed(extendable: true, chunks: [128, 128]))
            try set.append([Float](repeating: 1, count: 128 * 128))
            // 2^34 rows (8 TiB of float32) of which one chunk is stored: what a damaged extent says.
            try set.setRowCount(1 << 34)
        }
        let set = try H5File.open(file).openDataset("x")
        XCTAssertThrowsError(try set.read(as: Float.self)) { error in
            XCTAssertTrue("\(error)".contains("file stores"), "\(error)")
        }
        XCTAssertThrowsError(try set.readRows(0 ..< 1, as: Float.self))
        XCTAssertEqual(try set.count, (1 << 34) * 128)
    }

    func testAnElementCountThatOverflowsIsAnError() throws {
        let file = path("overflow.h5")
        try H5File.createAtomically(file) { h5 in
            let set = try h5.createDataset("x", of: Float.self, shape: [0, 1 << 20], options: H5DatasetOptions(chunks: [1, 1 << 10], extendable: true))
            try set.setRowCount(1 << 50)
        }
        let set = try H5File.open(file).openDataset("x")
        XCTAssertThrowsError(try set.count) { error in XCTAssertTrue("\(error)".contains("too many elements"), "\(error)") }
        XCTAssertThrowsError(try set.read(as: Float.self))
    }

    func testCreatedFilesUseTheChecksummedFormat() throws {
        let file = path("format.h5")
        try H5File.createAtomically(file) { h5 in try h5.createDataset("x", values: [Float(1)]) }
        // Superblock version (byte 8): 3 for the 1.10 format, 0 for the 1.0 format.
        let bytes = try Data(contentsOf: URL(fileURLWithPath: file))
        XCTAssertEqual(bytes[8], 3)
        XCTAssertTrue(try h5dump(["-H", file]).contains("DATASET \"x\""))
    }

    func testAFlippedMetadataBitIsAChecksumError() throws {
        let file = path("meta.h5")
        try H5File.createAtomically(file) { h5 in
            try h5.attributes.write("format", "melcnn-dataset")
            try h5.createDataset("x", values: [Float](repeating: 2, count: 16))
        }
        var bytes = try Data(contentsOf: URL(fileURLWithPath: file))
        // The root object header ("OHDR") follows the 48-byte superblock.
        let header = bytes.range(of: Data("OHDR".utf8))!.lowerBound
        bytes[header + 12] ^= 0x04
        try bytes.write(to: URL(fileURLWithPath: file))
        XCTAssertThrowsError(try H5File.open(file).attributes.readString("format")) { error in
            XCTAssertTrue("\(error)".contains("checksum") || "\(error)".contains("signature"), "\(error)")
        }
    }
}
