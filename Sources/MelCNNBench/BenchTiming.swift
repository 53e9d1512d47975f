import DSP
import Foundation
import Tensor

/// Timing helpers shared by the `melcnn-bench` areas.
enum BenchTiming {
    /// Median wall time of `runs` calls of `body` in milliseconds, after `warmup` calls.
    static func medianMs(runs: Int = 7, warmup: Int = 1, _ body: () throws -> Void) rethrows -> Double {
        for _ in 0 ..< warmup { try body() }
        var times: [Double] = []
        for _ in 0 ..< max(1, runs) {
            let start = DispatchTime.now().uptimeNanoseconds
            try body()
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
        }
        times.sort()
        return times[times.count / 2]
    }

    /// Median CPU time of this process (all threads, `CLOCK_PROCESS_CPUTIME_ID`) over
    /// `runs` calls of `body`, in milliseconds, after `warmup` calls. For single-threaded
    /// work it equals wall time on an idle machine and is far less disturbed by other
    /// processes on a shared one.
    static func medianCPUMs(runs: Int = 7, warmup: Int = 1, _ body: () throws -> Void) rethrows -> Double {
        func cpuNs() -> UInt64 {
            var ts = timespec()
            clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
            return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
        }
        for _ in 0 ..< warmup { try body() }
        var times: [Double] = []
        for _ in 0 ..< max(1, runs) {
            let start = cpuNs()
            try body()
            times.append(Double(cpuNs() - start) / 1e6)
        }
        times.sort()
        return times[times.count / 2]
    }

    /// The kernels a benchmark ran, for the `route` label of its line: the CPU level in use
    /// (`MELCNN_CPU`), the SGEMM kernel and the log-mel spectrum kernel (as `melcnn info --cpu`).
    static var route: String { "\(CPULevel.name): sgemm \(SGEMMBackend.kernel), spectra \(SpectrumKernel.name), median \(MedianFilterKernel.name), conv1d \(ConvAlgorithm.description)" }

    /// Prints one benchmark result as a JSON line on stdout, labelled with `route`.
    static func emit(_ name: String, ms: Double, extra: [String: Double] = [:], labels: [String: String] = [:]) {
        let labels = labels.merging(["route": route]) { mine, _ in mine }
        var fields = ["\"name\": \"\(name)\"", "\"ms\": \(String(format: "%.4f", ms))"]
        for (key, value) in extra.sorted(by: { $0.key < $1.key }) {
            fields.append("\"\(key)\": \(String(format: "%.6g", value))")
        }
        for (key, value) in labels.sorted(by: { $0.key < $1.key }) { fields.append("\"\(key)\": \"\(value)\"") }
        print("{" + fields.joined(separator: ", ") + "}")
        fflush(nil) // all output streams; `stdout` is a non-Sendable global in Swift 6
    }

    /// Peak resident set size of this process in MB (VmHWM from /proc/self/status).
    static func peakResidentMB() -> Double {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in text.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            let kb = Double(line.split(separator: " ", omittingEmptySubsequences: true)[1]) ?? 0
            return kb / 1024
        }
        return 0
    }
}
