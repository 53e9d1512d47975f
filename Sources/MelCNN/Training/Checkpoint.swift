import DSP
import Foundation
import HDF5
import NN

/// A training checkpoint (`last.h5`, `best.h5`), readable with h5py:
///
/// - root attributes: `format = "melcnn-checkpoint"`, `version`, `epoch` (epochs completed),
///   `step` (optimiser steps done), `step_in_epoch` (> 0 only for a checkpoint saved by an
///   interrupt mid-epoch), `config` (the resolved YAML), `seed`, `dataset` (path), the data
///   set's log-mel parameters as in dataset.h5 (`LogMelParameters`: `sample_rate`, `n_fft`, ...
///   int64, `fmin`, `fmax`, `power`, `top_db` float64; version 1 files may hold float64 sizes), and
///   the latest metrics (`val_track_acc`, `val_patch_acc`, `val_loss`, `train_loss`,
///   `best_val_track_acc`, `best_epoch`, `epochs_without_improvement`, and the best epoch's
///   standing under `train.monitor`: `best_score`, higher is better, and `best_loss`, its tie-breaker);
///   `task = "tags"` for a multi-label model (one sigmoid per class = tag; absent: softmax classifier).
/// - `/model/<name>`: float32 parameters and buffers with PyTorch `state_dict` names and shapes
///   (chunked with a Fletcher-32 checksum, as is `/optimizer`).
/// - `/optimizer/<name>`: the optimiser state (`momentum_buffer.<param>`, `exp_avg.<param>`, ...).
/// - `/rng/dropout`: uint64 `[layers, 4]` dropout generator states.
/// - `/classes`, `/normalizer/mean`, `/normalizer/std`; a factor model trained on standardised
///   targets also `/targets/mean`, `/targets/std` (`TargetStandardization`).
/// - `/partial`: attributes `loss_sum`, `correct`, `seen` of an interrupted epoch.
public struct Checkpoint: Sendable {
    public static let format = "melcnn-checkpoint"
    public static let version: Int32 = 1

    public var configYAML: String
    public var classes: [String]
    public var normalizerMean: [Float]
    public var normalizerStd: [Float]
    /// The log-mel parameters of the data set the model was trained on.
    public var logMel: LogMelParameters
    public var datasetPath: String
    public var seed: Int
    public var epoch: Int
    public var step: Int
    public var stepInEpoch: Int = 0
    /// Parameters and buffers, PyTorch `state_dict` names (stored in name order).
    public var model: StateDict
    /// Optimiser state (`Optimizer.stateDict()`).
    public var optimizer = StateDict()
    public var dropoutStates: [[UInt64]] = []
    /// Latest and best metrics (names as the attributes).
    public var metrics: [String: Double] = [:]
    /// Running sums of an interrupted epoch: loss_sum, correct, seen.
    public var partial: [String: Double] = [:]
    /// True for a multi-label tag model (attribute `task = "tags"`): `classes` are its tags.
    public var isTagger = false
    /// True for a factor-regression model (attribute `task = "factors"`): `classes` name its outputs.
    public var isRegressor = false
    /// A factor model's target statistics (`/targets/mean`, `/targets/std`), nil when it was trained on raw factors.
    public var targetStandardization: TargetStandardization?

    public init(configYAML: String, classes: [String], normalizerMean: [Float], normalizerStd: [Float],
                logMel: LogMelParameters, datasetPath: String, seed: Int, epoch: Int, step: Int, model: StateDict) {
        self.configYAML = configYAML
        self.classes = classes
        self.normalizerMean = normalizerMean
        self.normalizerStd = normalizerStd
        self.logMel = logMel
        self.datasetPath = datasetPath
        self.seed = seed
        self.epoch = epoch
        self.step = step
        self.model = model
    }

    /// The config stored in the checkpoint (parsed; errors name `<path>:config`).
    public func config(path: String) throws -> MelCNNConfig {
        try MelCNNConfig.parse(configYAML, file: "\(path):config")
    }

    /// Writes the checkpoint atomically: a temporary file in the same folder, renamed into place.
    public func write(to path: String) throws {
        try H5File.createAtomically(path) { file in
            let a = file.attributes
            try a.write("format", Self.format)
            try a.write("version", Self.version)
            try a.write("epoch", Int64(epoch))
            try a.write("step", Int64(step))
            try a.write("step_in_epoch", Int64(stepInEpoch))
            try a.write("config", configYAML)
            try a.write("seed", Int64(seed))
            try a.write("dataset", datasetPath)
            try a.write("creator", "melcnn")
            if isTagger { try a.write("task", "tags") }
            if isRegressor { try a.write("task", "factors") }
            // Sizes and rates as integers (librosa rejects n_fft = 1024.0), frequencies as floats.
            try logMel.write(to: a)
            for (name, value) in metrics.sorted(by: { $0.key < $1.key }) { try a.write(name, value) }
            // Parameters and optimiser state are chunked with a Fletcher-32 checksum (scalars
            // cannot be chunked), so a damaged weight is a read error, not a wrong prediction.
            func options(_ shape: [Int]) -> H5DatasetOptions { shape.isEmpty || shape.contains(0) ? .contiguous : H5DatasetOptions(fletcher32: true) }
            try file.createGroup("model")
            for (name, p) in model { try file.createDataset("model/\(name)", values: p.values, shape: p.shape, options: options(p.shape)) }
            try file.createGroup("optimizer")
            for (name, p) in optimizer { try file.createDataset("optimizer/\(name)", values: p.values, shape: p.shape, options: options(p.shape)) }
            if !dropoutStates.isEmpty {
                try file.createDataset("rng/dropout", values: dropoutStates.flatMap { $0 }, shape: [dropoutStates.count, 4])
            }
            try file.createStringDataset("classes", values: classes)
            try file.createDataset("normalizer/mean", values: normalizerMean)
            try file.createDataset("normalizer/std", values: normalizerStd)
            try targetStandardization?.write(to: file)
            let partialGroup = try file.createGroup("partial")
            for (name, value) in partial.sorted(by: { $0.key < $1.key }) { try partialGroup.attributes.write(name, value) }
        }
    }

    /// Reads a checkpoint; errors name the file.
    public static func read(from path: String) throws -> Checkpoint {
        guard FileManager.default.fileExists(atPath: path) else { throw MelCNNError.missingFile(path: path, what: "checkpoint") }
        let file = try H5File.open(path)
        defer { file.close() }
        let a = file.attributes
        guard (try? a.readString("format")) == format else { throw MelCNNError.wrongFileKind(path: path, expected: format) }
        func int(_ name: String) throws -> Int {
            switch try a.value(name) {
            case .int(let v): return Int(v)
            case .double(let v) where v.isFinite && v == v.rounded() && abs(v) < 1e15: return Int(v)
            case .double(let v):
                throw MelCNNError.invalidFile(path: path, reason: "attribute \(name) = \(v) is not an integer")
            default: throw MelCNNError.invalidFile(path: path, reason: "attribute \(name) is not a number")
            }
        }
        let logMel = try LogMelParameters.read(from: a, path: path)
        var metrics: [String: Double] = [:]
        for name in try a.names() where !LogMelParameters.attributeNames.contains(name) {
            if case .double(let v)? = try? a.value(name) { metrics[name] = v }
        }
        // Weights must be finite; optimiser state may hold inf (Adam's squared gradients can
        // overflow) and, like the weights, is covered by each dataset's Fletcher-32 checksum.
        func arrays(_ group: String, finite: Bool) throws -> StateDict {
            guard try file.exists(group) else { return StateDict() }
            // Members come back in name order; PyTorch order is restored by the caller via names.
            return StateDict(try file.openGroup(group).members().map { name in
                let d = try file.openDataset("\(group)/\(name)")
                let values: [Float] = try d.read()
                if finite { try FileValueChecks.requireFinite(values, path: path, object: "/\(group)/\(name)") }
                return (name, NamedArray(shape: try d.shape, values: values))
            })
        }
        var checkpoint = Checkpoint(
            configYAML: try a.readString("config"),
            classes: try file.openDataset("classes").readStrings(),
            normalizerMean: try file.openDataset("normalizer/mean").read(),
            normalizerStd: try file.openDataset("normalizer/std").read(),
            logMel: logMel, datasetPath: (try? a.readString("dataset")) ?? "",
            seed: try int("seed"), epoch: try int("epoch"), step: try int("step"), model: try arrays("model", finite: true))
        checkpoint.stepInEpoch = (try? int("step_in_epoch")) ?? 0
        if try a.contains("task") {
            let task = try a.readString("task")
            guard task == "tags" || task == "factors" else {
                throw MelCNNError.invalidFile(path: path, reason: "unknown task \"\(task)\" (this melcnn knows tags and factors)")
            }
            checkpoint.isTagger = task == "tags"
            checkpoint.isRegressor = task == "factors"
        }
        try checkpoint.checkConsistency(path: path)
        checkpoint.targetStandardization = try TargetStandardization.read(from: file, path: path, outputs: checkpoint.classes.count)
        checkpoint.optimizer = try arrays("optimizer", finite: false)
        checkpoint.metrics = metrics
        if try file.exists("rng/dropout") {
            let flat: [UInt64] = try file.openDataset("rng/dropout").read()
            checkpoint.dropoutStates = stride(from: 0, to: flat.count, by: 4).map { Array(flat[$0 ..< min($0 + 4, flat.count)]) }
        }
        if try file.exists("partial") {
            let g = try file.openGroup("partial")
            for name in try g.attributes.names() {
                if case .double(let v)? = try? g.attributes.value(name) { checkpoint.partial[name] = v }
            }
        }
        return checkpoint
    }
}

extension Checkpoint {
    /// Rejects a checkpoint whose parts cannot belong together (edited or damaged files):
    /// no classes, a normaliser whose mean and std differ in length or hold non-finite
    /// or negative std, negative counters.
    func checkConsistency(path: String) throws {
        func bad(_ reason: String) -> MelCNNError { .invalidFile(path: path, reason: reason) }
        guard !classes.isEmpty else { throw bad("/classes is empty") }
        guard !normalizerMean.isEmpty, normalizerMean.count == normalizerStd.count else {
            throw bad("/normalizer/mean has \(normalizerMean.count) values and /normalizer/std \(normalizerStd.count); expected one per mel bin")
        }
        guard normalizerMean.allSatisfy(\.isFinite), normalizerStd.allSatisfy({ $0.isFinite && $0 >= 0 }) else {
            throw bad("/normalizer holds non-finite values or a negative std")
        }
        try FileValueChecks.requirePositiveStd(normalizerStd, path: path, object: "/normalizer/std")
        for (name, value) in [("epoch", epoch), ("step", step), ("step_in_epoch", stepInEpoch), ("seed", seed)] where value < 0 {
            throw bad("attribute \(name) = \(value) is negative")
        }
    }
}
