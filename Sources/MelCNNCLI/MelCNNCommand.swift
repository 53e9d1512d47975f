import ArgumentParser
import ToolSupport
import Audio
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
            CVCommand.self,
            EvalCommand.self,
            EmbedCommand.self,
            PredictCommand.self,
            ExportCommand.self,
            SimilarCommand.self,
            RecommendCommand.self,
            FactorsCommand.self,
            MapCommand.self,
            ClusterCommand.self,
            SpectrogramCommand.self,
            SynthCommand.self,
            PrepareCommand.self,
            MergeCommand.self,
            FeaturesCommand.self,
            BeatsCommand.self,
        ]
    )

    static func main() { mainWithOneLineErrors(mapping: CLIError.mapping) }
}
