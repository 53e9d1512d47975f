import Foundation
@testable import MelCNN
import TestSupport
import XCTest

final class RunFolderTests: XCTestCase {
    func testFolderNameOrTimeStampedFolder() throws {
        XCTAssertEqual(try RunFolder.resolve(folder: "/tmp/r", name: "x", configPath: nil, resuming: false).path, "/tmp/r")
        XCTAssertEqual(try RunFolder.resolve(folder: nil, name: "gtzan-1", configPath: nil, resuming: true),
                       RunFolder.checkpoints.appendingPathComponent("gtzan-1"))
        let now = Date(timeIntervalSince1970: 0)
        XCTAssertEqual(try RunFolder.resolve(folder: nil, name: nil, configPath: "Configs/demo.yaml", resuming: false, now: now),
                       RunFolder.checkpoints.appendingPathComponent("demo-1970-01-01T000000Z"))
        XCTAssertEqual(try RunFolder.resolve(folder: nil, name: nil, configPath: nil, resuming: false, now: now).lastPathComponent,
                       "run-1970-01-01T000000Z")
    }

    func testBadNamesAndResumingWithoutAFolderAreRefused() {
        for name in ["", "a/b"] {
            XCTAssertThrowsError(try RunFolder.resolve(folder: nil, name: name, configPath: nil, resuming: false)) {
                XCTAssertEqual(($0 as? ParameterError)?.parameter, "run")
            }
        }
        XCTAssertThrowsError(try RunFolder.resolve(folder: nil, name: nil, configPath: "c.yaml", resuming: true)) {
            XCTAssertEqual($0 as? RunFolderError, .resumeNeedsFolder)
        }
    }

    func testANewRunDoesNotReplaceCheckpoints() throws {
        let folder = try TemporaryFolder(prefix: "melcnn-run-folder-tests")
        defer { folder.remove() }
        let url = URL(fileURLWithPath: folder.path)
        try RunFolder.checkNewRun(in: url, resuming: false, overwriting: false)
        try Data([1]).write(to: url.appendingPathComponent("best.h5"))
        XCTAssertThrowsError(try RunFolder.checkNewRun(in: url, resuming: false, overwriting: false)) {
            XCTAssertEqual($0 as? RunFolderError, .holdsCheckpoint(folder: folder.path, file: "best.h5"))
        }
        try RunFolder.checkNewRun(in: url, resuming: true, overwriting: false)
        try RunFolder.checkNewRun(in: url, resuming: false, overwriting: true)
    }
}
