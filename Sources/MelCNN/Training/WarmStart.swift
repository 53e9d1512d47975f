import Foundation
import NN
import Tensor

/// What `Trainer.warmStart(from:)` did with each parameter and buffer of the model.
public struct WarmStartReport: Sendable, Equatable {
    /// A name present in both models with different shapes (left at its fresh initialisation).
    public struct Skipped: Sendable, Equatable {
        public var name: String
        public var checkpointShape: [Int]
        public var modelShape: [Int]
    }

    public var checkpoint: String
    /// Copied from the checkpoint (same name and shape).
    public var loaded: [String] = []
    /// Same name, other shape (e.g. `out.*` with another class count): kept fresh.
    public var skipped: [Skipped] = []
    /// Not in the checkpoint, or `out.*` of the same shape replaced because the class names differ: kept fresh.
    public var new: [String] = []
    /// In the checkpoint but not in this model (ignored).
    public var unused: [String] = []
    /// True when `out.weight` / `out.bias` were replaced because the classes differ.
    public var outputReplaced = false

    /// Human-readable lines for the CLI.
    public var lines: [String] {
        var out = ["initialised from \(checkpoint): \(loaded.count) loaded, \(skipped.count) skipped, \(new.count) new"
            + (outputReplaced ? " (output layer replaced: the classes differ)" : "")]
        out.append("  loaded: " + (loaded.isEmpty ? "-" : loaded.joined(separator: ", ")))
        out.append("  skipped: " + (skipped.isEmpty ? "-" : skipped.map { "\($0.name) (checkpoint \($0.checkpointShape), model \($0.modelShape))" }.joined(separator: ", ")))
        out.append("  new: " + (new.isEmpty ? "-" : new.joined(separator: ", ")))
        if !unused.isEmpty { out.append("  unused: " + unused.joined(separator: ", ")) }
        return out
    }
}

/// Transfer: copies the matching weights of another run's checkpoint into a fresh model.
enum WarmStart {
    /// Names of the output layer, replaced when the classes differ.
    static let outputNames: Set<String> = ["out.weight", "out.bias"]

    /// Copies every parameter and buffer of `checkpoint` whose name and shape match into
    /// `model`; `out.*` stays fresh when `checkpoint.classes != classes`.
    static func apply(_ checkpoint: Checkpoint, path: String, to model: GenreCNN, classes: [String]) throws -> WarmStartReport {
        var report = WarmStartReport(checkpoint: path)
        report.outputReplaced = checkpoint.classes != classes
        let source = checkpoint.model
        var state = model.stateDict()
        for name in state.names {
            let mine = state[name]!
            guard let theirs = source[name] else {
                report.new.append(name)
                continue
            }
            guard theirs.shape == mine.shape, theirs.values.count == mine.values.count else {
                report.skipped.append(.init(name: name, checkpointShape: theirs.shape, modelShape: mine.shape))
                continue
            }
            if report.outputReplaced, outputNames.contains(name) {   // same shape, other class names
                report.new.append(name)
                continue
            }
            state[name] = NamedArray(shape: theirs.shape, values: theirs.values)
            report.loaded.append(name)
        }
        let mineNames = Set(state.names)
        report.unused = checkpoint.model.names.filter { !mineNames.contains($0) }
        do {
            try model.loadStateDict(state)
        } catch let error as NNError {
            throw MelCNNError.invalidFile(path: path, reason: "\(error)")
        }
        return report
    }
}

extension Trainer {
    /// Starts this (fresh) run from another run's weights: checks that the checkpoint's
    /// DSP parameters match the data set's, then loads the parameters and buffers whose
    /// names and shapes match (see `WarmStartReport`). Call before `run()`, never with `resume`.
    public func warmStart(from path: String) throws -> WarmStartReport {
        let checkpoint = try Checkpoint.read(from: path)
        try config.data.checkLogMel(checkpoint.logMel, source: path, configSource: config.source)
        return try WarmStart.apply(checkpoint, path: path, to: model, classes: tracks.classes)
    }
}

/// Freezing (`train.freeze`): the names of the frozen parameters and modules of a model.
struct FrozenLayers {
    /// Layer names as given, plus `bnI` for every frozen `convI`.
    let layers: Set<String>

    init(_ names: [String], model: GenreCNN) {
        var layers = Set(names)
        for name in names where name.hasPrefix("conv") {
            let bn = "bn" + name.dropFirst(4)
            if model.children.contains(where: { $0.name == bn }) { layers.insert(bn) }
        }
        self.layers = layers
    }

    /// True when the parameter `name` ("conv1.weight") belongs to a frozen layer.
    func contains(parameter name: String) -> Bool {
        guard let dot = name.firstIndex(of: ".") else { return false }
        return layers.contains(String(name[..<dot]))
    }

    /// The model's parameters that the optimiser updates.
    func trainable(_ model: GenreCNN) -> [(name: String, tensor: Tensor)] {
        model.namedParameters().filter { !contains(parameter: $0.name) }
    }

    /// Puts frozen layers (batch norm: running statistics fixed) into eval mode; call after `model.train(true)`.
    func applyEvalMode(_ model: GenreCNN) {
        for (name, module) in model.children where layers.contains(name) { module.train(false) }
    }
}
