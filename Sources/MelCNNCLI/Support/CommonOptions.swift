import ArgumentParser
import DSP
import Foundation
import MelCNN
import Tensor

/// `--threads`, shared by every command that computes (`@OptionGroup var threads: ThreadsOption`).
struct ThreadsOption: ParsableArguments {
    @Option(name: .long, parsing: .unconditional, help: "Compute threads (0 = all cores).")
    var threads: Int = 0

    func validate() throws {
        guard threads >= 0 else { throw ValidationError("--threads must be >= 0 (0 = all cores), got \(threads)") }
    }

    /// Sets the compute threads (Tensor's `Threads`): `threads`, or every core for 0.
    func apply() {
        Threads.setCount(threads > 0 ? threads : ProcessInfo.processInfo.activeProcessorCount)
    }
}

/// `--checkpoint`, shared by the commands that load a trained model.
struct CheckpointOption: ParsableArguments {
    @Option(name: .long, parsing: .unconditional, help: "Checkpoint (best.h5 or last.h5 of a run).")
    var checkpoint: String
}

/// `--embeddings`, shared by the commands that read `melcnn embed`'s output.
struct EmbeddingsOption: ParsableArguments {
    @Option(name: .long, parsing: .unconditional, help: "Embeddings file written by `melcnn embed` (.h5).")
    var embeddings: String
}

/// A data set split on the command line: `train`, `validation` (or `val`), `test`.
extension TrainingTracks.Split: ExpressibleByArgument {
    public init?(argument: String) { self.init(name: argument) }
    public var defaultValueDescription: String { name }
    public static var allValueStrings: [String] { allCases.map(\.name) }
}

/// `--split` of commands that can also take every split at once.
enum SplitSelection: String, CaseIterable, ExpressibleByArgument {
    case all, train, validation, test

    var splits: Set<TrainingTracks.Split> {
        self == .all ? Set(TrainingTracks.Split.allCases) : [TrainingTracks.Split(name: rawValue)!]
    }
}

extension PadMode: ExpressibleByArgument {}
