/// Checks of the counters a checkpoint hands to a resumed run (`Trainer.restore`): a
/// damaged or edited checkpoint is an error naming it, never a range or conversion trap.
enum ResumeChecks {
    /// Largest epoch and step counts accepted from a checkpoint: far above any real run
    /// (a million epochs), low enough that `epoch * stepsPerEpoch` cannot overflow.
    static let maxEpochs = 1_000_000
    static let maxSteps = 1 << 50

    /// Throws unless `epoch`, `step` and `stepInEpoch` can come from a run with
    /// `stepsPerEpoch` optimiser steps per epoch.
    static func checkCounters(epoch: Int, step: Int, stepInEpoch: Int, stepsPerEpoch: Int, path: String) throws {
        guard (0 ... maxEpochs).contains(epoch) else {
            throw MelCNNError.invalidFile(path: path, reason: "attribute epoch = \(epoch) is outside 0...\(maxEpochs)")
        }
        guard (0 ... maxSteps).contains(step) else {
            throw MelCNNError.invalidFile(path: path, reason: "attribute step = \(step) is outside 0...\(maxSteps)")
        }
        guard (0 ... stepsPerEpoch).contains(stepInEpoch) else {
            throw MelCNNError.invalidFile(path: path, reason: "attribute step_in_epoch = \(stepInEpoch) is outside 0...\(stepsPerEpoch) (steps per epoch)")
        }
    }

    /// A whole count stored as a float attribute (`correct`, `seen`, `best_epoch`, ...):
    /// `fallback` when absent, an error when it is not a whole number in 0...maxSteps.
    static func count(_ value: Double?, name: String, fallback: Int = 0, path: String) throws -> Int {
        guard let value else { return fallback }
        guard value.isFinite, value >= 0, value <= Double(maxSteps), value == value.rounded() else {
            throw MelCNNError.invalidFile(path: path, reason: "attribute \(name) = \(value) is not a count")
        }
        return Int(value)
    }

    /// A float attribute that must be finite when present (`loss_sum`, `best_score` may be -inf).
    static func finite(_ value: Double?, name: String, fallback: Double, allowNegativeInfinity: Bool = false, path: String) throws -> Double {
        guard let value else { return fallback }
        guard value.isFinite || (allowNegativeInfinity && value == -.infinity) else {
            throw MelCNNError.invalidFile(path: path, reason: "attribute \(name) = \(value) is not finite")
        }
        return value
    }
}
