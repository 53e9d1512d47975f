import Yams

/// A YAML mapping being read into a config struct: typed getters that name the
/// dotted key and the file on error, and `finish()` that rejects unknown keys.
struct YAMLSection {
    let file: String
    let path: String
    private let pairs: [(key: String, value: Node)]
    private var used: Set<String> = []

    /// Wraps `node`, which must be a mapping (an empty/null node reads as `{}`).
    init(_ node: Node?, file: String, path: String) throws {
        self.file = file
        self.path = path
        guard let node, node.null == nil else {
            pairs = []
            return
        }
        guard let mapping = node.mapping else {
            throw ConfigError(file: file, key: path, message: "expected a mapping of keys, got \(Self.describe(node))")
        }
        var pairs: [(key: String, value: Node)] = []
        var seen: Set<String> = []
        for (k, v) in mapping {
            guard let name = k.string else {
                throw ConfigError(file: file, key: path, message: "keys must be strings, got \(Self.describe(k))")
            }
            guard seen.insert(name).inserted else {
                throw ConfigError(file: file, key: key(name, in: path), message: "duplicate key")
            }
            pairs.append((name, v))
        }
        self.pairs = pairs
    }

    func keyPath(_ name: String) -> String { key(name, in: path) }

    func error(_ name: String, _ message: String) -> ConfigError {
        ConfigError(file: file, key: keyPath(name), message: message)
    }

    /// The raw node for `name`, marking it as known; nil when absent or `null`.
    mutating func node(_ name: String) -> Node? {
        used.insert(name)
        guard let value = pairs.first(where: { $0.key == name })?.value, value.null == nil else { return nil }
        return value
    }

    /// True when `name` is present with the value `null` (marks it as known).
    mutating func isNull(_ name: String) -> Bool {
        used.insert(name)
        return pairs.first(where: { $0.key == name })?.value.null != nil
    }

    mutating func int(_ name: String) throws -> Int? {
        guard let n = node(name) else { return nil }
        guard n.scalar != nil, let v = n.int else { throw error(name, "expected an integer, got \(Self.describe(n))") }
        return v
    }

    mutating func double(_ name: String) throws -> Double? {
        guard let n = node(name) else { return nil }
        guard n.scalar != nil, n.bool == nil, let v = n.float ?? n.int.map(Double.init) else {
            throw error(name, "expected a number, got \(Self.describe(n))")
        }
        return v
    }

    mutating func bool(_ name: String) throws -> Bool? {
        guard let n = node(name) else { return nil }
        guard n.scalar != nil, let v = n.bool else { throw error(name, "expected true or false, got \(Self.describe(n))") }
        return v
    }

    mutating func string(_ name: String) throws -> String? {
        guard let n = node(name) else { return nil }
        guard let s = n.scalar?.string else { throw error(name, "expected a string, got \(Self.describe(n))") }
        return s
    }

    /// A string that must be one of `choices`.
    mutating func choice<T: RawRepresentable>(_ name: String, _: T.Type) throws -> T? where T.RawValue == String, T: CaseIterable {
        guard let s = try string(name) else { return nil }
        guard let v = T(rawValue: s) else {
            let options = T.allCases.map(\.rawValue).joined(separator: ", ")
            throw error(name, "unknown value \"\(s)\" (expected one of: \(options))")
        }
        return v
    }

    /// A sequence of nodes, or nil when absent.
    mutating func sequence(_ name: String) throws -> [Node]? {
        guard let n = node(name) else { return nil }
        guard let seq = n.sequence else { throw error(name, "expected a list, got \(Self.describe(n))") }
        return Array(seq)
    }

    mutating func intList(_ name: String) throws -> [Int]? {
        guard let nodes = try sequence(name) else { return nil }
        return try nodes.enumerated().map { i, n in
            guard n.scalar != nil, let v = n.int else {
                throw ConfigError(file: file, key: "\(keyPath(name))[\(i)]", message: "expected an integer, got \(Self.describe(n))")
            }
            return v
        }
    }

    /// Throws on the first key that no getter asked for.
    func finish() throws {
        for (name, _) in pairs where !used.contains(name) {
            let known = used.sorted().joined(separator: ", ")
            throw ConfigError(file: file, key: keyPath(name), message: "unknown key (known keys here: \(known))")
        }
    }

    static func describe(_ node: Node) -> String {
        switch node {
        case .scalar(let s): return "\"\(s.string)\""
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        }
    }
}

private func key(_ name: String, in path: String) -> String {
    path.isEmpty ? name : "\(path).\(name)"
}
