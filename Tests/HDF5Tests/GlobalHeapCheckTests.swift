import Foundation
@testable import HDF5
import XCTest

/// A global heap object whose size no longer fits its collection (one flipped bit) is an
/// error at open, where libhdf5 1.10 would copy past the collection when reading the string.
final class GlobalHeapCheckTests: HDF5TestCase {
    func write(_ file: String) throws {
        try H5File.createAtomically(file) { h5 in
            try h5.attributes.write("format", "melcnn-checkpoint")
            try h5.createStringDataset("classes", values: ["blues", "classical", "jazz"])
        }
    }

    func testIntactCollectionsOpen() throws {
        let file = path("ok.h5")
        try write(file)
        XCTAssertEqual(try H5File.open(file).openDataset("classes").readStrings(), ["blues", "classical", "jazz"])
    }

    func testAnObjectSizeBeyondItsCollectionIsAnError() throws {
        let file = path("heap.h5")
        try write(file)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: file))
        let collection = try XCTUnwrap(bytes.range(of: Data("GCOL".utf8))).lowerBound
        // The first object's size (bytes 8...15 of its 16-byte header after the 16-byte
        // collection header): set bit 4 of its fifth byte, 2^36 bytes more.
        bytes[collection + 16 + 8 + 4] ^= 0x10
        try bytes.write(to: URL(fileURLWithPath: file))
        XCTAssertThrowsError(try H5File.open(file)) { error in
            XCTAssertTrue("\(error)".contains("global heap"), "\(error)")
            XCTAssertTrue("\(error)".contains(file), "\(error)")
        }
    }

    func testAZeroSizeFreeSpaceObjectIsAnErrorNotAHang() throws {
        let file = path("loop.h5")
        try write(file)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: file))
        let collection = try XCTUnwrap(bytes.range(of: Data("GCOL".utf8))).lowerBound
        // The first object becomes a free-space object (index 0) of size 0: libhdf5's
        // deserialiser would parse it for ever without moving on.
        for k in 0 ..< 2 { bytes[collection + 16 + k] = 0 }
        for k in 8 ..< 16 { bytes[collection + 16 + k] = 0 }
        try bytes.write(to: URL(fileURLWithPath: file))
        XCTAssertThrowsError(try H5File.open(file)) { error in
            XCTAssertTrue("\(error)".contains("object 0 of 0 bytes"), "\(error)")
        }
    }

    func testSignatureOffsetsFindEveryCollectionSignature() {
        func offsets(_ text: String) -> [Int] { Data(text.utf8).withUnsafeBytes { GlobalHeapCheck.signatureOffsets(in: $0) } }
        XCTAssertEqual(offsets(""), [])
        XCTAssertEqual(offsets("GCO"), [])
        XCTAssertEqual(offsets("GCOL"), [0])
        XCTAssertEqual(offsets("xxGCOLGCOLyGCOxGCOL"), [2, 6, 15])
        XCTAssertEqual(offsets("GGCOLL"), [1])
    }

    /// Chunked reading finds the same signatures as one read, whichever chunk boundary
    /// splits a signature, and counts from the file's start.
    func testSignatureAddressesAcrossChunkBoundaries() throws {
        let text = "xxGCOLGCOLyGCOxGCOLabGCOL"
        let file = path("signatures.bin")
        try Data(text.utf8).write(to: URL(fileURLWithPath: file))
        let handle = try XCTUnwrap(FileHandle(forReadingAtPath: file))
        defer { try? handle.close() }
        let whole = [2, 6, 15, 21]
        for chunk in [4, 5, 6, 7, 9, 64] {
            XCTAssertEqual(try GlobalHeapCheck.signatureAddresses(handle.fileDescriptor, in: 0 ..< text.utf8.count, chunkBytes: chunk),
                           whole, "chunk \(chunk)")
        }
        XCTAssertEqual(try GlobalHeapCheck.signatureAddresses(handle.fileDescriptor, in: 3 ..< 19, chunkBytes: 5), [6, 15])
        XCTAssertEqual(try GlobalHeapCheck.signatureAddresses(handle.fileDescriptor, in: 0 ..< 3, chunkBytes: 5), [])
    }
}
