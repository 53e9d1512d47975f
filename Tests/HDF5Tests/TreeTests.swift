import XCTest
@testable import HDF5

final class TreeTests: HDF5TestCase {
    func testTreeListsGroupsDatasetsAndAttributes() throws {
        let h5 = try H5File.create(path("t.h5"))
        try h5.attributes.write("format", "melcnn-dataset")
        try h5.attributes.write("config", String(repeating: "key: value\n", count: 40))
        try h5.createDataset("mels", of: Float.self, shape: [0, 4], options: .compressed(extendable: true, chunks: [64, 4]))
        try h5.createStringDataset("tracks/path", values: ["a", "b"])
        try h5.createDataset("tracks/label", values: [Int32(0), 1]).attributes.write("classes", 2)

        let entries = try h5.tree()
        XCTAssertEqual(entries.map(\.path), ["/", "/mels", "/tracks", "/tracks/label", "/tracks/path"])
        XCTAssertEqual(entries[1].shape, [0, 4])
        XCTAssertEqual(entries[1].dtype, .float32)
        XCTAssertEqual(entries[3].attributes.map(\.name), ["classes"])

        let text = try h5.describeTree(maxValueLength: 30)
        XCTAssertEqual(text.split(separator: "\n").map(String.init), [
            "/  group",
            "    @config = \"key: value\\nkey: value\\nkey: ...",
            "    @format = \"melcnn-dataset\"",
            "/mels  float32 [0, 4]  chunks [64, 4]  shuffle gzip(4)",
            "/tracks  group",
            "/tracks/label  int32 [2]",
            "    @classes = 2",
            "/tracks/path  string [2]",
        ])
    }
}
