import Audio
import Foundation
import NN
import Tensor

/// A model restored from a checkpoint, with everything needed to feed it: the config
/// (architecture, patch length, DSP parameters), class names and normaliser.
///
/// ```swift
/// let trained = try TrainedModel(checkpointPath: "Checkpoints/demo/best.h5")
/// let tracks = try trained.loadTracks(dataset: "demo.h5", splits: [.test])   // DSP checked
/// let predictions = trained.model.predict(tracks: tracks, trackIndices: Array(0 ..< tracks.count), ...)
/// ```
public final class TrainedModel {
    public let path: String
    public let checkpoint: Checkpoint
    public let config: MelCNNConfig
    public let model: GenreCNN
    public var classes: [String] { checkpoint.classes }
    /// True for a multi-label tag model: `classes` are tags and probabilities are per-tag sigmoids.
    public var isTagger: Bool { checkpoint.isTagger }
    /// True for a factor-regression model: `classes` name its outputs, predictions are factors
    /// (in the scale of the factors file: target statistics are folded into the output layer).
    public var isRegressor: Bool { checkpoint.isRegressor }

    public init(checkpointPath: String) throws {
        path = checkpointPath
        checkpoint = try Checkpoint.read(from: checkpointPath)
        config = try checkpoint.config(path: checkpointPath)
        var rng = SeededGenerator(seed: 0)
        model = GenreCNN(spec: config.model, inputChannels: checkpoint.normalizerMean.count,
                         classCount: checkpoint.classes.count, using: &rng)
        do {
            // A factor model trained on standardised targets predicts factors in the ALS scale.
            try model.loadStateDict(checkpoint.targetStandardization?.folded(into: checkpoint.model) ?? checkpoint.model)
        } catch {
            throw MelCNNError.invalidFile(path: checkpointPath, reason: "\(error)")
        }
        model.train(false)
    }

    /// The data set's tracks of `splits`, standardised with the checkpoint's normaliser,
    /// after checking the data set's DSP parameters and classes against the checkpoint's.
    public func loadTracks(dataset: String, splits: Set<TrainingTracks.Split>) throws -> TrainingTracks {
        try dspConfig.checkLogMel(MelDataset.logMelParameters(path: dataset), source: dataset, configSource: path)
        let tracks = try TrainingTracks.load(path: dataset, splits: splits,
                                             normalizer: (checkpoint.normalizerMean, checkpoint.normalizerStd),
                                             storage: config.data.storage, memoryBudget: config.data.memoryBudget)
        guard tracks.classes == classes else {
            throw MelCNNError.invalidFile(path: dataset, reason: "its classes \(tracks.classes) differ from \(path)'s \(classes)")
        }
        guard tracks.isRegression == isRegressor else {
            throw MelCNNError.invalidFile(path: dataset, reason: isRegressor ? "has no factor targets (/tracks/targets) but \(path) is a factor model"
                                            : "is a factor data set but \(path) is not a factor model")
        }
        guard tracks.isTagged == isTagger else {
            throw MelCNNError.invalidFile(path: dataset, reason: isTagger ? "has no tags (/tracks/tags) but \(path) is a tag model"
                                            : "is a tagged data set but \(path) is a single-label model")
        }
        return tracks
    }

    /// Evaluation patch hop from the stored config.
    public var evalHop: Int { config.eval.hop(patchFrames: config.data.patchFrames) }

    /// Runs the model over `tracks` (all of them) patch by patch.
    public func predict(_ tracks: TrainingTracks, embedding: EmbeddingLayer? = nil,
                        progress: ((Int, Int) -> Void)? = nil) throws -> TrackPredictions {
        try model.predict(tracks: tracks, trackIndices: Array(0 ..< tracks.count), patchFrames: config.data.patchFrames,
                      hop: evalHop, batchSize: config.eval.batchSize, embedding: embedding, multiLabel: isTagger,
                      rawOutputs: isRegressor, progress: progress)
    }

    /// Tag report of the tracks of a tagged data set (all of them), at `thresholds` (one per tag).
    public func evaluateTags(_ tracks: TrainingTracks, thresholds: [Float], progress: ((Int, Int) -> Void)? = nil) throws -> TagReport {
        let p = try predict(tracks, progress: progress)
        return TagReport(tags: classes, predictions: p, tracks: tracks, thresholds: thresholds)
    }

    /// Classification report of `tracks` (all of them).
    public func evaluate(_ tracks: TrainingTracks, topK: Int? = nil, progress: ((Int, Int) -> Void)? = nil) throws -> ClassificationReport {
        report(try predict(tracks, progress: progress), tracks: tracks, topK: topK)
    }

    /// Classification report of predictions made for `tracks` (all of them).
    public func report(_ p: TrackPredictions, tracks: TrainingTracks, topK: Int? = nil) -> ClassificationReport {
        ClassificationReport(classes: classes, probabilities: p.probabilities, patchTracks: p.patchTracks,
                             trackLabels: tracks.labels, topK: topK ?? config.eval.topK,
                             aggregation: config.eval.aggregation)
    }

    /// Track-level class probabilities (mean over patches, `TrackPredictions.trackMeans`), one row per track.
    public func trackProbabilities(_ p: TrackPredictions, tracks: Int) -> [[Float]] {
        let k = classes.count, means = p.trackMeans(trackCount: tracks, width: k)
        return (0 ..< tracks).map { Array(means[$0 * k ..< ($0 + 1) * k]) }
    }
}

extension TrainedModel {
    /// Audio files as tracks for this model: `logMel(path)` must return the file's log-mel
    /// spectrogram `[frames x n_mels]` computed with the checkpoint's DSP parameters
    /// (`dspConfig`); the frames are standardised with the checkpoint's normaliser.
    /// Labels are -1 (unknown); errors name the file. With `onSkip`, a file that cannot be read
    /// is reported to it (path, one-line reason) and left out instead of failing the whole call;
    /// the call still throws when no file at all could be read.
    public func tracks(fromAudio allPaths: [String], logMel: (String) throws -> [Float],
                       onSkip: ((String, String) -> Void)? = nil) throws -> TrainingTracks {
        let nMels = checkpoint.normalizerMean.count
        var mels: [[Float]] = [], paths: [String] = []
        for (index, path) in allPaths.enumerated() {
            if index + 1 < allPaths.count { ReadAhead.request(allPaths[index + 1]) }   // read while this one decodes
            var rows: [Float]
            do {
                // Only a path that names nothing is "not found"; links, loops and long paths are the loader's to explain.
                var status = stat()
                if PathBytes.withSystemPath(path, { lstat($0, &status) }) != 0, errno == ENOENT {
                    throw MelCNNError.missingFile(path: path, what: "audio file")
                }
                rows = try logMel(path)
                guard rows.count % nMels == 0, !rows.isEmpty else {
                    throw MelCNNError.invalidFile(path: path, reason: "no audio frames (or not \(nMels) mel bins)")
                }
            } catch {
                guard let onSkip else { throw error }
                let reason = "\(error)"
                let shown = PathBytes.display(path)
                onSkip(shown, reason.hasPrefix(shown + ": ") ? String(reason.dropFirst(shown.count + 2)) : reason)
                continue
            }
            paths.append(path)
            for i in 0 ..< rows.count / nMels {
                for b in 0 ..< nMels {
                    rows[i * nMels + b] = (rows[i * nMels + b] - checkpoint.normalizerMean[b]) / max(checkpoint.normalizerStd[b], 1e-5)
                }
            }
            mels.append(rows)
        }
        guard !paths.isEmpty || allPaths.isEmpty else {
            throw MelCNNError.invalidArgument("none of the \(allPaths.count) audio files could be read")
        }
        return TrainingTracks(path: "<audio>", classes: classes, nMels: nMels, logMel: checkpoint.logMel,
                              mean: checkpoint.normalizerMean, std: checkpoint.normalizerStd, paths: paths,
                              labels: [Int](repeating: -1, count: paths.count),
                              splits: [TrainingTracks.Split](repeating: .test, count: paths.count), mels: mels)
    }

    /// The data section the model was trained with: the config's, with the checkpoint's log-mel parameters.
    public var dspConfig: DataConfig {
        var d = config.data
        d.logMel = checkpoint.logMel
        return d
    }

    /// Mean embedding per track from `layer`, as an embeddings file.
    public func embed(_ tracks: TrainingTracks, layer: EmbeddingLayer, progress: ((Int, Int) -> Void)? = nil) throws -> EmbeddingsFile {
        let p = try predict(tracks, embedding: layer, progress: progress)
        return EmbeddingsFile(vectors: p.embeddings, dim: p.embeddingDim, paths: tracks.paths, labels: tracks.labels,
                              classes: classes, checkpoint: path, layer: layer.description)
    }
}
