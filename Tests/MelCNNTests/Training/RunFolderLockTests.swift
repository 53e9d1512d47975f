@testable import MelCNN
import Foundation
import XCTest

/// One lock per run folder: a second holder is refused at once with the first one's PID.
final class RunFolderLockTests: XCTestCase {
    func testSecondLockIsRefusedUntilTheFirstIsReleased() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("run-lock-\(UUID().uuidString)/run")
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
        let first = try RunFolderLock(folder: folder)
        XCTAssertEqual(try String(contentsOf: RunFolderLock.lockFile(in: folder), encoding: .utf8), "\(getpid())\n")
        // flock locks belong to the open file, so a second open in this process conflicts too.
        XCTAssertThrowsError(try RunFolderLock(folder: folder)) { error in
            XCTAssertEqual(error as? MelCNNError, .runFolderInUse(path: folder.path, pid: getpid()))
            XCTAssertTrue("\(error)".contains("run folder \(folder.path) is in use by process \(getpid())"), "\(error)")
        }
        first.release()
        let second = try RunFolderLock(folder: folder)
        second.release()
    }

    func testAFileInTheWayIsOneError() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("run-lock-\(UUID().uuidString)")
        try Data().write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        XCTAssertThrowsError(try RunFolderLock(folder: file)) { error in
            XCTAssertEqual(error as? MelCNNError, .invalidFile(path: file.path, reason: "is a file, expected a run folder"))
        }
    }
}
