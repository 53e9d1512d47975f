import Foundation
import XCTest

extension CLIRunner {
    /// Runs melcnn (or `tool`) and checks the user-error contract (status 1, one stderr line containing
    /// `needle`, no trap); returns that line.
    @discardableResult
    static func expectUserError(_ args: [String], mentioning needle: String, tool: URL = executable,
                                file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let r = try run(args, tool: tool)
        XCTAssertEqual(r.status, 1, "\(args): \(r.stderr)", file: file, line: line)
        let lines = r.stderr.split(separator: "\n")
        XCTAssertEqual(lines.count, 1, "\(args): \(r.stderr)", file: file, line: line)
        XCTAssertTrue(r.stderr.contains(needle), "\(args): expected \(needle) in \(r.stderr)", file: file, line: line)
        return String(lines.first ?? "")
    }
}
