import Foundation
import HDF5
@testable import MelCNN
import XCTest

final class EmbeddingsRobustnessTests: XCTestCase {
    func testZeroWidthEmbeddingsAreInvalidAndOutputsNeedAKnownExtension() throws {
        let dir = try TinyDataset.temporaryDirectory(self)
        let path = dir.appendingPathComponent("e.h5").path
        let empty = EmbeddingsFile(vectors: [], dim: 0, paths: ["a.wav"], labels: [0], classes: ["x"], checkpoint: "c.h5", layer: "pool")
        try empty.write(to: path)
        XCTAssertThrowsError(try EmbeddingsFile.read(from: path)) { error in
            XCTAssertEqual(error as? MelCNNError, .invalidFile(path: path, reason: "/embeddings has 0 values per track"))
        }
        XCTAssertThrowsError(try empty.write(to: dir.appendingPathComponent("e.txt").path))
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("e.txt").path))
    }
}
