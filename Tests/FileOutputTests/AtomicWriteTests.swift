import Foundation
import TestSupport
import XCTest
@testable import FileOutput

final class AtomicWriteTests: TemporaryFolderTestCase {
    func testSuccessRenamesIntoPlaceAndLeavesNoTemporaryFile() throws {
        let final = path("metrics.csv")
        let returned = try atomicWrite(to: final) { temporary in
            XCTAssertNotEqual(temporary, final)
            XCTAssertTrue(temporary.hasPrefix(folder + "/"))
            try "epoch,loss\n1,0.5\n".write(toFile: temporary, atomically: false, encoding: .utf8)
            return 42
        }
        XCTAssertEqual(returned, 42)
        XCTAssertEqual(try String(contentsOfFile: final, encoding: .utf8), "epoch,loss\n1,0.5\n")
        XCTAssertEqual(try folderContents(), ["metrics.csv"])
    }

    func testMissingFolderAndNothingWrittenAreTypedErrors() throws {
        let inMissing = path("no/such/folder/x.csv")
        XCTAssertThrowsError(try atomicWrite(to: inMissing) { _ in }) { error in
            XCTAssertEqual(error as? AtomicWriteError, .folderNotFound(file: inMissing, folder: path("no/such/folder")))
        }
        XCTAssertThrowsError(try atomicWrite(to: path("x.csv")) { _ in }) { error in
            XCTAssertEqual(error as? AtomicWriteError, .nothingWritten(file: self.path("x.csv")))
        }
        XCTAssertEqual(try folderContents(), [])
    }
}

/// Unwritable destinations fail before the writer runs, with one line naming the final path.
final class AtomicWriteRobustnessTests: TemporaryFolderTestCase {
    func testDirectoryInTheWayFailsBeforeTheWriterRuns() throws {
        let dir = path("out.h5")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: false)
        var ran = false
        XCTAssertThrowsError(try atomicWrite(to: dir) { _ in ran = true }) { error in
            XCTAssertEqual(error as? AtomicWriteError, .isDirectory(file: dir))
            XCTAssertEqual("\(error)", "cannot write \(dir): it is a directory")
        }
        XCTAssertFalse(ran)
        XCTAssertEqual(try folderContents(), ["out.h5"])
    }

    func testSameFileSeesThroughRelativePathsAndLinks() throws {
        let a = path("a.wav"), b = path("b.wav")
        try Data([1]).write(to: URL(fileURLWithPath: a))
        try Data([1]).write(to: URL(fileURLWithPath: b))
        try FileManager.default.createSymbolicLink(atPath: path("link.wav"), withDestinationPath: a)
        XCTAssertTrue(isSameFile(a, path("link.wav")))
        XCTAssertTrue(isSameFile(a, folder + "/./a.wav"))
        XCTAssertFalse(isSameFile(a, b))
        XCTAssertFalse(isSameFile(a, path("missing.wav")))
    }
}
