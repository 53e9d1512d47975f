import Foundation
import XCTest

/// `melcnn eval`: the report folder is checked before the evaluation, with one line naming the flag.
final class EvalCommandTests: XCTestCase {
    func testOutputIsCheckedFirst() throws {
        let dir = try CLIRunner.temporaryDirectory(self)
        let (data, ck) = try CLIRunner.junkDataAndCheckpoint(in: dir)
        try CLIRunner.expectUserError(["eval", "--checkpoint", ck, "--data", data, "--out", data], mentioning: "--out")
        try CLIRunner.expectUserError(["eval", "--checkpoint", ck, "--data", data, "--out", "/proc/melcnn-report"], mentioning: "--out")
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: data)), Data([1, 2, 3]))
    }

    func testNegativeThreadCountNamesTheFlag() throws {
        let dir = try CLIRunner.temporaryDirectory(self)
        let ck = dir.appendingPathComponent("c.h5").path, data = dir.appendingPathComponent("d.h5").path
        try CLIRunner.expectUserError(["eval", "--checkpoint", ck, "--data", data, "--threads=-1"], mentioning: "--threads")
    }
}
