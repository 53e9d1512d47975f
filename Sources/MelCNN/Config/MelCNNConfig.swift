import Foundation
import Yams

/// A training recipe as read from `Configs/*.yaml`: `data`, `model`, `train`, `eval`.
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
        try model.validate(file: source, patchFrames: data.patchFrames)
        try train.validate(file: source)
        try eval.validate(file: source)
    }

    /// The resolved config as YAML (every key spelled out) that `parse` reads back unchanged.
    public func yamlText() -> String {
        var lines = ["# melcnn resolved config (source: \(source))"]
        lines += data.yaml()
        lines += model.yaml()
        lines += train.yaml()
        lines += eval.yaml()
        return lines.joined(separator: "\n") + "\n"
    }

    public static func == (a: MelCNNConfig, b: MelCNNConfig) -> Bool {
        a.data == b.data && a.model == b.model && a.train == b.train && a.eval == b.eval
    }
}
