import Foundation
import NN
import Tensor

/// What the trainer reports while it runs (the CLI turns these into progress bars and lines).
public enum TrainingEvent: Sendable {
    case started(parameters: Int, stepsPerEpoch: Int, firstEpoch: Int, trainTracks: Int, validationTracks: Int)
    /// Running means over the epoch so far.
    case step(epoch: Int, step: Int, of: Int, loss: Double, accuracy: Double)
    case validating(epoch: Int)
    case epochFinished(EpochMetrics, improved: Bool)
    case message(String)
}

/// How a run ended.
public struct TrainingResult: Sendable {
    public enum Stop: Sendable, Equatable { case completed, earlyStopping, interrupted }
    public var stop: Stop
    public var epochsCompleted: Int
    public var steps: Int
    public var bestValTrackAccuracy: Double
    public var bestEpoch: Int
    /// Share of step time spent waiting for batches, over the whole run.
    public var dataWaitShare: Double
    public var lastCheckpoint: URL
    public var bestCheckpoint: URL
}

/// Trains a `GenreCNN` on the tracks of a data set according to a config.
///
/// Writes into `runDirectory`: `last.h5` after every epoch (and on interrupt), `best.h5`
/// when the validation metric of `train.monitor` improves (ties: lower validation loss), `metrics.csv`, `curves.svg` (learning curves), and `config.yaml` (the
/// resolved config). Every file is written to a temporary name and renamed, so a killed
/// run leaves the previous files intact. Batches are a pure function of (seed, step)
/// and the optimiser and dropout states are checkpointed, so an interrupted run resumed
/// with `resume: true` ends with the same weights as an uninterrupted one (one thread);
/// augmentation (`augment:`) is a pure function of (seed, step) too.
public final class Trainer {
    public let config: MelCNNConfig
    public let tracks: TrainingTracks
    public let runDirectory: URL
    public let model: GenreCNN
    public let optimizer: any Optimizer
    /// Layers of `train.freeze` (and the batch norms of frozen convs): not optimised, batch norm in eval mode.
    let frozen: FrozenLayers
    /// A factor model's target statistics under `train.target_scaling: standardize` (see `FactorRegression.swift`).
    public let targetStandardization: TargetStandardization?
    /// Set when this process is one rank of an MPI job (data-parallel training, see `DistributedTraining`).
    public var distributed: DistributedTraining?

    public var lastURL: URL { runDirectory.appendingPathComponent("last.h5") }
    public var bestURL: URL { runDirectory.appendingPathComponent("best.h5") }

    /// Builds the model and optimiser; checks that the data set's DSP parameters match the config.
    public init(config: MelCNNConfig, tracks: TrainingTracks, runDirectory: URL) throws {
        try config.validate()
        try config.data.checkLogMel(tracks.logMel, source: tracks.path, configSource: config.source)
        guard tracks.nMels == config.data.logMel.nMels else {
            throw MelCNNError.dspMismatch(parameter: "n_mels", dataset: tracks.path, datasetValue: "\(tracks.nMels)",
                                          other: config.source, otherValue: "\(config.data.logMel.nMels)")
        }
        if tracks.isTagged || tracks.isRegression, config.train.labelSmoothing > 0 {
            throw ConfigError(file: config.source, key: "train.label_smoothing", message: "applies to genre models only; \(tracks.path) is a \(tracks.isTagged ? "tagged" : "factor") data set")
        }
        self.config = config
        self.tracks = tracks
        self.runDirectory = runDirectory
        targetStandardization = Self.targetStatistics(config.train, tracks: tracks)
        Threads.setCount(config.train.threads > 0 ? config.train.threads : ProcessInfo.processInfo.activeProcessorCount)
        var rng = SeededGenerator(seed: UInt64(config.train.seed))
        model = GenreCNN(spec: config.model, inputChannels: tracks.nMels, classCount: tracks.classes.count,
                         using: &rng, dropoutSeed: UInt64(config.train.seed) &+ 1000)
        frozen = FrozenLayers(config.train.freeze, model: model)
        optimizer = try makeOptimizer(config.train, parameters: frozen.trainable(model))
    }

    /// Optimiser steps per epoch for this data set.
    public var stepsPerEpoch: Int {
        if config.train.stepsPerEpoch > 0 { return config.train.stepsPerEpoch }
        let frames = tracks.tracks(in: .train).reduce(0) { $0 + tracks.frames($1) }
        return max(1, frames / config.data.patchFrames / config.train.batchSize)
    }

    /// Runs (or, with `resume`, continues from `last.h5`) until the configured epochs,
    /// early stopping, or `shouldStop()` (checked between steps; saves `last.h5` first).
    /// A NaN or infinite loss throws `MelCNNError.nonFiniteLoss` without saving.
    public func run(resume: Bool = false, shouldStop: () -> Bool = { false },
                    events: (TrainingEvent) -> Void = { _ in }) throws -> TrainingResult {
        try Self.makeRunDirectory(runDirectory)
        let train = config.train
        let steps = stepsPerEpoch
        let augmenter = config.augment.isActive
            ? PatchAugmenter(config: config.augment, nMels: tracks.nMels, patchFrames: config.data.patchFrames,
                             classCount: tracks.classes.count, std: tracks.std, seed: UInt64(train.seed))
            : nil
        let sampler = try RandomPatchSampler(tracks: tracks, patchFrames: config.data.patchFrames,
                                             batchSize: train.batchSize, seed: UInt64(train.seed), sampling: config.data.sampling,
                                             augmenter: augmenter, shard: distributed?.shard(batchSize: train.batchSize))
        let writes = distributed?.isWriter ?? true   // under MPI, rank 0 alone writes
        let validation = tracks.tracks(in: .validation)
        let tagCount = tracks.isTagged ? tracks.tagNames.count : 0
        let posWeight = tracks.isTagged && train.posWeight == .auto ? positiveWeights(sampler.trainTracks) : nil
        var state = RunState()
        if resume {
            state = try restore()
            events(.message("resuming from \(lastURL.path) at epoch \(state.epoch + 1), step \(state.step)"))
        }
        var log = MetricsLog(url: runDirectory.appendingPathComponent("metrics.csv"), keepingThrough: resume ? state.epoch : 0)
        if writes { try writeFileAtomically(Data(config.yamlText().utf8), to: runDirectory.appendingPathComponent("config.yaml")) }
        events(.started(parameters: model.parameterCount, stepsPerEpoch: steps, firstEpoch: state.epoch + 1,
                        trainTracks: sampler.trainTracks.count, validationTracks: validation.count))
        var totalWait = 0.0, totalStepTime = 0.0
        var stop = TrainingResult.Stop.completed
        let hop = config.eval.hop(patchFrames: config.data.patchFrames)

        // The next epoch's batches, started before validation so that its first batch is not waited for.
        var upcoming: PrefetchingBatches?
        defer { upcoming?.cancel() }
        epochs: while state.epoch < train.epochs {
            if train.patience > 0, state.sinceImprovement >= train.patience { stop = .earlyStopping; break }
            let epoch = state.epoch
            let lr = train.learningRate(epoch: epoch)
            optimizer.learningRate = lr
            model.train(true)
            frozen.applyEvalMode(model)   // frozen batch norms keep their running statistics
            let epochStart = Date()
            let first = epoch * steps
            let batches = upcoming ?? PrefetchingBatches(sampler: sampler, steps: (first + state.stepInEpoch) ..< (first + steps),
                                                         depth: config.data.prefetch)
            upcoming = nil
            defer { batches.cancel() }
            var stepTime = 0.0
            while state.stepInEpoch < steps {
                if distributed?.stopAgreed ?? shouldStop() {
                    if writes { try save(state, to: lastURL) }
                    stop = .interrupted
                    break epochs
                }
                let t0 = DispatchTime.now().uptimeNanoseconds
                let batch = try batches.next()
                let x = Tensor(shape: [batch.count, tracks.nMels, config.data.patchFrames], data: batch.inputs)
                try distributed?.beforeForward(model, batchSize: train.batchSize)
                let logits = model(x)
                // A tag model: one sigmoid per tag, binary cross-entropy on the logits.
                // A factor model regresses its track's factors (MSE or cosine, `train.loss`).
                let loss = tracks.isRegression ? factorLoss(logits, targets: batch.targets!)
                    : tagCount > 0 ? binaryCrossEntropyWithLogits(logits, targets: batch.targets!, posWeight: posWeight)
                    : batch.targets.map { softCrossEntropy(logits, targets: $0, labelSmoothing: Float(train.labelSmoothing)) }
                    ?? crossEntropy(logits, targets: batch.labels, labelSmoothing: Float(train.labelSmoothing))
                let value = loss.item
                guard value.isFinite else {
                    throw MelCNNError.nonFiniteLoss(epoch: epoch + 1, step: state.step + 1, value: value,
                                                    dataset: tracks.path, runDirectory: runDirectory.path)
                }
                model.zeroGrad()   // frozen parameters too: their gradients are computed but never used
                if let distributed {
                    try distributed.backward(loss, model: model, parameters: optimizer.parameters.map(\.tensor), batchSize: train.batchSize)
                } else {
                    loss.backward()
                }
                if train.gradClip > 0 { clipGradNorm(optimizer.parameters.map(\.tensor), maxNorm: Float(train.gradClip)) }
                optimizer.step()
                // Tag models count tag decisions (logit > 0 against target >= 0.5) right, per tag.
                let correct = tracks.isRegression ? 0 : tagCount > 0 ? zip(logits.data, batch.targets!).filter { ($0 > 0) == ($1 >= 0.5) }.count
                    : zip(logits.argmax(axis: 1), batch.labels).filter { $0 == $1 }.count
                var counters = (lossSum: Double(value) * Double(batch.count), correct: correct, seen: batch.count)
                if let distributed {
                    counters = try distributed.sumCounters(lossSum: counters.lossSum, correct: counters.correct,
                                                           seen: counters.seen, stopRequested: shouldStop())
                }
                state.lossSum += counters.lossSum
                state.correct += counters.correct
                state.seen += counters.seen
                state.step += 1
                state.stepInEpoch += 1
                stepTime += Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
                events(.step(epoch: epoch + 1, step: state.stepInEpoch, of: steps,
                             loss: state.lossSum / Double(state.seen), accuracy: Double(state.correct) / Double(state.seen * max(1, tagCount))))
            }
            totalWait += batches.waitSeconds
            totalStepTime += stepTime
            let trainSeconds = Date().timeIntervalSince(epochStart)

            try distributed?.endEpoch(model)
            if epoch + 1 < train.epochs {   // batches are pure functions of the step: building them early changes nothing
                upcoming = PrefetchingBatches(sampler: sampler, steps: (first + steps) ..< (first + 2 * steps), depth: config.data.prefetch)
            }
            var report: ClassificationReport?
            var tagReport: TagReport?
            var factorReport: RegressionReport?
            if !validation.isEmpty && tracks.isRegression {
                events(.validating(epoch: epoch + 1))
                factorReport = try validateFactors(validation, hop: hop)
            } else if !validation.isEmpty && tagCount > 0 {
                events(.validating(epoch: epoch + 1))
                tagReport = try validateTags(validation, hop: hop)
            } else if !validation.isEmpty {
                events(.validating(epoch: epoch + 1))
                let predictions = try distributed?.predict(model, tracks: tracks, trackIndices: validation,
                                                           patchFrames: config.data.patchFrames, hop: hop,
                                                           batchSize: config.eval.batchSize)
                    ?? model.predict(tracks: tracks, trackIndices: validation, patchFrames: config.data.patchFrames,
                                     hop: hop, batchSize: config.eval.batchSize)
                report = ClassificationReport(classes: tracks.classes, probabilities: predictions.probabilities,
                                              patchTracks: predictions.patchTracks,
                                              trackLabels: validation.map { tracks.labels[$0] },
                                              topK: config.eval.topK, aggregation: config.eval.aggregation)
            }
            let trainLoss = state.lossSum / Double(max(1, state.seen))
            let metrics = EpochMetrics(
                epoch: epoch + 1, step: state.step, trainLoss: trainLoss,
                trainAccuracy: Double(state.correct) / Double(max(1, state.seen * max(1, tagCount))),
                // A tag model logs its validation macro PR-AUC and macro ROC-AUC in the accuracy columns.
                valLoss: factorReport?.patchLoss ?? tagReport?.patchLoss ?? report?.patchLoss ?? .nan,
                valPatchAccuracy: tagReport?.macroAveragePrecision ?? report?.patchAccuracy ?? .nan,
                valTrackAccuracy: tagReport?.macroROCAUC ?? report?.trackAccuracy ?? .nan, lr: lr,
                samplesPerSecond: Double(state.seen) / max(trainSeconds, 1e-9),
                seconds: Date().timeIntervalSince(epochStart), dataWaitShare: batches.waitSeconds / max(stepTime, 1e-9))
            // Without a validation split, "best" is the lowest training loss.
            // A factor model is selected by its validation loss.
            let score = SelectionScore(monitor: tracks.isRegression ? .loss : train.monitor, metrics: metrics,
                                       hasValidation: report != nil || tagReport != nil || factorReport != nil)
            let improved = score.isBetter(than: state.best)
            state.epoch += 1
            state.stepInEpoch = 0
            state.lossSum = 0
            state.correct = 0
            state.seen = 0
            state.latest = metrics
            if improved {
                state.best = score
                state.bestTrackAccuracy = metrics.valTrackAccuracy
                state.bestEpoch = epoch + 1
                state.sinceImprovement = 0
            } else {
                state.sinceImprovement += 1
            }
            if writes {
                if improved { try save(state, to: bestURL) }
                try save(state, to: lastURL)
                try log.append(metrics)
                try writeFileAtomically(Data(learningCurvesSVG(log.rows, bestEpoch: state.bestEpoch).utf8),
                                        to: runDirectory.appendingPathComponent("curves.svg"))
            }
            events(.epochFinished(metrics, improved: improved))
        }
        return TrainingResult(stop: stop, epochsCompleted: state.epoch, steps: state.step,
                              bestValTrackAccuracy: state.bestTrackAccuracy, bestEpoch: state.bestEpoch,
                              dataWaitShare: totalWait / max(totalStepTime, 1e-9), lastCheckpoint: lastURL, bestCheckpoint: bestURL)
    }

    /// Counters that a checkpoint carries between runs.
    struct RunState {
        var epoch = 0, step = 0, stepInEpoch = 0
        var lossSum = 0.0, correct = 0, seen = 0
        /// The best epoch's standing under `train.monitor` (nil before the first epoch).
        var best: SelectionScore?
        var bestTrackAccuracy = Double.nan, bestEpoch = 0, sinceImprovement = 0
        var latest: EpochMetrics?
    }

    func save(_ state: RunState, to url: URL) throws {
        var checkpoint = Checkpoint(configYAML: config.yamlText(), classes: tracks.classes, normalizerMean: tracks.mean,
                                    normalizerStd: tracks.std, logMel: tracks.logMel, datasetPath: tracks.path,
                                    seed: config.train.seed, epoch: state.epoch, step: state.step,
                                    model: model.stateDict())
        checkpoint.stepInEpoch = state.stepInEpoch
        checkpoint.isTagger = tracks.isTagged
        checkpoint.isRegressor = tracks.isRegression
        checkpoint.targetStandardization = targetStandardization
        checkpoint.optimizer = optimizer.stateDict()
        checkpoint.dropoutStates = model.dropoutStates
        checkpoint.partial = ["loss_sum": state.lossSum, "correct": Double(state.correct), "seen": Double(state.seen)]
        var metrics: [String: Double] = ["best_epoch": Double(state.bestEpoch),
                                         "best_val_track_acc": state.bestTrackAccuracy,
                                         "epochs_without_improvement": Double(state.sinceImprovement)]
        if let best = state.best {
            metrics["best_score"] = best.score
            metrics["best_loss"] = best.loss
        }
        if let m = state.latest {
            metrics["train_loss"] = m.trainLoss
            metrics["train_acc"] = m.trainAccuracy
            metrics["val_loss"] = m.valLoss
            metrics["val_patch_acc"] = m.valPatchAccuracy
            metrics["val_track_acc"] = m.valTrackAccuracy
        }
        checkpoint.metrics = metrics
        try checkpoint.write(to: url.path)
    }

    func restore() throws -> RunState {
        let checkpoint = try Checkpoint.read(from: lastURL.path)
        guard checkpoint.classes == tracks.classes else {
            throw MelCNNError.invalidFile(path: lastURL.path, reason: "its classes differ from \(tracks.path)'s")
        }
        guard checkpoint.isRegressor == tracks.isRegression else {
            throw MelCNNError.invalidFile(path: lastURL.path, reason: "its task (factors or not) differs from \(tracks.path)'s")
        }
        guard checkpoint.isTagger == tracks.isTagged else {
            throw MelCNNError.invalidFile(path: lastURL.path, reason: checkpoint.isTagger ? "is a tag model but \(tracks.path) has no tags"
                                            : "is a single-label model but \(tracks.path) is a tagged data set")
        }
        try config.data.checkLogMel(checkpoint.logMel, source: lastURL.path, configSource: config.source)
        try checkTargetStandardization(of: checkpoint)
        do {
            try model.loadStateDict(checkpoint.model)
            try optimizer.loadStateDict(checkpoint.optimizer)
        } catch let error as NNError {
            throw MelCNNError.invalidFile(path: lastURL.path, reason: "\(error)")  // the message names the file
        }
        model.dropoutStates = checkpoint.dropoutStates
        let path = lastURL.path
        try ResumeChecks.checkCounters(epoch: checkpoint.epoch, step: checkpoint.step, stepInEpoch: checkpoint.stepInEpoch,
                                       stepsPerEpoch: stepsPerEpoch, path: path)
        var state = RunState()
        state.epoch = checkpoint.epoch
        state.step = checkpoint.step
        state.stepInEpoch = checkpoint.stepInEpoch
        state.lossSum = try ResumeChecks.finite(checkpoint.partial["loss_sum"], name: "loss_sum", fallback: 0, path: path)
        state.correct = try ResumeChecks.count(checkpoint.partial["correct"], name: "correct", path: path)
        state.seen = try ResumeChecks.count(checkpoint.partial["seen"], name: "seen", path: path)
        if let score = checkpoint.metrics["best_score"] {
            let checked = try ResumeChecks.finite(score, name: "best_score", fallback: -.infinity,
                                                  allowNegativeInfinity: true, path: path)
            let loss = checkpoint.metrics["best_loss"] ?? .infinity
            guard !loss.isNaN else { throw MelCNNError.invalidFile(path: path, reason: "attribute best_loss = nan") }
            state.best = SelectionScore(score: checked, loss: loss)
        }
        state.bestTrackAccuracy = checkpoint.metrics["best_val_track_acc"] ?? .nan
        state.bestEpoch = try ResumeChecks.count(checkpoint.metrics["best_epoch"], name: "best_epoch", path: path)
        state.sinceImprovement = try ResumeChecks.count(checkpoint.metrics["epochs_without_improvement"],
                                                        name: "epochs_without_improvement", path: path)
        return state
    }
}

extension Trainer {
    /// `pos_weight: auto`: negatives / positives of each tag over `trainTracks` (1 without positives).
    func positiveWeights(_ trainTracks: [Int]) -> [Float] {
        let k = tracks.tagNames.count
        var positives = [Int](repeating: 0, count: k)
        for t in trainTracks { for (c, v) in tracks.tags(of: t).enumerated() where v != 0 { positives[c] += 1 } }
        return positives.map { $0 > 0 ? Float(trainTracks.count - $0) / Float($0) : 1 }
    }

    /// The tag report of the validation tracks (mean patch sigmoids per track, threshold 0.5).
    func validateTags(_ validation: [Int], hop: Int) throws -> TagReport {
        let k = tracks.tagNames.count
        let p = try model.predict(tracks: tracks, trackIndices: validation, patchFrames: config.data.patchFrames,
                                  hop: hop, batchSize: config.eval.batchSize, multiLabel: true)
        let labels = validation.flatMap { tracks.tags(of: $0) }
        let scores = p.trackMeans(trackCount: validation.count, width: k)
        return TagReport(tags: tracks.tagNames, scores: scores, labels: labels, thresholds: [Float](repeating: 0.5, count: k),
                         patchLoss: TagReport.patchLoss(patchProbabilities: p.probabilities, patchTracks: p.patchTracks, labels: labels, tags: k))
    }
}

/// The optimiser the config asks for, over `parameters` (the model's unfrozen parameters).
func makeOptimizer(_ train: TrainConfig, parameters model: [(name: String, tensor: Tensor)]) throws -> any Optimizer {
    switch train.optimizer {
    case .sgd:
        return try SGD(model, learningRate: train.lr, momentum: train.momentum, nesterov: train.nesterov,
                       weightDecay: train.weightDecay)
    case .adam:
        return try Adam(model, learningRate: train.lr, beta1: train.beta1, beta2: train.beta2, weightDecay: train.weightDecay)
    case .adamw:
        return try AdamW(model, learningRate: train.lr, beta1: train.beta1, beta2: train.beta2, weightDecay: train.weightDecay)
    }
}

extension Trainer {
    /// Creates the run folder (and its parents); a file in the way or a folder that cannot be
    /// made is one `MelCNNError` line naming it.
    static func makeRunDirectory(_ url: URL) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw MelCNNError.invalidFile(path: url.path, reason: "is a file, expected a run folder") }
            return
        }
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        } catch {
            throw MelCNNError.invalidFile(path: url.path, reason: "cannot create the run folder")
        }
    }
}
