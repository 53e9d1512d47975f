import Foundation
import TestSupport
import XCTest

/// A test case with a fresh temporary folder (`TemporaryFolderTestCase`) and h5dump.
class HDF5TestCase: TemporaryFolderTestCase {

    /// Runs h5dump with `arguments`; asserts that it exits 0 and returns its output.
    /// Skips the test when h5dump is not installed.
    func h5dump(_ arguments: [String], file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let h5dump = ["/usr/bin/h5dump", "/usr/local/bin/h5dump"].first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let h5dump else { throw XCTSkip("h5dump not installed (apt-get install hdf5-tools)") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: h5dump)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = Pipe()
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, output, file: file, line: line)
        return output
    }

    /// The committed fixtures folder.
    static let fixtures = Repository.fixtures.path
}
