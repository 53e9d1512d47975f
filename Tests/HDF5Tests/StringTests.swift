import XCTest
@testable import HDF5

final class StringTests: HDF5TestCase {
    func testStringDatasetWriteReadAndAppend() throws {
        let file = path("s.h5")
        let first = ["blues/blues.00000.wav", "ünïcödé ♫", "", "with\nnewline"]
        do {
            let h5 = try H5File.create(file)
            let paths = try h5.createStringDataset("tracks/path", values: first,
                                                   options: H5DatasetOptions(chunks: [2], extendable: true))
            try paths.appendStrings(["x"])
            try paths.appendStrings([])
            try paths.appendStrings(["y", "z"])
            try h5.createStringDataset("empty", values: [])
        }
        let h5 = try H5File.open(file)
        let paths = try h5.openDataset("tracks/path")
        XCTAssertEqual(try paths.dtype, .string)
        XCTAssertEqual(try paths.shape, [7])
        XCTAssertEqual(try paths.readStrings(), first + ["x", "y", "z"])
        XCTAssertEqual(try h5.openDataset("empty").readStrings(), [])
    }

    func testFixedStringDatasetCannotAppend() throws {
        let h5 = try H5File.create(path("f.h5"))
        let names = try h5.createStringDataset("names", values: ["a", "b"])
        XCTAssertThrowsError(try names.appendStrings(["c"])) { error in
            guard case H5Error.invalidArgument = error else { return XCTFail("\(error)") }
        }
        try names.writeStrings(["c", "d"])
        XCTAssertEqual(try names.readStrings(), ["c", "d"])
    }
}
