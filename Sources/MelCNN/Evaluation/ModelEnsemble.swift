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
        let p = try predictEach { model in
            let same = model.checkpoint.logMel == first.checkpoint.logMel && model.checkpoint.normalizerMean == first.checkpoint.normalizerMean
                && model.checkpoint.normalizerStd == first.checkpoint.normalizerStd
            return same ? tracks : try model.tracks(fromAudio: tracks.paths, logMel: model.dspConfig.logMelFunction())
        }
        let k = first.classes.count
        return (0 ..< p.tracks.count).map { Array(p.trackMeans[$0 * k ..< ($0 + 1) * k]) }
    }

    /// The same tracks (a split of a data set, or audio files) predicted by every member.
    public struct SplitPredictions {
        /// The tracks as the first model reads them (its normaliser); every member reads the same tracks in the same order.
        public let tracks: TrainingTracks
        /// Each member's patch predictions of `tracks` (its own patches and normaliser).
        public let members: [TrackPredictions]
        /// `[tracks x classes]`, flat: the mean over the members of their track means (`TrackPredictions.trackMeans`).
        public let trackMeans: [Float]
    }

    /// Every member predicts `split` of `dataset` (written by `melcnn prepare` with the members'
    /// log-mel parameters), each standardising it with its own normaliser. `progress(done, total)`
    /// counts the patches of all members.
    public func predict(dataset: String, split: TrainingTracks.Split,
                        progress: ((Int, Int) -> Void)? = nil) throws -> SplitPredictions {
        var firstPaths: [String]?
        return try predictEach(progress: progress) { model in
            let tracks = try model.loadTracks(dataset: dataset, splits: [split])
            if let firstPaths, tracks.paths != firstPaths {
                throw MelCNNError.invalidFile(path: dataset, reason: "\(model.path) reads other \(split.name) tracks than \(models[0].path)")
            }
            firstPaths = firstPaths ?? tracks.paths
            return tracks
        }
    }

    /// Every member predicts the tracks `tracksOf(member)` gives it (the same tracks in the same
    /// order, read with the member's own parameters); their track means are averaged.
    private func predictEach(progress: ((Int, Int) -> Void)? = nil,
                             _ tracksOf: (TrainedModel) throws -> TrainingTracks) throws -> SplitPredictions {
        let k = models[0].classes.count
        var first: TrainingTracks?, members: [TrackPredictions] = [], means: [[Float]] = []
        for (m, model) in models.enumerated() {
            let tracks = try tracksOf(model)
            let p = try model.predict(tracks, progress: progress.map { report in { done, total in
                report(m * total + done, models.count * total)   // each member's share of the bar is its own patches
            } })
            means.append(p.trackMeans(trackCount: tracks.count, width: k))
            members.append(p)
            if first == nil { first = tracks }
        }
        return SplitPredictions(tracks: first!, members: members, trackMeans: Self.averaged(means))
    }

    /// The ensemble's track probabilities from its members' track means (each `[tracks x classes]`,
    /// flat, the same shape): summed in member order, then divided by the member count. The one
    /// place an ensemble is averaged (`melcnn eval`, `predict` and `cv`).
    public static func averaged(_ memberTrackMeans: [[Float]]) -> [Float] {
        guard var sum = memberTrackMeans.first else { return [] }
        for means in memberTrackMeans.dropFirst() {
            precondition(means.count == sum.count, "members' track means of different shapes")
            for i in sum.indices { sum[i] += means[i] }
        }
        let n = Float(memberTrackMeans.count)
        return sum.map { $0 / n }
    }

    /// The classification report of `p` (genre models): with one model exactly `TrainedModel.report`;
    /// with several, `ClassificationReport(trackProbabilities:members:)` (track metrics of the
    /// mean track probabilities, patch metrics the members' means).
    public func report(_ p: SplitPredictions, topK: Int? = nil) -> ClassificationReport {
        let reports = zip(models, p.members).map { $0.report($1, tracks: p.tracks, topK: topK) }
        guard models.count > 1 else { return reports[0] }
        return ClassificationReport(classes: models[0].classes, trackProbabilities: p.trackMeans, trackLabels: p.tracks.labels,
                                    members: reports, topK: topK ?? models[0].config.eval.topK)
    }

    /// The tag report of `p` (tag models): the mean track scores at `thresholds`, the patch loss
    /// the members' mean binary cross-entropy. With one model exactly `TagReport(predictions:)`.
    public func tagReport(_ p: SplitPredictions, thresholds: [Float]) -> TagReport {
        let tags = models[0].classes, labels = p.tracks.tagMatrix
        let loss = p.members.reduce(0) { $0 + TagReport.patchLoss(patchProbabilities: $1.probabilities, patchTracks: $1.patchTracks,
                                                                      labels: labels, tags: tags.count) } / Double(models.count)
        return TagReport(tags: tags, scores: p.trackMeans, labels: labels, thresholds: thresholds, patchLoss: loss)
    }

    /// Per-tag thresholds maximising the ensemble's F1 on `split` of `dataset` (the validation split).
    public func tunedThresholds(dataset: String, split: TrainingTracks.Split = .validation) throws -> [Float] {
        let p = try predict(dataset: dataset, split: split)
        guard p.tracks.count > 0 else { throw MelCNNError.emptySplit(path: dataset, split: split.name) }
        return TagReport.tunedThresholds(tags: models[0].classes.count, scores: p.trackMeans, labels: p.tracks.tagMatrix)
    }
}
