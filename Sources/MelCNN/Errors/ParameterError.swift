/// A parameter value that melcnn's API refuses, named as the API names it (`k`, `perplexity`,
/// `perGenre`). The command line says the same with its flag instead (`--k`, `--per-genre`).
///
/// `description`: `[subject: ]parameter problem`, e.g. `k must be >= 1, got 0` or
/// `best.h5: format onnx supports model.kind cnn1d only, this model is cnn2d (export it as safetensors)`.
public struct ParameterError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The file or object the problem is about, when there is one.
    public let subject: String?
    /// The parameter's name in the API.
    public let parameter: String
    /// The rest of the sentence after the parameter's name, starting with a space or colon.
    public let problem: String

    public init(_ parameter: String, _ problem: String, subject: String? = nil) {
        self.subject = subject
        self.parameter = parameter
        self.problem = problem
    }

    public var description: String { (subject.map { "\($0): " } ?? "") + parameter + problem }

    /// The sentence with `name` (a command-line flag) in place of the parameter's name.
    public func naming(_ name: String) -> String { (subject.map { "\($0): " } ?? "") + name + problem }
}
