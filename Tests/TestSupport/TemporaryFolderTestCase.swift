import XCTest

/// A test case with a fresh temporary folder for each test, removed at teardown.
open class TemporaryFolderTestCase: XCTestCase {
    private var temporary: TemporaryFolder?

    /// The test's folder (no trailing slash).
    public var folder: String { temporary?.path ?? "" }

    override open func setUpWithError() throws {
        try super.setUpWithError()
        temporary = try TemporaryFolder(prefix: "melcnn-tests-\(type(of: self))")
    }

    override open func tearDownWithError() throws {
        temporary?.remove()
        try super.tearDownWithError()
    }

    /// The path of `name` in the test's folder.
    public func path(_ name: String) -> String { folder + "/" + name }

    /// The names in the test's folder, sorted.
    public func folderContents() throws -> [String] { try temporary?.contents() ?? [] }
}
