import Audio
import Foundation
import ToolSupport

/// Progress on stderr for long loops (epochs, data-set preparation, embedding).
///
/// On a terminal it redraws one line (`title [#####-----] 42/100 status  12.3 it/s  ETA 0:05`)
/// at most ten times a second; when stderr is a file or pipe it stays quiet until
/// `finish`, which prints one summary line (non-terminal runs also get a plain progress
/// line every `plainInterval` seconds). Thread-safe.
/// ```swift
/// let progress = ProgressReporter(title: "epoch 1/8", total: steps, unit: "samples")
/// for step in 1 ... steps { ...; progress.update(step, status: "loss 0.53") }
/// progress.finish("epoch 1/8  loss 0.53  acc 81%")
/// ```
final class ProgressReporter: @unchecked Sendable {
    let title: String
    let total: Int
    let unit: String
    /// Units processed per `update` count (e.g. the batch size when counting steps).
    let unitsPerItem: Double
    let isTerminal: Bool
    /// Seconds between plain progress lines when stderr is not a terminal (0 = none).
    var plainInterval: Double = 0
    private let start = Date()
    private var lastDraw = Date.distantPast
    private var drawn = false
    private var done = 0
    private let lock = NSLock()

    init(title: String, total: Int, unit: String = "it", unitsPerItem: Double = 1,
         isTerminal: Bool = ProgressReporter.stderrIsTerminal) {
        self.title = title
        self.total = max(0, total)
        self.unit = unit
        self.unitsPerItem = unitsPerItem
        self.isTerminal = isTerminal
    }

    /// A counter without unit (`prepare`-style): plain lines every 5 s when not on a terminal.
    convenience init(label: String, total: Int) {
        self.init(title: label, total: total)
        plainInterval = 5
    }

    static var stderrIsTerminal: Bool { isatty(STDERR_FILENO) != 0 && ProcessInfo.processInfo.environment["TERM"] != "dumb" }

    /// Seconds since the reporter was created.
    var elapsed: Double { Date().timeIntervalSince(start) }

    /// Reports `done` of `total` items with a short status (redraws on a terminal only).
    func update(_ done: Int, status: String = "") {
        lock.lock(); defer { lock.unlock() }
        self.done = max(self.done, done)
        let now = Date()
        let interval = isTerminal ? 0.1 : plainInterval
        guard interval > 0, done >= total || now.timeIntervalSince(lastDraw) >= interval else { return }
        lastDraw = now
        let line = Self.line(title: title, done: self.done, total: total, status: status, elapsed: elapsed,
                             unit: unit, unitsPerItem: unitsPerItem)
        if isTerminal {
            Console.error("\r\u{1B}[2K" + line, newline: false)
            drawn = true
        } else {
            Console.error(line)
        }
    }

    /// Ends the progress display with one summary line (printed in every mode).
    func finish(_ summary: String) {
        lock.lock(); defer { lock.unlock() }
        if drawn { Console.error("\r\u{1B}[2K", newline: false) }
        Console.error(summary)
        drawn = false
    }

    /// Ends the bar line on a terminal, without a summary.
    func finish() {
        lock.lock(); defer { lock.unlock() }
        if drawn { Console.error("") }
        drawn = false
    }

    /// A message on stderr that does not break the bar.
    func message(_ text: String) {
        lock.lock(); defer { lock.unlock() }
        Console.error((drawn ? "\r\u{1B}[2K" : "") + text)
        drawn = false
    }

    /// The bar line: `title [####------] done/total status  rate unit/s  ETA m:ss`.
    static func line(title: String, done: Int, total: Int, status: String, elapsed: Double,
                     unit: String, unitsPerItem: Double, width: Int = 24) -> String {
        let fraction = total > 0 ? min(1, Double(done) / Double(total)) : 0
        let filled = Int((fraction * Double(width)).rounded(.down))
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        let rate = elapsed > 0 ? Double(done) * unitsPerItem / elapsed : 0
        let eta = done > 0 ? elapsed / Double(done) * Double(max(0, total - done)) : 0
        var parts = ["\(title) [\(bar)] \(done)/\(total)"]
        if !status.isEmpty { parts.append(status) }
        parts.append(String(format: "%.1f %@/s", rate, unit))
        parts.append("ETA " + formatDuration(eta))
        return parts.joined(separator: "  ")
    }
}

/// `m:ss` (or `h:mm:ss`) for a number of seconds.
func formatDuration(_ seconds: Double) -> String {
    let s = Int(seconds.rounded())
    return s >= 3600 ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String(format: "%d:%02d", s / 60, s % 60)
}

