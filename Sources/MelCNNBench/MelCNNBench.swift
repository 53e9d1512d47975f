import ArgumentParser
import Audio
import Foundation
import Tensor

/// `melcnn-bench <area>`: the Swift side of `make bench`, an executable of its own so that the
/// user CLI carries no benchmark code. Each area prints one JSON object per line
/// (`{"name": ..., "ms": ..., "route": ..., ...}`) that `Benchmarks/report.py` joins with the
/// Python peer's lines of the same names.
@main
struct MelCNNBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "melcnn-bench",
        abstract: "Run melcnn's side of a benchmark area (used by `make bench`).",
        discussion: "Example: melcnn-bench dsp --clip bench-output/dsp/clip.wav",
        subcommands: [
            BenchAudio.self,
            BenchDSP.self,
            BenchNN.self,
            BenchPrepare.self,
            BenchFeatures.self,
            BenchTrain.self,
        ]
    )

    /// As `melcnn`: `MELCNN_CPU` is checked first; every failure (usage mistakes included) is
    /// one line on stderr and exit status 1; help prints as usual.
    static func main() {
        do {
            if let problem = CPULevel.environmentProblem { throw BenchUserError(description: "error: \(problem)") }
            var command = try parseAsRoot(Array(PathBytes.arguments.dropFirst()))
            try command.run()
            Foundation.exit(0)
        } catch let error where error is ExitCode || exitCode(for: error).isSuccess {
            exit(withError: error)
        } catch {
            Console.error(fullMessage(for: error).split(whereSeparator: \.isNewline).first.map(String.init) ?? "\(error)")
            Foundation.exit(1)
        }
    }
}

/// A user error of a `melcnn-bench` area (exit code 1); the description names the flag or file.
struct BenchUserError: Error, CustomStringConvertible { let description: String }

/// Diagnostics on stderr (shown even while a decoder's chatter is silenced).
enum Console {
    static func error(_ text: String) { DecoderChatter.write(toStandardError: PathBytes.display(text + "\n")) }
}
