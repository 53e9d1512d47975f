import Foundation

/// The `train` section: epochs, batches, optimiser, schedule, regularisation, seed, threads.
public struct TrainConfig: Equatable, Sendable {
    public enum Optimizer: String, CaseIterable, Sendable { case sgd, adam, adamw }
    /// Per-tag weights of the positive term of a tag model's binary cross-entropy (`pos_weight`).
    public enum PositiveWeight: String, CaseIterable, Sendable {
        /// All 1.
        case none
        /// negatives / positives of each tag over the training tracks (PyTorch's usual choice;
        /// 1 for a tag without positives).
        case auto
    }
    /// Loss of a factor-regression model (a data set prepared with `--targets`).
    public enum RegressionLoss: String, CaseIterable, Sendable {
        /// Mean squared error over patches and factors (`F.mse_loss`).
        case mse
        /// Mean over patches of 1 - cosine similarity (`1 - F.cosine_similarity(x, y).mean()`).
        case cosine
    }
    /// How a factor-regression model's targets are scaled for training (`target_scaling`).
    public enum TargetScaling: String, CaseIterable, Sendable {
        /// The raw factors.
        case none
        /// Per-dimension `(y - mean) / std` over the training tracks (`TargetStandardization`).
        case standardize
    }
    public enum Schedule: String, CaseIterable, Sendable {
        /// Constant learning rate.
        case constant
        /// Multiply by `gamma` every `step_size` epochs.
        case step
        /// Cosine decay from `lr` to `min_lr` over the run (Loshchilov & Hutter 2017).
        case cosine
        /// Multiply by `gamma` every epoch.
        case exponential
    }

    public var epochs: Int = 30
    public var batchSize: Int = 32
    /// Optimiser steps per epoch; 0 means about one pass over the training frames
    /// (training frames / patch_frames / batch_size, at least 1).
    public var stepsPerEpoch: Int = 0
    public var optimizer: Optimizer = .sgd
    public var lr: Double = 0.01
    public var momentum: Double = 0.9
    public var nesterov: Bool = true
    public var beta1: Double = 0.9
    public var beta2: Double = 0.999
    public var weightDecay: Double = 0
    public var schedule: Schedule = .constant
    /// Epochs of linear warm-up from lr/10 to lr before the schedule starts (0 = none).
    public var warmupEpochs: Int = 0
    public var stepSize: Int = 10
    public var gamma: Double = 0.1
    public var minLR: Double = 0
    /// Clip the global gradient L2 norm to this value (0 = off).
    public var gradClip: Double = 0
    public var labelSmoothing: Double = 0
    /// Stop after this many epochs without a better monitored validation metric (0 = off).
    public var patience: Int = 0
    /// The validation metric behind `best.h5` and early stopping; ties go to the lower validation loss.
    public var monitor: ValidationMonitor = .trackAccuracy
    public var seed: Int = 1
    /// Compute threads (0 = all cores).
    public var threads: Int = 0
    /// Under MPI: batch norm with the statistics of the whole global batch (PyTorch's
    /// SyncBatchNorm) instead of each rank's share; needs `batch_size` divisible by the ranks.
    public var syncBatchNorm = false
    /// Layers whose parameters get no optimiser updates (`conv1`, `bn2`, `fc1`, `out`, ...;
    /// see `ModelSpec.layerNames`). Freezing `convI` also freezes `bnI`; frozen batch-norm
    /// layers keep their running statistics (they run in eval mode during training).
    public var freeze: [String] = []
    /// Tag models only: the positive weights of the binary cross-entropy.
    public var posWeight: PositiveWeight = .none
    /// Factor-regression models only: the loss (`loss: mse` or `cosine`).
    public var loss: RegressionLoss = .mse
    /// Factor-regression models only: `target_scaling`, nil when the config does not set it.
    public var targetScaling: TargetScaling?
    /// The target scaling in effect: as set, else `standardize` for `loss: mse` and `none`
    /// for `loss: cosine` (scale-free, and its outputs have no scale to map back).
    public var resolvedTargetScaling: TargetScaling { targetScaling ?? (loss == .mse ? .standardize : TargetScaling.none) }

    public init() {}

    mutating func read(_ s: inout YAMLSection) throws {
        epochs = try s.int("epochs") ?? epochs
        batchSize = try s.int("batch_size") ?? batchSize
        stepsPerEpoch = try s.int("steps_per_epoch") ?? stepsPerEpoch
        optimizer = try s.choice("optimizer", Optimizer.self) ?? optimizer
        lr = try s.double("lr") ?? lr
        momentum = try s.double("momentum") ?? momentum
        nesterov = try s.bool("nesterov") ?? nesterov
        beta1 = try s.double("beta1") ?? beta1
        beta2 = try s.double("beta2") ?? beta2
        weightDecay = try s.double("weight_decay") ?? weightDecay
        schedule = try s.choice("schedule", Schedule.self) ?? schedule
        warmupEpochs = try s.int("warmup_epochs") ?? warmupEpochs
        stepSize = try s.int("step_size") ?? stepSize
        gamma = try s.double("gamma") ?? gamma
        minLR = try s.double("min_lr") ?? minLR
        gradClip = try s.double("grad_clip") ?? gradClip
        labelSmoothing = try s.double("label_smoothing") ?? labelSmoothing
        patience = try s.int("patience") ?? patience
        monitor = try s.choice("monitor", ValidationMonitor.self) ?? monitor
        seed = try s.int("seed") ?? seed
        threads = try s.int("threads") ?? threads
        syncBatchNorm = try s.bool("sync_batch_norm") ?? syncBatchNorm
        posWeight = try s.choice("pos_weight", PositiveWeight.self) ?? posWeight
        loss = try s.choice("loss", RegressionLoss.self) ?? loss
        targetScaling = try s.choice("target_scaling", TargetScaling.self) ?? targetScaling
        if let nodes = try s.sequence("freeze") {
            freeze = try nodes.enumerated().map { i, n in
                guard let name = n.scalar?.string else {
                    throw ConfigError(file: s.file, key: "\(s.keyPath("freeze"))[\(i)]", message: "expected a layer name, got \(YAMLSection.describe(n))")
                }
                return name
            }
        }
    }

    /// Throws unless every `freeze` entry names a layer of `model`.
    func validateFreeze(file: String, model: ModelSpec) throws {
        let valid = model.layerNames
        for name in freeze where !valid.contains(name) {
            throw ConfigError(file: file, key: "train.freeze",
                              message: "unknown layer \"\(name)\" (valid layer names: \(valid.joined(separator: ", ")))")
        }
    }

    func validate(file: String) throws {
        func bad(_ key: String, _ message: String) -> ConfigError { ConfigError(file: file, key: "train.\(key)", message: message) }
        guard epochs > 0 else { throw bad("epochs", "must be positive, got \(epochs)") }
        guard batchSize > 0 else { throw bad("batch_size", "must be positive, got \(batchSize)") }
        guard stepsPerEpoch >= 0 else { throw bad("steps_per_epoch", "must be >= 0, got \(stepsPerEpoch)") }
        guard lr > 0, lr.isFinite else { throw bad("lr", "must be positive, got \(lr)") }
        guard momentum >= 0, momentum < 1 else { throw bad("momentum", "must be in [0, 1), got \(momentum)") }
        if optimizer == .sgd, nesterov, momentum == 0 { throw bad("nesterov", "needs momentum > 0") }
        guard beta1 >= 0, beta1 < 1 else { throw bad("beta1", "must be in [0, 1), got \(beta1)") }
        guard beta2 >= 0, beta2 < 1 else { throw bad("beta2", "must be in [0, 1), got \(beta2)") }
        guard weightDecay >= 0 else { throw bad("weight_decay", "must be >= 0, got \(weightDecay)") }
        guard warmupEpochs >= 0 else { throw bad("warmup_epochs", "must be >= 0, got \(warmupEpochs)") }
        guard stepSize > 0 else { throw bad("step_size", "must be positive, got \(stepSize)") }
        guard gamma > 0 else { throw bad("gamma", "must be positive, got \(gamma)") }
        guard minLR >= 0, minLR <= lr else { throw bad("min_lr", "must be in [0, lr], got \(minLR)") }
        guard gradClip >= 0 else { throw bad("grad_clip", "must be >= 0, got \(gradClip)") }
        guard labelSmoothing >= 0, labelSmoothing < 1 else { throw bad("label_smoothing", "must be in [0, 1), got \(labelSmoothing)") }
        guard patience >= 0 else { throw bad("patience", "must be >= 0, got \(patience)") }
        guard seed >= 0 else { throw bad("seed", "must be >= 0, got \(seed)") }
        guard threads >= 0 else { throw bad("threads", "must be >= 0, got \(threads)") }
        if loss == .cosine, targetScaling == .standardize {
            throw bad("target_scaling", "standardize needs loss: mse (cosine loss is scale-free: its outputs cannot be mapped back to factors)")
        }
    }

    /// Learning rate for `epoch` (0-based) under the warm-up and schedule.
    public func learningRate(epoch: Int) -> Double {
        if warmupEpochs > 0, epoch < warmupEpochs {
            return lr * (0.1 + 0.9 * Double(epoch) / Double(warmupEpochs))
        }
        let e = Double(epoch - warmupEpochs)
        switch schedule {
        case .constant:
            return lr
        case .step:
            return lr * pow(gamma, Double((epoch - warmupEpochs) / stepSize))
        case .exponential:
            return lr * pow(gamma, e)
        case .cosine:
            let span = Double(max(1, epochs - warmupEpochs))
            return minLR + 0.5 * (lr - minLR) * (1 + cos(Double.pi * min(e, span) / span))
        }
    }

    func yaml() -> [String] {
        ["train:",
         "  epochs: \(epochs)",
         "  batch_size: \(batchSize)",
         "  steps_per_epoch: \(stepsPerEpoch)",
         "  optimizer: \(optimizer.rawValue)",
         "  lr: \(yamlNumber(lr))",
         "  momentum: \(yamlNumber(momentum))",
         "  nesterov: \(nesterov)",
         "  beta1: \(yamlNumber(beta1))",
         "  beta2: \(yamlNumber(beta2))",
         "  weight_decay: \(yamlNumber(weightDecay))",
         "  schedule: \(schedule.rawValue)",
         "  warmup_epochs: \(warmupEpochs)",
         "  step_size: \(stepSize)",
         "  gamma: \(yamlNumber(gamma))",
         "  min_lr: \(yamlNumber(minLR))",
         "  grad_clip: \(yamlNumber(gradClip))",
         "  label_smoothing: \(yamlNumber(labelSmoothing))",
         "  patience: \(patience)",
         "  monitor: \(monitor.rawValue)",
         "  seed: \(seed)",
         "  threads: \(threads)"] + (syncBatchNorm ? ["  sync_batch_norm: true"] : []) + (posWeight == .none ? [] : ["  pos_weight: \(posWeight.rawValue)"]) + (loss == .mse ? [] : ["  loss: \(loss.rawValue)"])
            + (targetScaling.map { ["  target_scaling: \($0.rawValue)"] } ?? []) + (freeze.isEmpty ? [] : ["  freeze: [\(freeze.joined(separator: ", "))]"])
    }
}

/// The `eval` section: how tracks are cut into patches and aggregated.
public struct EvalConfig: Equatable, Sendable {
    public enum Aggregation: String, CaseIterable, Sendable {
        /// Mean of the patch class probabilities (softmax outputs).
        case meanProb = "mean_prob"
        /// Majority vote of the patch predictions (ties: higher mean probability).
        case vote
    }

    /// Hop between consecutive evaluation patches in frames (0 = patch_frames / 2).
    public var patchHop: Int = 0
    public var aggregation: Aggregation = .meanProb
    /// k of the top-k accuracy.
    public var topK: Int = 3
    public var batchSize: Int = 64

    public init() {}

    mutating func read(_ s: inout YAMLSection) throws {
        patchHop = try s.int("patch_hop") ?? patchHop
        aggregation = try s.choice("aggregation", Aggregation.self) ?? aggregation
        topK = try s.int("top_k") ?? topK
        batchSize = try s.int("batch_size") ?? batchSize
    }

    func validate(file: String) throws {
        func bad(_ key: String, _ message: String) -> ConfigError { ConfigError(file: file, key: "eval.\(key)", message: message) }
        guard patchHop >= 0 else { throw bad("patch_hop", "must be >= 0, got \(patchHop)") }
        guard topK >= 1 else { throw bad("top_k", "must be >= 1, got \(topK)") }
        guard batchSize >= 1 else { throw bad("batch_size", "must be positive, got \(batchSize)") }
    }

    /// The hop actually used for `patchFrames`-frame patches.
    public func hop(patchFrames: Int) -> Int { patchHop > 0 ? patchHop : max(1, patchFrames / 2) }

    func yaml() -> [String] {
        ["eval:",
         "  patch_hop: \(patchHop)",
         "  aggregation: \(aggregation.rawValue)",
         "  top_k: \(topK)",
         "  batch_size: \(batchSize)"]
    }
}

