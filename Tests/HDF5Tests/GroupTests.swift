import XCTest
@testable import HDF5

final class GroupTests: HDF5TestCase {
    func testNestedPathsMembersAndExists() throws {
        let h5 = try H5File.create(path("g.h5"))
        try h5.createStringDataset("tracks/path", values: ["a.wav"])
        try h5.createDataset("tracks/label", values: [Int32(1)])
        let stats = try h5.createGroup("stats/deep/er")
        XCTAssertEqual(stats.path, "/stats/deep/er")
        XCTAssertEqual(try h5.members(), ["stats", "tracks"])
        XCTAssertEqual(try h5.openGroup("tracks").members(), ["label", "path"])
        XCTAssertTrue(try h5.exists("tracks/path"))
        XCTAssertTrue(try h5.exists("/stats/deep"))
        XCTAssertFalse(try h5.exists("tracks/nope"))
        XCTAssertFalse(try h5.exists("nope/deeper/still"))
        XCTAssertFalse(try h5.exists("tracks/path/below-a-dataset"))
        XCTAssertEqual(try h5.kind(of: "tracks"), .group)
        XCTAssertEqual(try h5.kind(of: "tracks/label"), .dataset)
        XCTAssertNil(try h5.kind(of: "x"))
        let tracks = try h5.openGroup("tracks")
        XCTAssertEqual(try tracks.openDataset("label").path, "/tracks/label")
        XCTAssertEqual(try tracks.openDataset("/tracks/label").read(as: Int32.self), [1])
        XCTAssertEqual(try h5.requireGroup("tracks").path, "/tracks")
        XCTAssertEqual(try h5.requireGroup("new").path, "/new")
        try h5.remove("new")
        XCTAssertFalse(try h5.exists("new"))
    }

    func testWrongKindAndDuplicatesThrow() throws {
        let h5 = try H5File.create(path("g.h5"))
        try h5.createDataset("d", values: [1.0])
        XCTAssertThrowsError(try h5.openGroup("d")) { error in
            guard case H5Error.typeMismatch = error else { return XCTFail("\(error)") }
        }
        XCTAssertThrowsError(try h5.openDataset("missing/x")) { error in
            XCTAssertEqual(error as? H5Error, .objectNotFound(file: self.path("g.h5"), object: "/missing/x"))
        }
        XCTAssertThrowsError(try h5.createDataset("d", values: [2.0])) { error in
            guard case H5Error.invalidArgument = error else { return XCTFail("\(error)") }
        }
    }
}
