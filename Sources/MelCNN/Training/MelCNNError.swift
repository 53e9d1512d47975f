/// Errors of the training, evaluation and embedding layer; each `description` is one
/// line naming the file or value at fault.
public enum MelCNNError: Error, CustomStringConvertible, Equatable, Sendable {
    /// A file exists but is not the kind expected (e.g. not a melcnn checkpoint).
    case wrongFileKind(path: String, expected: String)
    /// A file of the right kind whose content is unusable.
    case invalidFile(path: String, reason: String)
    /// A file that does not exist.
    case missingFile(path: String, what: String)
    /// The data set's log-mel parameter differs from the config's or checkpoint's; the message
    /// says how to fix it (`prepare --config`, or the config key).
    case dspMismatch(parameter: String, dataset: String, datasetValue: String, other: String, otherValue: String)
    /// The loss became NaN or infinite.
    case nonFiniteLoss(epoch: Int, step: Int, value: Float, dataset: String, runDirectory: String)
    /// A split with no tracks.
    case emptySplit(path: String, split: String)
    /// An invalid request (flag combination, unknown layer, ...).
    case invalidArgument(String)
    /// Another process holds the run folder's lock (`RunFolderLock`); `pid` is the PID it
    /// wrote, nil when unreadable.
    case runFolderInUse(path: String, pid: Int32?)

    public var description: String { message() }

    /// The sentence, with `configOption` naming `prepare`'s config in the fix of `dspMismatch`
    /// and `otherFolder` ending `runFolderInUse`: the command line passes `--config` and
    /// `another --run/--run-dir`, the library's own words are the defaults.
    public func message(configOption: String = "config", otherFolder: String = "another folder") -> String {
        switch self {
        case let .wrongFileKind(path, expected):
            return "\(path): not a \(expected) file"
        case let .invalidFile(path, reason):
            return "\(path): \(reason)"
        case let .missingFile(path, what):
            return "\(path): \(what) not found"
        case let .dspMismatch(parameter, dataset, datasetValue, other, otherValue):
            let fix = other.hasSuffix(".yaml") || other.hasSuffix(".yml")
                ? "prepare the data set with \(configOption) \(other), or set data.\(parameter): \(datasetValue) in \(other)"
                : "prepare the data set with the model's config (config.yaml in its run folder)"
            return "\(dataset): \(parameter) = \(datasetValue) but \(other) has \(parameter) = \(otherValue); \(fix)"
        case let .nonFiniteLoss(epoch, step, value, dataset, runDirectory):
            return "\(dataset): training stopped: loss is \(value) at step \(step) (epoch \(epoch)); "
                + "the last good checkpoint in \(runDirectory) is kept"
        case let .emptySplit(path, split):
            return "\(path): the \(split) split has no tracks"
        case let .invalidArgument(message):
            return message
        case let .runFolderInUse(path, pid):
            let holder = pid.map { "process \($0)" } ?? "another process"
            return "run folder \(path) is in use by \(holder) (another melcnn run); wait for it to end or choose \(otherFolder)"
        }
    }
}

