import Foundation
import XCTest

/// `melcnn predict`: flag values are checked before the checkpoint is read.
final class PredictCommandTests: XCTestCase {
    func testNegativeThreadCountNamesTheFlag() throws {
        let dir = try CLIRunner.temporaryDirectory(self)
        let ck = dir.appendingPathComponent("c.h5").path
        try CLIRunner.expectUserError(["predict", "--checkpoint", ck, "--threads=-1", "x.wav"], mentioning: "--threads")
    }
}
