import ArgumentParser
import MelCNN

/// The one error type of melcnn's commands: one line naming the flag or file to fix
/// (`mainWithOneLineErrors` prints it and exits with status 1).
///
/// Library errors name API parameters (`ParameterError`), never flags; `init(mapping:)`
/// rewrites them in the command line's words, and `mainWithOneLineErrors` applies it to
/// every error a command throws.
struct CLIError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) { self.description = description }

    /// `error` as the command line says it: a `ParameterError` (also inside a `SynthError`)
    /// names the flag of its parameter; every other error is left as it is.
    static func mapping(_ error: Error) -> Error {
        switch error {
        case let error as ParameterError:
            return CLIError(flagged(error))
        case SynthError.badParameter(let error):
            return CLIError("synth: " + flagged(error))
        case let error as MelCNNError:
            return CLIError(error.message(configOption: "--config", otherFolder: "another --run/--run-dir"))
        case RunFolderError.resumeNeedsFolder:
            return CLIError("--resume needs --run or --run-dir")
        case let RunFolderError.holdsCheckpoint(folder, file):
            return CLIError("run folder \(folder) already holds \(file): pass --resume to "
                + "continue that run, --overwrite to start again, or another --run/--run-dir")
        default:
            return error
        }
    }

    /// The flag of each library parameter whose name is not the flag's (`--name` otherwise).
    static let flags: [String: String] = [
        "nInit": "--n-init", "maxIter": "--max-iter", "earlyExaggeration": "--early-exaggeration",
        "learningRate": "--learning-rate", "perGenre": "--per-genre", "sampleRate": "--sr",
        "tracksPerListener": "--tracks-per-listener", "output": "--out", "splitFiles": "--split-files",
        "compressionLevel": "--compression", "parts": "PART", "repeats": "--repeat", "directory": "--run-dir",
        "validationFraction": "--validation-fraction", "cgSteps": "--cg-steps",
    ]

    /// The flag of `parameter`.
    static func flag(for parameter: String) -> String { flags[parameter] ?? "--" + parameter }

    /// `error`'s sentence with the flag in place of the parameter name.
    static func flagged(_ error: ParameterError) -> String {
        error.naming(flag(for:))
    }
}

extension CLIError {
    /// The problem of `error` without its parameter's name: the explanation argument-parser
    /// appends to "The value 'X' is invalid for '--flag <flag>'".
    init(problemOf error: ParameterError) {
        self.init(String(error.problem.drop { $0 == ":" || $0 == " " }))
    }

    /// `flag: message`, e.g. `--shard: cannot be combined with mpirun`.
    static func flag(_ flag: String, _ message: String) -> CLIError { CLIError("\(flag): \(message)") }
}
