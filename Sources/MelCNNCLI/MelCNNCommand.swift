import ArgumentParser
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
            EvalCommand.self,
            EmbedCommand.self,
            PredictCommand.self,
            ExportCommand.self,
            SimilarCommand.self,
            MapCommand.self,
            ClusterCommand.self,
            SpectrogramCommand.self,
            SynthCommand.self,
            PrepareCommand.self,
            FeaturesCommand.self,
            BeatsCommand.self,
        ]
    )

    /// Checks the environment melcnn reads (`MELCNN_CPU`) before any command runs, then parses
    /// the arguments with every byte kept (file names need not be UTF-8) and runs the command.
    static func main() {
        if let problem = CPULevel.environmentProblem {
            Console.error("error: \(problem)")
            Foundation.exit(1)
        }
        do {
            var command = try parseAsRoot(Array(PathBytes.arguments.dropFirst()))
            try command.run()
        } catch {
            finish(with: error)
        }
        Foundation.exit(0)
    }

    /// Every failure is one line on stderr and exit status 1, usage mistakes included (the
    /// parser's own message is several lines and status 64). Help and `--version` print as usual;
    /// `ExitCode` means the command has already reported its failures.
    static func finish(with error: Error) -> Never {
        if error is ExitCode || exitCode(for: error).isSuccess { exit(withError: error) }
        let message = fullMessage(for: error)
        let first = message.split(whereSeparator: \.isNewline).first.map(String.init) ?? "Error: \(error)"
        Console.error(first)
        Foundation.exit(1)
    }
}
