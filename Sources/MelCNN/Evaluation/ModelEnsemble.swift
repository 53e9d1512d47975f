import Foundation

/// Several trained models of the same classes used as one: their track probabilities averaged
/// (an ensemble, as `melcnn cv` scores one; Lakshminarayanan et al. 2017 without the adversarial term).
public struct ModelEnsemble {
    /// The members; the first one's classes, kind and DSP parameters describe the ensemble.
    public let models: [TrainedModel]

    /// Checks that every model has the first one's classes (same order) and kind (genre, tag or factor model).
    public init(models: [TrainedModel]) throws {
        guard let first = models.first else { throw ParameterError("checkpoint", ": give at least one") }
        for other in models.dropFirst() {
            guard other.classes == first.classes, other.isTagger == first.isTagger, other.isRegressor == first.isRegressor else {
                throw ParameterError("checkpoint", " \(other.path): other classes than \(first.path) (an ensemble averages models of the same classes)")
            }
        }
        self.models = models
    }

    /// `[tracks][classes]`: the mean over the models of each model's track probabilities
    /// (`TrainedModel.trackProbabilities`). `tracks` are audio files as the first model reads
    /// them (`tracks(fromAudio:)`); a model with other log-mel parameters or another normaliser
    /// reads the same files again with its own, and each model cuts its own patches.
    public func trackProbabilities(_ tracks: TrainingTracks) throws -> [[Float]] {
        let first = models[0]
        var sum = first.trackProbabilities(try first.predict(tracks), tracks: tracks.count)
        for other in models.dropFirst() {
            let same = other.checkpoint.logMel == first.checkpoint.logMel && other.checkpoint.normalizerMean == first.checkpoint.normalizerMean
                && other.checkpoint.normalizerStd == first.checkpoint.normalizerStd
            let own = same ? tracks : try other.tracks(fromAudio: tracks.paths, logMel: other.dspConfig.logMelFunction())
            let p = other.trackProbabilities(try other.predict(own), tracks: own.count)
            for t in sum.indices { for c in sum[t].indices { sum[t][c] += p[t][c] } }
        }
        guard models.count > 1 else { return sum }
        return sum.map { row in row.map { $0 / Float(models.count) } }
    }
}
