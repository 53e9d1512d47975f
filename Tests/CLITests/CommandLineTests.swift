import Foundation
import XCTest

/// What every command shares: the parser's failures are one line naming the flag, exit status 1,
/// and negative numbers may be separate arguments.
final class CommandLineTests: XCTestCase {
    /// `--flag -1` means the same as `--flag=-1` (one line, status 1), not a usage screen.
    func testNegativeNumbersAsSeparateArguments() throws {
        let dir = try CLIRunner.temporaryDirectory(self)
        let data = dir.appendingPathComponent("data.h5").path
        let cases: [(command: [String], flag: String)] = [
            (["train", "--config", TrainCLITests.configPath, "--data", data], "--epochs"),
            (["train", "--config", TrainCLITests.configPath, "--data", data], "--lr"),
            (["similar", "--embeddings", data, "--track", "x"], "--k"),
        ]
        for (command, flag) in cases {
            let separate = try CLIRunner.run(command + [flag, command[0] == "similar" ? "-3" : "-1"])
            let joined = try CLIRunner.run(command + ["\(flag)=\(command[0] == "similar" ? "-3" : "-1")"])
            XCTAssertEqual(separate.status, 1, "\(flag): \(separate.stderr)")
            XCTAssertEqual(separate.stderr, joined.stderr, "\(flag) -1 and \(flag)=-1 differ")
            XCTAssertEqual(separate.stderr.split(separator: "\n").count, 1, separate.stderr)
        }
    }

    /// The parser's own errors are one line naming the flag, status 1 (not a usage screen, 64).
    func testUsageMistakesAreOneLine() throws {
        try CLIRunner.expectUserError(["info", "--bogus", "x.wav"], mentioning: "--bogus")
        try CLIRunner.expectUserError(["train", "--config", TrainCLITests.configPath, "--epochs"], mentioning: "--epochs")
    }
}
