#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Temporary files that an earlier, killed melcnn process left beside an output.
///
/// `AtomicOutput` names its temporary file `.<name>.tmp-<PID>-<hex>` in the output's
/// folder. A process killed with SIGKILL (or a crash, or a power cut) cannot remove it;
/// the next write of the same output removes every such file whose PID is no longer a
/// running process and reports each on stderr. Files of running processes (another
/// melcnn writing the same output right now) are left alone.
enum StaleTemporaryFiles {
    /// The prefix of every temporary name for the output called `name`.
    static func prefix(for name: String) -> String { ".\(name).tmp-" }

    /// The temporary name for `name` written by process `pid`; `suffix` is random hex.
    static func name(for name: String, pid: pid_t, suffix: String) -> String {
        prefix(for: name) + "\(pid)-\(suffix)"
    }

    /// The PID encoded in a temporary name for `name`, or nil when `entry` is not one.
    static func pid(in entry: String, for name: String) -> pid_t? {
        let prefix = prefix(for: name)
        guard entry.hasPrefix(prefix) else { return nil }
        let rest = entry.dropFirst(prefix.count)
        guard let dash = rest.firstIndex(of: "-"), let pid = pid_t(rest[..<dash]), pid > 0,
              !rest[rest.index(after: dash)...].isEmpty else { return nil }
        return pid
    }

    /// True when no process with `pid` exists (kill(pid, 0) fails with ESRCH).
    static func isGone(_ pid: pid_t) -> Bool {
        kill(pid, 0) != 0 && errno == ESRCH
    }

    /// Removes the stale temporary files of the output `name` in `folder` and writes one
    /// stderr line per removed file; returns the removed paths.
    @discardableResult
    static func remove(in folder: String, for name: String) -> [String] {
        guard let dir = opendir(folder) else { return [] }
        var entries: [String] = []
        while let entry = readdir(dir) {
            let entryName = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            entries.append(entryName)
        }
        closedir(dir)
        var removed: [String] = []
        for entry in entries.sorted() {
            guard let pid = pid(in: entry, for: name), pid != getpid(), isGone(pid) else { continue }
            let path = folder + "/" + entry
            guard unlink(path) == 0 else { continue }
            removed.append(path)
            let line = "melcnn: removed stale temporary file \(path) (left by process \(pid), which is no longer running)\n"
            _ = line.withCString { write(STDERR_FILENO, $0, strlen($0)) }
        }
        return removed
    }
}
