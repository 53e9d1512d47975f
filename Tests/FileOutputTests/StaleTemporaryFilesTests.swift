import Foundation
import TestSupport
import XCTest
@testable import FileOutput

/// Temporary files of dead processes are removed by the next write of the same output.
final class StaleTemporaryFilesTests: TemporaryFolderTestCase {
    /// A PID that no process has: a child that has already been reaped.
    private func deadPID() throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/true")
        try process.run()
        process.waitUntilExit()
        return process.processIdentifier
    }

    func testNamesCarryThePID() {
        XCTAssertEqual(StaleTemporaryFiles.pid(in: ".data.h5.tmp-4242-5a84f761", for: "data.h5"), 4242)
        XCTAssertNil(StaleTemporaryFiles.pid(in: ".data.h5.tmp-4242-5a84f761", for: "last.h5"))
        XCTAssertNil(StaleTemporaryFiles.pid(in: ".data.h5.tmp-x-5a84f761", for: "data.h5"))
        XCTAssertNil(StaleTemporaryFiles.pid(in: ".data.h5.tmp-4242-", for: "data.h5"))
    }

    func testWriteRemovesTemporariesOfDeadProcessesOnly() throws {
        let dead = try deadPID()
        let stale = ".data.h5.tmp-\(dead)-abc123"
        let live = ".data.h5.tmp-\(getppid())-def456"        // the parent is running
        let other = ".last.h5.tmp-\(dead)-abc123"             // another output's: not ours to judge
        for name in [stale, live, other] { try Data("x".utf8).write(to: URL(fileURLWithPath: path(name))) }
        try atomicWrite(to: path("data.h5"), text: "epoch 1")
        XCTAssertEqual(try folderContents(), [live, other, "data.h5"].sorted())
    }

    func testRemoveReportsWhatItRemoved() throws {
        let dead = try deadPID()
        try Data("x".utf8).write(to: URL(fileURLWithPath: path(".m.csv.tmp-\(dead)-1")))
        XCTAssertEqual(StaleTemporaryFiles.remove(in: folder, for: "m.csv"), [path(".m.csv.tmp-\(dead)-1")])
        XCTAssertEqual(try folderContents(), [])
    }
}
