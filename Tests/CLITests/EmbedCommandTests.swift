import Foundation
import XCTest

/// `melcnn embed`: outputs are checked before any work, with one line naming the flag.
final class EmbedCommandTests: XCTestCase {
    func testOutputsAreCheckedFirst() throws {
        let dir = try CLIRunner.temporaryDirectory(self)
        let (data, ck) = try CLIRunner.junkDataAndCheckpoint(in: dir)
        try CLIRunner.expectUserError(["embed", "--checkpoint", ck, "--data", data, "--out", data], mentioning: "--out")
        try CLIRunner.expectUserError(["embed", "--checkpoint", ck, "--data", data, "--out", ck], mentioning: "--out")
        try CLIRunner.expectUserError(["embed", "--checkpoint", ck, "--data", data, "--out", dir.appendingPathComponent("e.txt").path],
                                      mentioning: ".h5 or .csv")
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: data)), Data([1, 2, 3]))
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: ck)), Data([4, 5, 6]))
    }

    func testNegativeThreadCountNamesTheFlag() throws {
        let dir = try CLIRunner.temporaryDirectory(self)
        let ck = dir.appendingPathComponent("c.h5").path, data = dir.appendingPathComponent("d.h5").path
        try CLIRunner.expectUserError(["embed", "--checkpoint", ck, "--data", data, "--out", dir.appendingPathComponent("e.h5").path,
                                       "--threads=-1"], mentioning: "--threads")
    }
}
