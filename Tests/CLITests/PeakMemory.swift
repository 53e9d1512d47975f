import Foundation

/// Peak resident memory of one run of `melcnn`, measured by GNU time (`/usr/bin/time -f %M`,
/// installed by scripts/install-deps.sh). A small intermediate process is needed: a child
/// spawned straight from the test process (posix_spawn is a vfork) inherits the test
/// process's own high-water mark in `ru_maxrss`, so `wait4` / `RUSAGE_CHILDREN` there would
/// report the test's memory, not the command's. GNU time forks from its own small image.
enum PeakMemory {
    struct Run {
        var status: Int32
        /// Peak resident set size, bytes.
        var peakBytes: Int
    }

    static let time = "/usr/bin/time"

    /// Runs `melcnn args...` (stdout and stderr discarded) under GNU time.
    static func run(_ args: [String], in dir: URL) throws -> Run {
        let report = dir.appendingPathComponent("peak-\(UUID().uuidString).txt")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: time)
        process.arguments = ["-f", "%M", "-o", report.path, CLIRunner.executable.path] + args
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        let text = try String(contentsOf: report, encoding: .utf8)
        // With a failing command GNU time writes "Command exited with non-zero status N" first.
        let kib = text.split(whereSeparator: \.isNewline).last.flatMap { Int($0.trimmingCharacters(in: .whitespaces)) } ?? -1
        return Run(status: process.terminationStatus, peakBytes: kib * 1024)
    }
}
