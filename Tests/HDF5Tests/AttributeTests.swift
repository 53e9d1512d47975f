import XCTest
@testable import HDF5

final class AttributeTests: HDF5TestCase {
    func testScalarArrayAndStringAttributesOnFileGroupAndDataset() throws {
        let file = path("attrs.h5")
        do {
            let h5 = try H5File.create(file)
            let group = try h5.createGroup("tracks")
            let dataset = try group.createDataset("label", values: [Int32(0), 1])
            for owner in [h5, group, dataset] as [H5Object] {
                try owner.attributes.write("format", "melcnn-dataset ✓")
                try owner.attributes.write("sample_rate", 22050)
                try owner.attributes.write("fmax", Float(11025.5))
                try owner.attributes.write("top_db", 80.0)
                try owner.attributes.write("ids", [Int32(3), 4, 5])
                try owner.attributes.write("split", [UInt8(0), 1, 2])
                try owner.attributes.write("names", ["a", "é", ""])
                try owner.attributes.write("top_db", 70.0)   // overwrite
            }
        }
        let h5 = try H5File.open(file)
        let owners: [H5Object] = [h5, try h5.openGroup("tracks"), try h5.openDataset("tracks/label")]
        for owner in owners {
            let attrs = owner.attributes
            XCTAssertEqual(try attrs.names(), ["fmax", "format", "ids", "names", "sample_rate", "split", "top_db"])
            XCTAssertEqual(try attrs.readString("format"), "melcnn-dataset ✓")
            XCTAssertEqual(try attrs.read("sample_rate", as: Int.self), 22050)
            XCTAssertEqual(try attrs.read("sample_rate", as: Double.self), 22050)
            XCTAssertEqual(try attrs.read("fmax", as: Float.self), 11025.5)
            XCTAssertEqual(try attrs.read("top_db", as: Double.self), 70)
            XCTAssertEqual(try attrs.readArray("ids", as: Int32.self), [3, 4, 5])
            XCTAssertEqual(try attrs.readArray("split", as: UInt8.self), [0, 1, 2])
            XCTAssertEqual(try attrs.readStrings("names"), ["a", "é", ""])
            XCTAssertEqual(try attrs.shape(of: "sample_rate"), [])
            XCTAssertEqual(try attrs.shape(of: "ids"), [3])
            XCTAssertEqual(try attrs.dtype(of: "fmax"), .float32)
            XCTAssertEqual(try attrs.value("sample_rate"), .int(22050))
            XCTAssertEqual(try attrs.value("ids"), .ints([3, 4, 5]))
            XCTAssertEqual(try attrs.value("names"), .strings(["a", "é", ""]))
            XCTAssertTrue(try attrs.contains("ids"))
            XCTAssertFalse(try attrs.contains("nope"))
        }
    }

    func testMissingAndMistypedAttributesThrowTypedErrors() throws {
        let h5 = try H5File.create(path("a.h5"))
        try h5.attributes.write("text", "hello")
        try h5.attributes.write("pair", [1.0, 2.0])
        XCTAssertThrowsError(try h5.attributes.read("missing", as: Int.self)) { error in
            XCTAssertEqual(error as? H5Error, .objectNotFound(file: self.path("a.h5"), object: "/@missing"))
        }
        XCTAssertThrowsError(try h5.attributes.read("text", as: Int.self)) { error in
            guard case H5Error.typeMismatch = error else { return XCTFail("\(error)") }
        }
        XCTAssertThrowsError(try h5.attributes.readString("pair")) { error in
            guard case H5Error.typeMismatch = error else { return XCTFail("\(error)") }
        }
        XCTAssertThrowsError(try h5.attributes.read("pair", as: Double.self)) { error in
            guard case H5Error.shapeMismatch = error else { return XCTFail("\(error)") }
        }
        try h5.attributes.remove("pair")
        XCTAssertEqual(try h5.attributes.names(), ["text"])
    }
}
