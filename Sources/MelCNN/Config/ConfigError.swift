/// A configuration problem: an unknown key, a wrong type or a value out of range.
///
/// `description` is one line naming the file (or `command line`) and the dotted key,
/// for example `Configs/demo.yaml: train.lr: expected a number, got "fast"`.
public struct ConfigError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The YAML file, or `command line` for a flag override.
    public var file: String
    /// The dotted key (`train.lr`, `model.conv[1].kernel`) or the flag (`--lr`).
    public var key: String
    /// What is wrong with it.
    public var message: String

    public init(file: String, key: String, message: String) {
        self.file = file
        self.key = key
        self.message = message
    }

    public var description: String {
        key.isEmpty ? "\(file): \(message)" : "\(file): \(key): \(message)"
    }
}
