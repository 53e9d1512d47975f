import Foundation
import XCTest

extension TrainCLITests {
    func testTrainOnSomethingThatIsNotADataSetIsOneLine() throws {
        let dir = try CLIRunner.temporaryDirectory(self)
        let config = TrainCLITests.configPath
        try CLIRunner.expectUserError(["train", "--config", config, "--data", dir.appendingPathComponent("none.h5").path,
                                       "--run-dir", dir.appendingPathComponent("r").path], mentioning: "none.h5")
        try CLIRunner.expectUserError(["train", "--config", config, "--data", config,
                                       "--run-dir", dir.appendingPathComponent("r").path], mentioning: "not an HDF5 file")
    }
}
