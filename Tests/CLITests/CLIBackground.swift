import Foundation
import XCTest

/// A `melcnn` process running in the background (for kill, signal and lock tests); its
/// stderr goes to a file so that a full pipe can never block it.
final class CLIBackground {
    let process = Process()
    let stderrURL: URL

    /// Starts `melcnn args...`; stderr is collected in `folder/stderr-<uuid>.txt`.
    init(_ args: [String], stderrIn folder: URL) throws {
        stderrURL = folder.appendingPathComponent("stderr-\(UUID().uuidString).txt")
        try CLIRunner.createEmptyFile(stderrURL)
        process.executableURL = CLIRunner.executable
        process.arguments = args
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: stderrURL)
        try process.run()
    }

    var pid: Int32 { process.processIdentifier }

    /// Sends `signal` and waits for the process to end.
    func kill(_ signal: Int32) {
        _ = Foundation.kill(pid, signal)
        process.waitUntilExit()
    }

    /// The stderr written so far.
    var stderr: String { (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? "" }

    /// Polls every 5 ms until `condition` holds or `seconds` pass; false on timeout or
    /// when the process ended first.
    func wait(upTo seconds: Double, until condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition() { return true }
            if !process.isRunning { return condition() }
            usleep(5_000)
        }
        return false
    }

    deinit {
        if process.isRunning { kill(SIGKILL) }
    }
}

/// Temporary files (`.<name>.tmp-<PID>-<hex>`) in `folder`.
func temporaryFiles(in folder: URL) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.contains(".tmp-") }.sorted()
}
