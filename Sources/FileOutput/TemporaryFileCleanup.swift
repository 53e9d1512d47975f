#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Removes this process's unfinished temporary files when SIGINT, SIGTERM or SIGHUP
/// ends it, so an interrupted `prepare` or checkpoint write leaves nothing behind.
///
/// `AtomicOutput` registers its temporary path while it is being written and
/// unregisters it once renamed or removed. The first registration installs the handler
/// for every signal whose action is still the default (a signal the application handles
/// itself, such as the trainer's cooperative SIGINT, is left alone; such a handler calls
/// `removeAllAndTerminate` when it gives up). The handler unlinks the registered paths,
/// restores the default action and re-raises the signal, so the exit status still says
/// which signal ended the process. Only async-signal-safe calls run in the handler.
public enum TemporaryFileCleanup {
    /// Slots for registered paths (C strings owned by the registry); at most this many
    /// temporary files can be open at once, more are written but not cleaned on a signal.
    static let capacity = 64

    /// Registers `path` for removal on a fatal signal; returns its slot (nil when full).
    static func register(_ path: String) -> Int? {
        installOnce()
        lock.lock()
        defer { lock.unlock() }
        guard let slot = (0 ..< capacity).first(where: { slots[$0] == nil }) else { return nil }
        slots[slot] = strdup(path)
        return slot
    }

    /// Forgets the path in `slot` (after it was renamed or removed).
    static func unregister(_ slot: Int?) {
        guard let slot else { return }
        lock.lock()
        defer { lock.unlock() }
        let path = slots[slot]
        slots[slot] = nil
        free(path)
    }

    /// Removes every registered temporary file, then ends the process by `signal` with
    /// its default action. Async-signal-safe: for use inside signal handlers.
    public static func removeAllAndTerminate(signal number: Int32) -> Never {
        removeAll()
        signal(number, SIG_DFL)
        // The signal is blocked while its handler runs: unblock it so that raise() ends
        // the process now, by the signal (the exit status says which).
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, number)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
        raise(number)
        _exit(128 + number)
    }

    /// Unlinks every registered path (async-signal-safe: reads the slots, calls unlink).
    static func removeAll() {
        for slot in 0 ..< capacity {
            if let path = slots[slot] { unlink(path) }
        }
    }

    nonisolated(unsafe) private static let slots: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?> = {
        let buffer = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: capacity)
        buffer.initialize(repeating: nil, count: capacity)
        return buffer
    }()

    private static let lock = RegistryLock()

    nonisolated(unsafe) private static var installed = false

    private static func installOnce() {
        lock.lock()
        defer { lock.unlock() }
        guard !installed else { return }
        installed = true
        _ = slots
        for number in [SIGINT, SIGTERM, SIGHUP] {
            var current = sigaction()
            guard sigaction(number, nil, &current) == 0, current.__sigaction_handler.sa_handler == nil else { continue }
            signal(number, onFatalSignal)
        }
    }
}

private func onFatalSignal(_ number: Int32) {
    TemporaryFileCleanup.removeAllAndTerminate(signal: number)
}

/// A pthread mutex (FileOutput does not import Foundation).
final class RegistryLock: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t> = {
        let m = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
        pthread_mutex_init(m, nil)
        return m
    }()
    func lock() { pthread_mutex_lock(mutex) }
    func unlock() { pthread_mutex_unlock(mutex) }
}
