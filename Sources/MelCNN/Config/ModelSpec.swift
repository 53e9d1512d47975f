/// The `model` section: a Dieleman-style 1-D CNN over time with mel bins as channels.
///
/// ```yaml
/// model:
///   conv:                       # one block per entry: conv -> [batch norm] -> ReLU -> [pool]
///     - {channels: 256, kernel: 4, pool: 4}
///     - {channels: 256, kernel: 4, pool: 2}
///     - {channels: 512, kernel: 4}
///   batch_norm: false
///   global_pool: [mean, max, l2]  # concatenated over time
///   dense: [2048, 2048]           # hidden dense layers (ReLU, dropout)
///   dropout: 0.5
/// ```
/// The output layer (one unit per class) comes from the data set's class list.
public struct ModelSpec: Equatable, Sendable {
    public enum PoolKind: String, CaseIterable, Sendable { case max, avg }
    public enum GlobalPoolKind: String, CaseIterable, Sendable { case mean, max, l2 }

    /// One convolution block: Conv1d(kernel, stride, padding) -> BatchNorm? -> ReLU -> pool?
    public struct ConvBlock: Equatable, Sendable {
        public var channels: Int
        public var kernel: Int
        public var stride: Int = 1
        public var padding: Int = 0
        /// Pooling window (and stride) over time; 1 means no pooling.
        public var pool: Int = 1
        public var poolKind: PoolKind = .max

        public init(channels: Int, kernel: Int, stride: Int = 1, padding: Int = 0, pool: Int = 1, poolKind: PoolKind = .max) {
            self.channels = channels
            self.kernel = kernel
            self.stride = stride
            self.padding = padding
            self.pool = pool
            self.poolKind = poolKind
        }
    }

    public var conv: [ConvBlock] = [
        ConvBlock(channels: 256, kernel: 4, pool: 4),
        ConvBlock(channels: 256, kernel: 4, pool: 2),
        ConvBlock(channels: 512, kernel: 4),
    ]
    public var batchNorm: Bool = false
    public var globalPool: [GlobalPoolKind] = [.mean, .max, .l2]
    public var dense: [Int] = [2048, 2048]
    public var dropout: Double = 0.5

    public init() {}

    /// Width of the global pooling output (the `pool` embedding).
    /// Names of the layers with parameters, as in `GenreCNN`'s state dict (`train.freeze` accepts these).
    public var layerNames: [String] {
        conv.indices.flatMap { i in batchNorm ? ["conv\(i + 1)", "bn\(i + 1)"] : ["conv\(i + 1)"] }
            + dense.indices.map { "fc\($0 + 1)" } + ["out"]
    }

    public var pooledWidth: Int { (conv.last?.channels ?? 0) * globalPool.count }

    /// Time length after each conv block for an input of `frames` frames (nil if it vanishes).
    public func timeLengths(frames: Int) -> [Int]? {
        var length = frames
        var out: [Int] = []
        for block in conv {
            length = (length + 2 * block.padding - block.kernel) / block.stride + 1
            guard length >= 1 else { return nil }
            if block.pool > 1 { length /= block.pool }
            guard length >= 1 else { return nil }
            out.append(length)
        }
        return out
    }

    mutating func read(_ s: inout YAMLSection) throws {
        if let nodes = try s.sequence("conv") {
            conv = try nodes.enumerated().map { i, node in
                var b = try YAMLSection(node, file: s.file, path: "\(s.keyPath("conv"))[\(i)]")
                guard let channels = try b.int("channels") else { throw b.error("channels", "missing (required)") }
                guard let kernel = try b.int("kernel") else { throw b.error("kernel", "missing (required)") }
                var block = ConvBlock(channels: channels, kernel: kernel)
                block.stride = try b.int("stride") ?? 1
                block.padding = try b.int("padding") ?? 0
                block.pool = try b.int("pool") ?? 1
                block.poolKind = try b.choice("pool_kind", PoolKind.self) ?? .max
                try b.finish()
                return block
            }
        }
        batchNorm = try s.bool("batch_norm") ?? batchNorm
        if let nodes = try s.sequence("global_pool") {
            globalPool = try nodes.enumerated().map { i, node in
                guard let name = node.scalar?.string, let kind = GlobalPoolKind(rawValue: name) else {
                    throw ConfigError(file: s.file, key: "\(s.keyPath("global_pool"))[\(i)]",
                                      message: "expected one of mean, max, l2, got \(YAMLSection.describe(node))")
                }
                return kind
            }
        }
        dense = try s.intList("dense") ?? dense
        dropout = try s.double("dropout") ?? dropout
    }

    func validate(file: String, patchFrames: Int) throws {
        func bad(_ key: String, _ message: String) -> ConfigError { ConfigError(file: file, key: "model.\(key)", message: message) }
        guard !conv.isEmpty else { throw bad("conv", "needs at least one block") }
        for (i, b) in conv.enumerated() {
            guard b.channels > 0 else { throw bad("conv[\(i)].channels", "must be positive, got \(b.channels)") }
            guard b.kernel > 0 else { throw bad("conv[\(i)].kernel", "must be positive, got \(b.kernel)") }
            guard b.stride > 0 else { throw bad("conv[\(i)].stride", "must be positive, got \(b.stride)") }
            guard b.padding >= 0 else { throw bad("conv[\(i)].padding", "must be >= 0, got \(b.padding)") }
            guard b.pool >= 1 else { throw bad("conv[\(i)].pool", "must be >= 1, got \(b.pool)") }
        }
        guard !globalPool.isEmpty else { throw bad("global_pool", "needs at least one of mean, max, l2") }
        guard Set(globalPool).count == globalPool.count else { throw bad("global_pool", "lists a kind twice") }
        for (i, width) in dense.enumerated() where width <= 0 {
            throw bad("dense[\(i)]", "must be positive, got \(width)")
        }
        guard dropout >= 0, dropout < 1 else { throw bad("dropout", "must be in [0, 1), got \(dropout)") }
        if timeLengths(frames: patchFrames) == nil {
            throw ConfigError(file: file, key: "data.patch_frames",
                              message: "\(patchFrames) frames are too short for the conv/pool stack in model.conv")
        }
    }

    func yaml() -> [String] {
        var lines = ["model:", "  conv:"]
        for b in conv {
            var fields = ["channels: \(b.channels)", "kernel: \(b.kernel)"]
            if b.stride != 1 { fields.append("stride: \(b.stride)") }
            if b.padding != 0 { fields.append("padding: \(b.padding)") }
            fields.append("pool: \(b.pool)")
            if b.poolKind != .max { fields.append("pool_kind: \(b.poolKind.rawValue)") }
            lines.append("    - {\(fields.joined(separator: ", "))}")
        }
        lines.append("  batch_norm: \(batchNorm)")
        lines.append("  global_pool: [\(globalPool.map(\.rawValue).joined(separator: ", "))]")
        lines.append("  dense: [\(dense.map(String.init).joined(separator: ", "))]")
        lines.append("  dropout: \(yamlNumber(dropout))")
        return lines
    }
}
