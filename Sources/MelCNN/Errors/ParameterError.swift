/// A parameter value that melcnn's API refuses, named as the API names it (`k`, `perplexity`,
/// `perGenre`). The command line says the same with its flag instead (`--k`, `--per-genre`).
///
/// `description`: `[subject: ]parameter problem`, e.g. `k must be >= 1, got 0` or
/// `best.h5: format onnx supports model.kind cnn1d only, this model is cnn2d (export it as safetensors)`.
/// `problem` names other parameters in backticks (`` cannot be combined with `shard` ``);
/// `naming(_:)` puts their flags there too.
public struct ParameterError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The file or object the problem is about, when there is one.
    public let subject: String?
    /// The parameter's name in the API.
    public let parameter: String
    /// The rest of the sentence after the parameter's name, starting with a space or colon;
    /// other parameters in backticks.
    public let problem: String

    public init(_ parameter: String, _ problem: String, subject: String? = nil) {
        self.subject = subject
        self.parameter = parameter
        self.problem = problem
    }

    public var description: String { (subject.map { "\($0): " } ?? "") + parameter + problem }

    /// The sentence in another vocabulary: `name(parameter)` for the parameter and for every
    /// backticked name in `problem` (a command line passes its flags, `--k`).
    public func naming(_ name: (String) -> String) -> String {
        var text = (subject.map { "\($0): " } ?? "") + name(parameter)
        var rest = Substring(problem)
        while let open = rest.firstIndex(of: "`") {
            let after = rest.index(after: open)
            guard let close = rest[after...].firstIndex(of: "`"),
                  close > after, rest[after ..< close].allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
                text += rest[...open]
                rest = rest[after...]
                continue
            }
            text += rest[..<open] + name(String(rest[after ..< close]))
            rest = rest[rest.index(after: close)...]
        }
        return text + rest
    }
}
