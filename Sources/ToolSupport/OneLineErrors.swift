import ArgumentParser
import Audio
import Foundation
import Tensor

/// Diagnostics on stderr, shown even while a decoder's chatter is silenced; bytes of file
/// names that are not UTF-8 are shown escaped.
public enum Console {
    public static func error(_ text: String, newline: Bool = true) {
        DecoderChatter.write(toStandardError: PathBytes.display(newline ? text + "\n" : text))
    }
}

extension ParsableCommand {
    /// The `main` of melcnn's executables: tunes glibc's allocator (`AllocatorTuning`), checks the environment melcnn reads (`MELCNN_CPU`, `MELCNN_CONV`),
    /// parses the arguments with every byte kept (file names need not be UTF-8) and runs the
    /// command. Every failure is one line on stderr and exit status 1, usage mistakes included
    /// (the parser's own message is several lines and status 64). Help and `--version` print as
    /// usual; `ExitCode` means the command has already reported its failures. `mapping` rewrites
    /// a library error in the command line's words (melcnn's `CLIError.mapping`).
    public static func mainWithOneLineErrors(mapping: (Error) -> Error = { $0 }) -> Never {
        AllocatorTuning.apply()
        if let problem = CPULevel.environmentProblem ?? ConvAlgorithm.environmentProblem {
            Console.error("error: \(problem)")
            Foundation.exit(1)
        }
        do {
            var command = try parseAsRoot(Array(PathBytes.arguments.dropFirst()))
            try command.run()
        } catch {
            let error = mapping(error)
            if error is ExitCode || exitCode(for: error).isSuccess { exit(withError: error) }
            let message = fullMessage(for: error)
            Console.error(message.split(whereSeparator: \.isNewline).first.map(String.init) ?? "Error: \(error)")
            Foundation.exit(1)
        }
        Foundation.exit(0)
    }
}
