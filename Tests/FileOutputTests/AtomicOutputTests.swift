import Foundation
import TestSupport
import XCTest
@testable import FileOutput

/// Write failures at the end of an atomic write (here: the file-size limit, which every
/// user can lower, giving EFBIG exactly like a full disk gives ENOSPC) keep the previous
/// file, remove the temporary one and name the final path.
final class AtomicOutputTests: TemporaryFolderTestCase {
    func testBytesWriteFailureKeepsPreviousFile() throws {
        let final = path("metrics.csv")
        try atomicWrite(to: final, text: "epoch\n1\n")
        let big = String(repeating: "1,0.5\n", count: 20_000)
        XCTAssertThrowsError(try withFileSizeLimit(16_384) { try atomicWrite(to: final, text: big) }) { error in
            XCTAssertEqual(error as? AtomicWriteError, .writeFailed(file: final, reason: "file too large"), "\(error)")
        }
        XCTAssertEqual(try String(contentsOfFile: final, encoding: .utf8), "epoch\n1\n")
        XCTAssertEqual(try folderContents(), ["metrics.csv"])
    }

    func testDiskProblemIsFoundInHDF5ErrorText() {
        let text = "x.h5: '/mels': H5Dwrite_chunk failed: can't write (file write failed: errno = 28, error message = 'No space left on device')"
        XCTAssertEqual(AtomicOutput.diskProblem(in: text), "no space left on device")
        XCTAssertNil(AtomicOutput.diskProblem(in: "x.h5: '/mels': shape mismatch"))
    }
}
