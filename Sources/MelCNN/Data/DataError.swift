/// Errors of data-set preparation; each `description` is one line naming the file or value
/// at fault (a refused parameter value is a `ParameterError`).
public enum DataError: Error, CustomStringConvertible, Equatable, Sendable {
    /// An input folder or file that does not exist.
    case missingInput(path: String, what: String)
    /// A path listed in a split file or manifest that does not exist under the audio folder.
    case listedPathMissing(list: String, line: Int, path: String)
    /// A line of a manifest or split file that cannot be parsed.
    case badListLine(list: String, line: Int, message: String)
    /// An input that exists but cannot be used as what it was given for (a file where a
    /// folder is expected, a list that is not UTF-8 text...).
    case unusableInput(path: String, reason: String)
    /// Nothing to prepare.
    case noTracks(String)

    public var description: String {
        switch self {
        case let .missingInput(path, what): return "\(path): \(what) not found"
        case let .listedPathMissing(list, line, path): return "\(list):\(line): \(path) does not exist"
        case let .badListLine(list, line, message): return "\(list):\(line): \(message)"
        case let .unusableInput(path, reason): return "\(path): \(reason)"
        case let .noTracks(message): return message
        }
    }
}
