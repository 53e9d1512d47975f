import Foundation
import Yams

/// A training recipe as read from `Configs/*.yaml`: `data`, `model`, `train`, `augment`, `eval`.
///
/// ```swift
/// var config = try MelCNNConfig.load(path: "Configs/demo.yaml")
/// config.train.epochs = 5            // a command-line override
/// try config.validate()              // errors name the key and the file
/// try config.yamlText().write(...)   // the resolved config, readable by `parse`
/// ```
/// Missing keys keep their defaults; unknown keys and wrong types are `ConfigError`s.
public struct MelCNNConfig: Equatable, Sendable {
    public var data = DataConfig()
    public var model = ModelSpec()
    public var train = TrainConfig()
    public var augment = AugmentConfig()
    public var eval = EvalConfig()
    /// Where the config came from (a path, or `<checkpoint>:config`); used in error messages.
    public var source: String = "<defaults>"

    public init() {}

    /// Reads and validates a YAML file.
    public static func load(path: String) throws -> MelCNNConfig {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw ConfigError(file: path, key: "", message: "cannot read the config file")
        }
        return try parse(text, file: path)
    }

    /// Parses and validates YAML text; `file` names it in errors.
    public static func parse(_ text: String, file: String) throws -> MelCNNConfig {
        try YAMLNesting.check(text, file: file)  // Yams would overflow the stack on deep nesting
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            let line = "\(error)".split(separator: "\n").first.map(String.init) ?? "invalid YAML"
            throw ConfigError(file: file, key: "", message: "invalid YAML: \(line)")
        }
        var config = MelCNNConfig()
        config.source = file
        var top = try YAMLSection(root, file: file, path: "")
        var data = try YAMLSection(top.node("data"), file: file, path: "data")
        try config.data.read(&data)
        try data.finish()
        var model = try YAMLSection(top.node("model"), file: file, path: "model")
        try config.model.read(&model)
        try model.finish()
        var train = try YAMLSection(top.node("train"), file: file, path: "train")
        try config.train.read(&train)
        try train.finish()
        var augment = try YAMLSection(top.node("augment"), file: file, path: "augment")
        try config.augment.read(&augment)
        try augment.finish()
        var eval = try YAMLSection(top.node("eval"), file: file, path: "eval")
        try config.eval.read(&eval)
        try eval.finish()
        try top.finish()
        try config.validate()
        return config
    }

    /// Checks every value; call again after applying command-line overrides.
    public func validate() throws {
        try data.validate(file: source)
        try model.validate(file: source, patchFrames: data.patchFrames, nMels: data.logMel.nMels)
        try train.validate(file: source)
        try train.validateFreeze(file: source, model: model)
        try augment.validate(file: source, patchFrames: data.patchFrames, nMels: data.logMel.nMels)
        try eval.validate(file: source)
        try checkSizes()
    }

    /// Most float elements a model's weights, or one batch's activations and im2col buffers,
    /// may need (2^31, 8 GiB): a mistyped width or batch size is a config error naming the
    /// key, not an allocation failure.
    public static let maximumElements = Double(1 << 31)

    /// Checks the weights of each layer and the memory of a training and an evaluation batch.
    func checkSizes() throws {
        let limit = Self.maximumElements
        func bad(_ key: String, _ message: String) -> ConfigError { ConfigError(file: source, key: key, message: message) }
        func count(_ x: Double) -> String { x < 1e15 ? String(Int(x)) : String(format: "%.3g", x) }
        var channels = Double(data.logMel.nMels), length = Double(data.patchFrames), perSample = 0.0
        if model.is2d { perSample = try model.check2dSizes(nMels: data.logMel.nMels, frames: data.patchFrames, limit: limit, file: source) }
        for (i, b) in model.conv.enumerated() where !model.is2d {
            let weights = Double(b.channels) * channels * Double(b.kernel)
            guard weights <= limit else {
                throw bad("model.conv[\(i)].channels", "a \(b.channels) x \(Int(channels)) x \(b.kernel) kernel has more than 2^31 weights")
            }
            length = ((length + 2 * Double(b.padding) - Double(b.kernel)) / Double(b.stride)).rounded(.down) + 1
            let block = Double(b.channels) * length + channels * Double(b.kernel) * length  // output + im2col columns
            guard block <= limit else {
                throw bad("model.conv[\(i)]", "needs \(count(block)) floats per patch (channels x frames, with padding \(b.padding)); at most 2^31")
            }
            perSample += block
            if b.pool > 1 { length = (length / Double(b.pool)).rounded(.down) }
            channels = Double(b.channels)
        }
        var width = Double(model.pooledWidth)
        for (i, w) in model.dense.enumerated() {
            guard Double(w) * width <= limit else {
                throw bad("model.dense[\(i)]", "a \(w) x \(Int(width)) layer has more than 2^31 weights")
            }
            perSample += Double(w)
            width = Double(w)
        }
        for (key, batch) in [("train.batch_size", train.batchSize), ("eval.batch_size", eval.batchSize)] {
            guard Double(batch) * perSample <= limit else {
                throw bad(key, "\(batch) patches need \(count(Double(batch) * perSample)) floats of activations (\(Int(perSample)) per patch); at most 2^31")
            }
        }
    }

    /// The resolved config as YAML (every key spelled out) that `parse` reads back unchanged.
    public func yamlText() -> String {
        var lines = ["# melcnn resolved config (source: \(source))"]
        lines += data.yaml()
        lines += model.yaml()
        lines += train.yaml()
        lines += augment.yaml()
        lines += eval.yaml()
        return lines.joined(separator: "\n") + "\n"
    }

    public static func == (a: MelCNNConfig, b: MelCNNConfig) -> Bool {
        a.data == b.data && a.model == b.model && a.train == b.train && a.augment == b.augment && a.eval == b.eval
    }
}
