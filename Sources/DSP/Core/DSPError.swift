/// Errors of the DSP module. Each names the offending parameter with librosa's
/// name for it (`hop_length`, `n_fft`, `fmax`, ...) so that a caller can map it
/// to its own flag or config key; `description` is one line.
public enum DSPError: Error, CustomStringConvertible, Equatable, Sendable {
    /// A parameter value outside its valid range. `parameter` is librosa's name.
    case invalidParameter(parameter: String, value: String, reason: String)
    /// An input too short, empty or of the wrong shape for the operation.
    case invalidInput(String)

    /// librosa's name of the parameter at fault, if any.
    public var parameter: String? {
        if case .invalidParameter(let name, _, _) = self { return name }
        return nil
    }

    public var description: String {
        switch self {
        case .invalidParameter(let name, let value, let reason): return "\(name) = \(value): \(reason)"
        case .invalidInput(let message): return message
        }
    }

    /// Throws `.invalidParameter` unless `value` is a positive integer.
    static func requirePositive(_ value: Int, _ name: String) throws {
        if value < 1 { throw DSPError.invalidParameter(parameter: name, value: "\(value)", reason: "must be a positive integer") }
    }
}
