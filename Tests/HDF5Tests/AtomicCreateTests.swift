import FileOutput
import Foundation
import TestSupport
import XCTest
@testable import HDF5

/// `H5File.createAtomically` (FileOutput's `atomicWrite` around an HDF5 writer): a failing
/// writer, folder or disk keeps the previous file, names the final path, and leaves no HDF5
/// identifier open.
final class AtomicCreateTests: HDF5TestCase {
    private struct WriterFailed: Error {}

    func testThrowingWriterLeavesNothingBehind() throws {
        let final = path("model.h5")
        XCTAssertThrowsError(try H5File.createAtomically(final) { h5 in
            try h5.createDataset("w", values: [Float(1), 2])
            throw WriterFailed()
        }) { error in XCTAssertTrue(error is WriterFailed) }
        XCTAssertEqual(try folderContents(), [])
    }

    func testThrowingWriterKeepsThePreviousFile() throws {
        let final = path("last.h5")
        try H5File.createAtomically(final) { h5 in try h5.attributes.write("epoch", 1) }
        XCTAssertThrowsError(try H5File.createAtomically(final) { h5 in
            try h5.attributes.write("epoch", 2)
            throw WriterFailed()
        })
        XCTAssertEqual(try H5File.open(final).attributes.read("epoch", as: Int.self), 1)
        try H5File.createAtomically(final) { h5 in try h5.attributes.write("epoch", 3) }
        XCTAssertEqual(try H5File.open(final).attributes.read("epoch", as: Int.self), 3)
        XCTAssertEqual(try folderContents(), ["last.h5"])
    }

    func testFolderThatRefusesFilesNamesTheFinalPath() throws {
        // /proc accepts no new files, even for root.
        var ran = false
        XCTAssertThrowsError(try H5File.createAtomically("/proc/melcnn-x.h5") { _ in ran = true }) { error in
            guard case .cannotCreate(let file, _)? = error as? AtomicWriteError else {
                return XCTFail("unexpected error \(error)")
            }
            XCTAssertEqual(file, "/proc/melcnn-x.h5")
            XCTAssertFalse("\(error)".contains("tmp"), "\(error)")
            XCTAssertFalse("\(error)".contains("\n"))
        }
        XCTAssertFalse(ran)
    }

    private func writeWeights(_ path: String, count: Int = 50_000) throws {
        try H5File.createAtomically(path) { file in
            try file.attributes.write("epoch", 1)
            try file.createDataset("w", values: (0 ..< count).map { Float($0) })
        }
    }

    /// Before: the failed H5Fclose was ignored, the truncated file renamed over the good
    /// one, and libhdf5 crashed (SIGSEGV) at the next call or at exit.
    func testHDF5FlushFailureKeepsPreviousFileAndDoesNotCrash() throws {
        let final = path("last.h5")
        try writeWeights(final)
        let good = try Data(contentsOf: URL(fileURLWithPath: final))
        XCTAssertThrowsError(try withFileSizeLimit(good.count - 4096) { try writeWeights(final) }) { error in
            XCTAssertEqual(error as? AtomicWriteError, .writeFailed(file: final, reason: "file too large"), "\(error)")
            XCTAssertFalse("\(error)".contains("\n"))
        }
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: final)), good)
        XCTAssertEqual(try folderContents(), ["last.h5"])
        // libhdf5 still works (it crashed here before), and the next write succeeds.
        try H5File.createAtomically(final) { file in try file.attributes.write("epoch", 2) }
        XCTAssertEqual(try H5File.open(final).attributes.read("epoch", as: Int.self), 2)
    }
}
