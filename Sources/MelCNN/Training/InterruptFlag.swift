#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import FileOutput

/// Cooperative SIGINT handling for long runs.
///
/// `install()` replaces the default SIGINT action: the first Ctrl-C only raises a flag
/// (the trainer checks `isRaised` between steps, saves `last.h5` and returns); a second
/// Ctrl-C removes the temporary file of a write in progress (`TemporaryFileCleanup`) and
/// terminates at once by SIGINT. The previous `last.h5` is safe either way because
/// checkpoints are written to a temporary name and renamed.
public enum InterruptFlag {
    /// True once SIGINT arrived after `install()` (or after `raise()`).
    public static var isRaised: Bool { interruptCount > 0 }

    /// Installs the handler (idempotent). With `mpiSignals`, SIGTERM and SIGUSR1 act as SIGINT:
    /// on Ctrl-C, Open MPI's mpirun sends SIGTERM to every rank (then SIGKILL), and it forwards
    /// SIGUSR1 as it is.
    public static func install(mpiSignals: Bool = false) {
        signal(SIGINT, onSIGINT)
        if mpiSignals {
            signal(SIGTERM, onSIGINT)
            signal(SIGUSR1, onSIGINT)
        }
    }

    /// Raises the flag as SIGINT would (for tests and embedding applications).
    public static func raise() { interruptCount += 1 }

    /// Lowers the flag (before a new run in the same process).
    public static func reset() { interruptCount = 0 }
}

/// Written only by the signal handler and the functions above; a word-sized store is
/// async-signal-safe, and the trainer only polls it.
nonisolated(unsafe) private var interruptCount: Int32 = 0

private func onSIGINT(_: Int32) {
    if interruptCount > 0 { TemporaryFileCleanup.removeAllAndTerminate(signal: SIGINT) }
    interruptCount += 1
    let message = "\nmelcnn: interrupt: finishing the current step and saving (Ctrl-C again to quit at once)\n"
    _ = message.withCString { write(STDERR_FILENO, $0, strlen($0)) }
}
