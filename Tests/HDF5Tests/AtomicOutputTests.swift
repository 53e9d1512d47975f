import Foundation
import XCTest
@testable import HDF5

/// Write failures at the end of an atomic write (here: the file-size limit, which every
/// user can lower, giving EFBIG exactly like a full disk gives ENOSPC) keep the previous
/// file, remove the temporary one, name the final path, and leave no HDF5 identifier open.
final class AtomicOutputTests: HDF5TestCase {
    /// Runs `body` with this process's file-size limit (bytes) lowered to `limit`;
    /// SIGXFSZ is ignored meanwhile so the write fails with EFBIG instead of killing us.
    private func withFileSizeLimit<T>(_ limit: Int, _ body: () throws -> T) rethrows -> T {
        var saved = rlimit()
        getrlimit(Int32(RLIMIT_FSIZE.rawValue), &saved)
        let previousHandler = signal(SIGXFSZ, SIG_IGN)
        var lowered = saved
        lowered.rlim_cur = rlim_t(limit)
        XCTAssertEqual(setrlimit(Int32(RLIMIT_FSIZE.rawValue), &lowered), 0)
        defer {
            setrlimit(Int32(RLIMIT_FSIZE.rawValue), &saved)
            signal(SIGXFSZ, previousHandler)
        }
        return try body()
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
