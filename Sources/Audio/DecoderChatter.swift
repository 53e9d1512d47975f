import Foundation

/// libmpg123 (libsndfile's MP3 decoder) prints its own notes on stderr while it opens and
/// decodes (`Note: Illegal Audio-MPEG-Header 0x... at offset ...`), which would break melcnn's
/// one-line-per-problem output. While any thread opens or decodes, file descriptor 2 points
/// at /dev/null; melcnn's own messages go through `write(toStandardError:)`, which reaches the
/// real stderr in either case.
public enum DecoderChatter {
    private static let lock = NSLock()
    /// Threads inside `silenced` (the redirection is undone when the last one leaves).
    nonisolated(unsafe) private static var depth = 0
    /// A duplicate of the real stderr while fd 2 is redirected, else -1.
    nonisolated(unsafe) private static var savedStandardError: Int32 = -1

    /// Runs `body` with fd 2 sent to /dev/null (when `condition`), returning its result.
    static func silenced<T>(when condition: Bool = true, _ body: () -> T) -> T {
        guard condition else { return body() }
        enter()
        defer { leave() }
        return body()
    }

    /// Writes `text` to the real stderr, even while decoders are silenced.
    public static func write(toStandardError text: String) {
        lock.lock()
        defer { lock.unlock() }
        let fd = savedStandardError >= 0 ? savedStandardError : 2
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let n = bytes.withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) }
            if n <= 0 { if errno == EINTR { continue } else { return } }
            bytes = bytes.dropFirst(n)
        }
    }

    private static func enter() {
        lock.lock()
        defer { lock.unlock() }
        depth += 1
        guard depth == 1 else { return }
        let null = open("/dev/null", O_WRONLY | O_CLOEXEC)
        guard null >= 0 else { return }
        savedStandardError = fcntl(2, F_DUPFD_CLOEXEC, 3)
        if savedStandardError >= 0 { dup2(null, 2) }
        close(null)
    }

    private static func leave() {
        lock.lock()
        defer { lock.unlock() }
        depth -= 1
        guard depth == 0, savedStandardError >= 0 else { return }
        dup2(savedStandardError, 2)
        close(savedStandardError)
        savedStandardError = -1
    }
}
