/// The validation metric that picks `best.h5` and drives early stopping (config key
/// `train.monitor`).
public enum ValidationMonitor: String, CaseIterable, Sendable {
    /// Track accuracy of the aggregated patch predictions (higher is better).
    case trackAccuracy = "track_accuracy"
    /// Accuracy over the individual evaluation patches (higher is better).
    case patchAccuracy = "patch_accuracy"
    /// Mean patch cross-entropy (lower is better).
    case loss
}

/// One epoch's standing for model selection: `score` (higher is better) and the loss that
/// breaks ties (lower is better).
public struct SelectionScore: Equatable, Sendable {
    public var score: Double
    public var loss: Double

    public init(score: Double, loss: Double) {
        self.score = score
        self.loss = loss
    }

    /// The standing of an epoch under `monitor`: with a validation split, the monitored
    /// metric (negated for `loss`) tie-broken by the validation loss; without one, the
    /// negated training loss (ties by the training loss itself).
    public init(monitor: ValidationMonitor, metrics: EpochMetrics, hasValidation: Bool) {
        guard hasValidation else {
            self.init(score: -metrics.trainLoss, loss: metrics.trainLoss)
            return
        }
        let score: Double
        switch monitor {
        case .trackAccuracy: score = metrics.valTrackAccuracy
        case .patchAccuracy: score = metrics.valPatchAccuracy
        case .loss: score = -metrics.valLoss
        }
        self.init(score: score, loss: metrics.valLoss)
    }

    /// True when this epoch beats `best` (nil: nothing yet): a higher score, or an equal
    /// score with a lower loss. A NaN score never beats an existing best.
    public func isBetter(than best: SelectionScore?) -> Bool {
        guard let best else { return true }
        if score > best.score { return true }
        return score == best.score && loss < best.loss
    }
}
