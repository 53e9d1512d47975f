import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Peak resident memory of one run of `melcnn`: the child is spawned directly and reaped with
/// `wait4`, whose `rusage` is that child's own (`ru_maxrss`, KiB on Linux), not the maximum over
/// every child the test process ever ran (`getrusage(RUSAGE_CHILDREN)`).
enum PeakMemory {
    struct Run {
        var status: Int32
        /// Peak resident set size, bytes.
        var peakBytes: Int
    }

    /// Runs `melcnn args...` with stdout and stderr discarded; returns its exit status and peak RSS.
    static func run(_ args: [String]) throws -> Run {
        let executable = CLIRunner.executable.path
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + args).map { strdup($0) } + [nil]
        defer { for p in argv { free(p) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, nil, argv, environ)
        guard spawned == 0 else {
            throw NSError(domain: "PeakMemory", code: Int(spawned), userInfo: [NSLocalizedDescriptionKey: "cannot run \(executable)"])
        }
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 && errno == EINTR {}
        let exit = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return Run(status: exit, peakBytes: Int(usage.ru_maxrss) * 1024)
    }
}
