import ArgumentParser
import ToolSupport
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
    static func main() { mainWithOneLineErrors() }
}

/// A user error of a `melcnn-bench` area (exit code 1); the description names the flag or file.
struct BenchUserError: Error, CustomStringConvertible { let description: String }
