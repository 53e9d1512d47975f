import DSP
import Foundation
import Tensor
import ToolSupport

/// What `melcnn info --cpu` and `make bench` print about the machine: the CPU model, the
/// instruction-set level detected and in use (`MELCNN_CPU`), the kernel of each fast path and
/// the 1-D convolution algorithm (`MELCNN_CONV`).
enum CPUReport {
    static func lines() -> [String] {
        let model = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8))?
            .split(separator: "\n").first { $0.hasPrefix("model name") }?
            .split(separator: ":", maxSplits: 1).last?.trimmingCharacters(in: .whitespaces) ?? "unknown"
        let cap = ProcessInfo.processInfo.environment["MELCNN_CPU"].map { " (MELCNN_CPU=\($0))" } ?? ""
        return ["cpu: \(model), \(ProcessInfo.processInfo.activeProcessorCount) cores",
                "level: \(CPULevel.name) in use\(cap), \(CPULevel.detected) detected",
                "sgemm: \(SGEMMBackend.kernel)",
                "log-mel spectra: \(SpectrumKernel.name)",
                "median filters (hpss): \(MedianFilterKernel.name)",
                "allocator: \(AllocatorTuning.description)",
                "conv1d: \(ConvAlgorithm.current == .winograd ? ConvAlgorithm.description + " where it applies, im2col elsewhere" : "im2col (MELCNN_CONV=im2col)")"]
    }
}
