import Foundation
import XCTest

final class SimilarCommandTests: XCTestCase {
    func testMissingEmbeddingsFileExitsOneNamingIt() throws {
        let dir = try CLIRunner.temporaryDirectory(self)
        let missing = dir.appendingPathComponent("nope.h5").path
        let r = try CLIRunner.run(["similar", "--embeddings", missing, "--eval"])
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains(missing), r.stderr)
        XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, r.stderr)
    }
}
