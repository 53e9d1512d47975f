import TestSupport
import XCTest

/// A fresh temporary folder for one test, removed at teardown.
class FileOutputTestCase: XCTestCase {
    private var temporary: TemporaryFolder?
    var folder: String { temporary?.path ?? "" }

    override func setUpWithError() throws {
        temporary = try TemporaryFolder(prefix: "melcnn-file-output-tests")
    }

    override func tearDownWithError() throws {
        temporary?.remove()
    }

    func path(_ name: String) -> String { folder + "/" + name }

    /// Files in the test folder.
    func folderContents() throws -> [String] { try temporary?.contents() ?? [] }
}
