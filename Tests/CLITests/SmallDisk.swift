import Foundation
import XCTest

/// A small tmpfs mounted for one test (needs root, as in CI), for full-disk tests.
/// Unmounted at teardown. `fill(leavingFree:)` takes all but the given bytes.
final class SmallDisk {
    let folder: URL

    /// Mounts a tmpfs of `megabytes` MiB in a fresh folder; skips the test when not root
    /// or when mounting is not allowed (a container without CAP_SYS_ADMIN).
    init(_ test: XCTestCase, megabytes: Int = 16) throws {
        guard getuid() == 0 else {
            throw XCTSkip("full-disk test needs root to mount a tmpfs (CI runs as root)")
        }
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("melcnn-disk-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let status = try Self.run("mount", ["-t", "tmpfs", "-o", "size=\(megabytes)M", "tmpfs", folder.path])
        guard status == 0 else {
            try? FileManager.default.removeItem(at: folder)
            throw XCTSkip("cannot mount a tmpfs here (mount exited \(status))")
        }
        let mounted = folder
        test.addTeardownBlock {
            _ = try? Self.run("umount", [mounted.path])
            try? FileManager.default.removeItem(at: mounted)
        }
    }

    /// Free bytes on the file system.
    var freeBytes: Int {
        var info = statvfs()
        guard statvfs(folder.path, &info) == 0 else { return 0 }
        return Int(info.f_bavail) * Int(info.f_frsize)
    }

    /// Allocates a filler file so that `bytes` (rounded down to pages) stay free.
    func fill(leavingFree bytes: Int) throws {
        let size = freeBytes - bytes
        guard size > 0 else { return }
        let filler = folder.appendingPathComponent("filler")
        let fd = open(filler.path, O_WRONLY | O_CREAT, 0o644)
        defer { close(fd) }
        XCTAssertEqual(posix_fallocate(fd, 0, off_t(size)), 0)
    }

    private static func run(_ tool: String, _ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool] + arguments
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }
}
