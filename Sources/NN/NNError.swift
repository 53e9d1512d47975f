/// Errors of the NN module; `description` is one line naming what is wrong.
public enum NNError: Error, CustomStringConvertible, Equatable {
    /// `loadStateDict` found entries missing, unexpected or of the wrong shape.
    case stateDictMismatch(missing: [String], unexpected: [String], shapes: [String])
    /// A hyper-parameter outside its valid range (`name`, the reason).
    case invalidHyperparameter(String, String)

    public var description: String {
        switch self {
        case let .stateDictMismatch(missing, unexpected, shapes):
            var parts: [String] = []
            if !missing.isEmpty { parts.append("missing: " + missing.joined(separator: ", ")) }
            if !unexpected.isEmpty { parts.append("unexpected: " + unexpected.joined(separator: ", ")) }
            if !shapes.isEmpty { parts.append("shape mismatch: " + shapes.joined(separator: "; ")) }
            return "state dict does not match the model: " + parts.joined(separator: "; ")
        case let .invalidHyperparameter(name, reason):
            return "invalid \(name): \(reason)"
        }
    }
}
