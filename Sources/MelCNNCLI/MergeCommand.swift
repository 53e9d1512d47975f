import ArgumentParser
import Foundation
import MelCNN
import ToolSupport

/// `melcnn merge`: the part files of `prepare --shard I/N` -> one dataset.h5.
struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Merge the parts of a sharded prepare (prepare --shard I/N) into one data set.",
        discussion: """
            Gives the data set one `prepare` over all inputs would write: the same /mels
            values and track order, the same classes, splits and skipped list, and the
            training-split statistics merged with the parallel variance formula. All N parts
            of one run are needed; parts of different runs are refused.

            Example:
              for i in 0 1 2 3; do melcnn prepare music --shard $i/4 --out part$i.h5 & done; wait
              melcnn merge part0.h5 part1.h5 part2.h5 part3.h5 --out data.h5
            """
    )

    @Argument(help: "The part files (any order).") var parts: [String]
    @Option(parsing: .unconditional, help: "Output data set (.h5), written atomically.") var out: String

    func run() throws {
        print(try Self.merge(parts: parts, output: out).line)
    }

    /// DatasetMerge.merge with a progress bar and warnings on stderr (also `prepare` under mpirun).
    static func merge(parts: [String], output out: String) throws -> PrepareSummary {
        var progress: ProgressReporter?
        let summary = try DatasetMerge.merge(parts: parts, output: out) { event in
            switch event {
            case let .progress(done, total):
                if progress == nil { progress = ProgressReporter(label: "merge", total: total) }
                progress?.update(done)
            case let .skipped(path, reason):
                Console.error("merge: skipped \(path): \(reason)")
            case let .warning(text):
                if let progress { progress.message("merge: warning: \(text)") } else { Console.error("merge: warning: \(text)") }
            }
        }
        progress?.finish()
        return summary
    }
}
