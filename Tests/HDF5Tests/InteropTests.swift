import Foundation
import XCTest
@testable import HDF5

/// Files written by h5py are read here, and files written here are read by h5dump.
final class InteropTests: HDF5TestCase {
    private var fixture: String { Self.fixtures + "/h5py_sample.h5" }

    func testReadsH5pyWrittenFile() throws {
        let h5 = try H5File.open(fixture)
        let attrs = h5.attributes
        XCTAssertEqual(try attrs.readString("format"), "h5py-sample")
        XCTAssertEqual(try attrs.read("version", as: Int64.self), 3)
        XCTAssertEqual(try attrs.read("rate", as: Double.self), 0.5)
        XCTAssertEqual(try attrs.read("gain", as: Float.self), 1.25)
        XCTAssertEqual(try attrs.readArray("shape_hint", as: Int32.self), [2, 3])
        XCTAssertEqual(try attrs.readString("label"), "fixed")
        XCTAssertEqual(try attrs.readStrings("names"), ["alpha", "béta"])
        XCTAssertEqual(try attrs.value("version"), .int(3))
        XCTAssertEqual(try attrs.value("rate"), .double(0.5))

        let f32 = try h5.openDataset("f32")
        XCTAssertEqual(try f32.shape, [3, 4])
        XCTAssertEqual(try f32.dtype, .float32)
        XCTAssertEqual(try f32.read(as: Float.self), (0..<12).map { Float($0) * 0.5 - 1 })
        XCTAssertEqual(try h5.openDataset("f64").read(as: Double.self), (0..<5).map { Double($0) / 3 })
        let i32 = try h5.openDataset("i32")
        XCTAssertEqual(try i32.shape, [1, 2, 3])
        XCTAssertEqual(try i32.read(as: Int32.self), (0..<6).map { Int32($0) - 3 })
        XCTAssertEqual(try h5.openDataset("i64").read(as: Int64.self), (0..<4).map { Int64($0) << 40 })
        XCTAssertEqual(try h5.openDataset("u8").read(as: UInt8.self), (0..<10).map { UInt8($0 * 25) })
        XCTAssertEqual(try h5.openDataset("scalar").readScalar(as: Double.self), 2.5)

        let mels = try h5.openDataset("nested/deeper/mels")
        XCTAssertEqual(try mels.shape, [40, 8])
        XCTAssertEqual(try mels.maxShape, [nil, 8])
        XCTAssertEqual(try mels.chunkShape, [16, 8])
        XCTAssertEqual(try mels.filters, ["shuffle", "gzip(4)"])
        XCTAssertEqual(try mels.readRows(10..<20, as: Float.self), (80..<160).map { Float($0) / 7 })
        XCTAssertEqual(try mels.attributes.read("frames", as: Int.self), 40)
        XCTAssertEqual(try h5.openGroup("nested/deeper").attributes.readString("note"), "inside")

        XCTAssertEqual(try h5.openDataset("strings").readStrings(), ["one", "twö", ""])
        XCTAssertEqual(try h5.openDataset("fixed_strings").readStrings(), ["ab", "cde"])
        XCTAssertEqual(try h5.members(), ["f32", "f64", "fixed_strings", "i32", "i64", "nested", "scalar", "strings", "u8"])
    }

    func testH5dumpReadsWrapperOutput() throws {
        let file = path("dump.h5")
        try H5File.createAtomically(file) { h5 in
            try h5.attributes.write("format", "melcnn-test")
            try h5.attributes.write("version", 2)
            let mels = try h5.createDataset("mels", of: Float.self, shape: [0, 3], options: .compressed(extendable: true))
            try mels.append([Float](arrayLiteral: 1.5, 2.5, 3.5, 4.5, 5.5, 6.5))
            try h5.createStringDataset("tracks/path", values: ["a.wav", "é.flac"])
            try h5.createDataset("tracks/label", values: [Int32(7), 9])
        }
        let output = try h5dump([file])
        for expected in ["\"melcnn-test\"", "H5T_IEEE_F32LE", "( 2, 3 ) / ( H5S_UNLIMITED, 3 )",
                         "1.5, 2.5, 3.5", "\"a.wav\"", "CSET H5T_CSET_UTF8", "7, 9", "H5T_STD_I32LE"] {
            XCTAssertTrue(output.contains(expected), "h5dump output lacks \(expected):\n\(output)")
        }
    }

    func testNoIdentifierLeaksAfterUse() throws {
        _ = try H5File.open(fixture).tree()   // warm up lazily created library state
        let before = H5Library.openIdentifierCount()
        do {
            let h5 = try H5File.create(path("leak.h5"))
            let data = try h5.createDataset("g/d", values: [Float](repeating: 1, count: 12), shape: [3, 4],
                                            options: .compressed(extendable: true))
            try data.append([Float](repeating: 2, count: 4))
            _ = try data.readRows(1..<3, as: Float.self)
            try data.attributes.write("s", ["x", "y"])
            _ = try data.attributes.readStrings("s")
            try h5.createStringDataset("s", values: ["a"], options: H5DatasetOptions(extendable: true)).appendStrings(["b"])
            _ = try h5.describeTree()
            XCTAssertThrowsError(try h5.openDataset("missing"))
            XCTAssertThrowsError(try data.attributes.read("s", as: Int.self))
        }
        _ = try H5File.open(fixture).describeTree()
        XCTAssertEqual(H5Library.openIdentifierCount(), before)
    }
}
