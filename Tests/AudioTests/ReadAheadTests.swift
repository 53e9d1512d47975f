import Foundation
import XCTest
@testable import Audio
#if canImport(Glibc)
import Glibc
#endif

/// `ReadAhead.request` brings an evicted file back into the page cache and ignores what it
/// cannot read (missing files, folders, a FIFO with no writer: returns at once, no hang).
final class ReadAheadTests: XCTestCase {
    #if os(Linux)
    /// Pages of `path` in the page cache, as a fraction (mincore over a read-only mapping).
    private func residency(_ path: String) throws -> Double {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw XCTSkip("cannot open \(path)") }
        defer { close(fd) }
        var status = stat()
        XCTAssertEqual(fstat(fd, &status), 0)
        let length = Int(status.st_size), page = Int(sysconf(Int32(_SC_PAGESIZE)))
        guard let map = mmap(nil, length, PROT_READ, MAP_SHARED, fd, 0), map != MAP_FAILED else { throw XCTSkip("mmap failed") }
        defer { munmap(map, length) }
        var pages = [UInt8](repeating: 0, count: (length + page - 1) / page)
        XCTAssertEqual(mincore(map, length, &pages), 0)
        return Double(pages.filter { $0 & 1 != 0 }.count) / Double(pages.count)
    }

    func testRequestReadsAnEvictedFileIntoTheCache() throws {
        let dir = try AudioTestSupport.temporaryDirectory(self)
        let path = dir.appendingPathComponent("clip.wav").path
        try Data(repeating: 7, count: 8 << 20).write(to: URL(fileURLWithPath: path))
        let fd = open(path, O_RDONLY)
        XCTAssertGreaterThanOrEqual(fd, 0)
        XCTAssertEqual(fsync(fd), 0)   // clean pages can be dropped
        _ = posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED)
        close(fd)
        guard try residency(path) < 0.5 else { throw XCTSkip("the kernel kept the file's pages after POSIX_FADV_DONTNEED") }
        ReadAhead.request(path)
        var cached = try residency(path)
        let deadline = Date().addingTimeInterval(10)
        while cached < 1, Date() < deadline {   // the reads run in the background
            usleep(10_000)
            cached = try residency(path)
        }
        XCTAssertEqual(cached, 1, "after ReadAhead.request every page is in the cache")
    }

    func testWhatCannotBeReadIsIgnoredWithoutBlocking() throws {
        let dir = try AudioTestSupport.temporaryDirectory(self)
        let fifo = dir.appendingPathComponent("pipe.wav").path
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        let started = Date()
        for path in [fifo, dir.path, dir.appendingPathComponent("missing.wav").path, ""] { ReadAhead.request(path) }
        XCTAssertLessThan(Date().timeIntervalSince(started), 5, "a FIFO without a writer must not block the request")
    }
    #endif
}
