import ArgumentParser
import Foundation
import Tensor

/// The `melcnn` command-line tool. Each subcommand lives in its own file.
@main
struct MelCNNCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "melcnn",
        abstract: "Music machine learning: librosa-parity features, mel datasets, a Spotify-style CNN.",
        version: "0.1.0",
        subcommands: [
            InfoCommand.self,
            TrainCommand.self,
            EvalCommand.self,
            EmbedCommand.self,
            PredictCommand.self,
            ExportCommand.self,
            SimilarCommand.self,
            SpectrogramCommand.self,
            SynthCommand.self,
            PrepareCommand.self,
            FeaturesCommand.self,
            BeatsCommand.self,
            BenchCommand.self,
        ]
    )

    /// Checks the environment melcnn reads (`MELCNN_CPU`) before any command runs.
    static func main() {
        if let problem = CPULevel.environmentProblem {
            FileHandle.standardError.write(Data("error: \(problem)\n".utf8))
            Foundation.exit(1)
        }
        main(nil)
    }
}
