import Foundation

/// The `model` section. `kind` chooses the architecture (docs/models.md):
/// `cnn1d` (default) is a Dieleman-style 1-D CNN over time with mel bins as channels;
/// `cnn2d` and `resnet2d` are 2-D CNNs over (mel, time) after Won et al. 2020
/// ("Evaluation of CNN-based automatic music tagging models": the short-chunk CNN and its
/// residual version), one block per entry of `channels`.
///
/// ```yaml
/// model:
///   kind: cnn1d
///   conv:                       # one block per entry: conv -> [batch norm] -> ReLU -> [pool]
///     - {channels: 256, kernel: 4, pool: 4}
///     - {channels: 256, kernel: 4, pool: 2}
///     - {channels: 512, kernel: 4}
///   batch_norm: false
///   global_pool: [mean, max, l2]  # concatenated over time
///   dense: [2048, 2048]           # hidden dense layers (ReLU, dropout)
///   dropout: 0.5
/// ```
/// ```yaml
/// model:
///   kind: cnn2d                 # or resnet2d
///   channels: [64, 64, 128, 128, 128, 128, 256]
///   global_pool: [max]          # over (mel, time)
///   dense: [256]
///   dropout: 0.5
/// ```
/// The output layer (one unit per class) comes from the data set's class list.
public struct ModelSpec: Equatable, Sendable {
    /// The architecture family (`model.kind`).
    public enum Kind: String, CaseIterable, Sendable {
        /// Dieleman 2014: 1-D convolutions over time, mel bins as channels (`conv`, `batch_norm`).
        case cnn1d
        /// Won et al. 2020 short-chunk CNN: per `channels` entry, 3x3 Conv2d (padding 1, no bias)
        /// -> BatchNorm2d -> ReLU -> 2x2 max-pool, over the patch seen as a 1-channel image.
        case cnn2d
        /// Won et al. 2020 residual short-chunk CNN: per `channels` entry a basic block (He et
        /// al. 2016) of two 3x3 convs with batch norm, the first with stride 2, and a 1x1
        /// stride-2 conv + batch norm shortcut.
        case resnet2d
        /// Choi et al. 2017 ("Convolutional recurrent neural networks for music classification"):
        /// the `cnn2d` blocks as front end, then a one-layer GRU (`rnn_hidden` units) over the
        /// remaining time steps (features: channels x remaining mel bins); its last state replaces
        /// the global pooling.
        case crnn
    }
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
    public var kind: Kind = .cnn1d
    /// Output channels of the 2-D blocks (`cnn2d`, `resnet2d`), one block per entry.
    public var channels: [Int] = [128, 128, 256, 256, 256, 256, 512]
    /// Hidden units of the GRU of `crnn`.
    public var rnnHidden: Int = 32
    public var globalPool: [GlobalPoolKind] = [.mean, .max, .l2]
    public var dense: [Int] = [2048, 2048]
    public var dropout: Double = 0.5

    public init() {}

    /// True for the kinds over (mel, time) images.
    public var is2d: Bool { kind != .cnn1d }

    /// Names of the layers with parameters, as in `GenreCNN`'s state dict (`train.freeze` accepts these).
    public var layerNames: [String] {
        let trunk: [String]
        switch kind {
        case .cnn1d: trunk = conv.indices.flatMap { i in batchNorm ? ["conv\(i + 1)", "bn\(i + 1)"] : ["conv\(i + 1)"] }
        case .cnn2d: trunk = channels.indices.flatMap { i in ["conv\(i + 1)", "bn\(i + 1)"] }
        case .crnn: trunk = channels.indices.flatMap { i in ["conv\(i + 1)", "bn\(i + 1)"] } + ["gru"]
        case .resnet2d: trunk = channels.indices.map { "block\($0 + 1)" }
        }
        return trunk + dense.indices.map { "fc\($0 + 1)" } + ["out"]
    }

    /// Width of the global pooling output (the `pool` embedding).
    public var pooledWidth: Int {
        kind == .crnn ? rnnHidden : ((is2d ? channels.last : conv.last?.channels) ?? 0) * globalPool.count
    }

    /// (mel, time) size after each 2-D block for an `nMels` x `frames` patch (nil if it vanishes):
    /// `cnn2d` halves both (floor, the 2x2 pool needs 2), `resnet2d` halves rounding up (stride 2).
    public func planeSizes(nMels: Int, frames: Int) -> [(h: Int, w: Int)]? {
        var (h, w) = (nMels, frames)
        var out: [(h: Int, w: Int)] = []
        for _ in channels {
            switch kind {
            case .cnn1d: return nil
            case .cnn2d, .crnn:
                guard h >= 2, w >= 2 else { return nil }
                (h, w) = (h / 2, w / 2)
            case .resnet2d: (h, w) = ((h + 1) / 2, (w + 1) / 2)
            }
            out.append((h, w))
        }
        return out
    }

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

    /// For the 2-D kinds: throws when a block has more than `limit` weights or activations
    /// per patch; returns the floats of activations per patch (outputs + im2col columns).
    func check2dSizes(nMels: Int, frames: Int, limit: Double, file: String) throws -> Double {
        var (h, w, cin, perSample) = (Double(nMels), Double(frames), 1.0, 0.0)
        for (i, c) in channels.enumerated() {
            let c = Double(c)
            guard c * max(cin, c) * 9 <= limit else {
                throw ConfigError(file: file, key: "model.channels[\(i)]", message: "a \(Int(c)) x \(Int(cin)) x 3 x 3 kernel has more than 2^31 weights")
            }
            let (oh, ow) = kind == .resnet2d ? ((h / 2).rounded(.up), (w / 2).rounded(.up)) : (h, w)
            // conv output, its im2col columns, the second conv and shortcut of a residual block
            let block = (c + cin * 9) * oh * ow + (kind == .resnet2d ? (3 * c + c * 9) * oh * ow : 2 * c * oh * ow)
            guard block <= limit else {
                throw ConfigError(file: file, key: "model.channels[\(i)]", message: "needs \(String(format: "%.3g", block)) floats per patch; at most 2^31")
            }
            perSample += block
            (h, w, cin) = kind == .resnet2d ? (oh, ow, c) : ((h / 2).rounded(.down), (w / 2).rounded(.down), c)
        }
        if kind == .crnn {   // the GRU: 3 gates over (features + hidden), and its gate values per step
            let hidden = Double(rnnHidden), weights = 3 * hidden * (cin * h + hidden + 2)
            guard weights <= limit, 8 * hidden * w <= limit else {
                throw ConfigError(file: file, key: "model.rnn_hidden",
                                  message: "a GRU of \(rnnHidden) units over \(Int(cin * h)) features has \(String(format: "%.3g", weights)) weights; at most 2^31")
            }
            perSample += 8 * hidden * w
        }
        return perSample
    }

    mutating func read(_ s: inout YAMLSection) throws {
        kind = try s.choice("kind", Kind.self) ?? kind
        if let list = try s.intList("channels") {
            guard is2d else { throw s.error("channels", "is for kind cnn2d or resnet2d (kind cnn1d uses model.conv)") }
            channels = list
        }
        if let units = try s.int("rnn_hidden") {
            guard kind == .crnn else { throw s.error("rnn_hidden", "is for kind crnn") }
            rnnHidden = units
        }
        if kind == .crnn, try s.sequence("global_pool") != nil {
            throw s.error("global_pool", "is not used by kind crnn (its GRU's last state is the pooled embedding)")
        }
        if is2d, try s.sequence("conv") != nil {
            throw s.error("conv", "is for kind cnn1d (kind \(kind.rawValue) uses model.channels)")
        }
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
        if let on = try s.bool("batch_norm") {
            guard !is2d else { throw s.error("batch_norm", "is for kind cnn1d (kind \(kind.rawValue) always uses batch norm)") }
            batchNorm = on
        }
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

    func validate(file: String, patchFrames: Int, nMels: Int) throws {
        func bad(_ key: String, _ message: String) -> ConfigError { ConfigError(file: file, key: "model.\(key)", message: message) }
        try validateHead(file: file)
        guard !is2d else {
            guard !channels.isEmpty else { throw bad("channels", "needs at least one block") }
            guard rnnHidden > 0 else { throw bad("rnn_hidden", "must be positive, got \(rnnHidden)") }
            for (i, c) in channels.enumerated() where c <= 0 {
                throw bad("channels[\(i)]", "must be positive, got \(c)")
            }
            if planeSizes(nMels: nMels, frames: patchFrames) == nil {
                throw ConfigError(file: file, key: "data.patch_frames",
                                  message: "a \(nMels) x \(patchFrames) patch is too small for the \(channels.count) 2x2 pools of model.channels")
            }
            return
        }
        guard !conv.isEmpty else { throw bad("conv", "needs at least one block") }
        for (i, b) in conv.enumerated() {
            guard b.channels > 0 else { throw bad("conv[\(i)].channels", "must be positive, got \(b.channels)") }
            guard b.kernel > 0 else { throw bad("conv[\(i)].kernel", "must be positive, got \(b.kernel)") }
            guard b.stride > 0 else { throw bad("conv[\(i)].stride", "must be positive, got \(b.stride)") }
            guard b.padding >= 0 else { throw bad("conv[\(i)].padding", "must be >= 0, got \(b.padding)") }
            guard b.pool >= 1 else { throw bad("conv[\(i)].pool", "must be >= 1, got \(b.pool)") }
        }
        if timeLengths(frames: patchFrames) == nil {
            throw ConfigError(file: file, key: "data.patch_frames",
                              message: "\(patchFrames) frames are too short for the conv/pool stack in model.conv")
        }
    }

    /// Checks the keys every kind shares (global pooling, dense head, dropout).
    private func validateHead(file: String) throws {
        func bad(_ key: String, _ message: String) -> ConfigError { ConfigError(file: file, key: "model.\(key)", message: message) }
        guard !globalPool.isEmpty else { throw bad("global_pool", "needs at least one of mean, max, l2") }
        guard Set(globalPool).count == globalPool.count else { throw bad("global_pool", "lists a kind twice") }
        for (i, width) in dense.enumerated() where width <= 0 {
            throw bad("dense[\(i)]", "must be positive, got \(width)")
        }
        guard dropout >= 0, dropout < 1 else { throw bad("dropout", "must be in [0, 1), got \(dropout)") }
    }

    func yaml() -> [String] {
        var lines = ["model:", "  kind: \(kind.rawValue)"]
        if is2d {
            lines.append("  channels: [\(channels.map(String.init).joined(separator: ", "))]")
        } else {
            lines.append("  conv:")
        }
        for b in conv where !is2d {
            var fields = ["channels: \(b.channels)", "kernel: \(b.kernel)"]
            if b.stride != 1 { fields.append("stride: \(b.stride)") }
            if b.padding != 0 { fields.append("padding: \(b.padding)") }
            fields.append("pool: \(b.pool)")
            if b.poolKind != .max { fields.append("pool_kind: \(b.poolKind.rawValue)") }
            lines.append("    - {\(fields.joined(separator: ", "))}")
        }
        if !is2d { lines.append("  batch_norm: \(batchNorm)") }
        if kind == .crnn { lines.append("  rnn_hidden: \(rnnHidden)") } else { lines.append("  global_pool: [\(globalPool.map(\.rawValue).joined(separator: ", "))]") }
        lines.append("  dense: [\(dense.map(String.init).joined(separator: ", "))]")
        lines.append("  dropout: \(yamlNumber(dropout))")
        return lines
    }
}
