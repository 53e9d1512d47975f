import DSP
import Foundation
import HDF5

/// A part of a sharded `prepare` (`--shard I/N`): part `index` (0-based) of `count`, the inputs `index`, `index + count`,
/// `index + 2 count`, ... of the sorted input list.
public struct PrepareShard: Equatable, Sendable, CustomStringConvertible {
    public var index: Int
    public var count: Int

    public init(index: Int, count: Int) throws {
        guard count >= 1, (0 ..< count).contains(index) else {
            throw ParameterError("shard", ": expected I/N with N >= 1 and 0 <= I < N, got \(index)/\(count)")
        }
        self.index = index
        self.count = count
    }

    public var description: String { "\(index)/\(count)" }
}

/// Per-track frame count, mean and M2 (sum of squared deviations from the mean) of every
/// mel bin, two-pass per track: what the parallel variance formula needs to merge the
/// training-split statistics of parts exactly (Chan, Golub & LeVeque 1979).
struct TrackMoments {
    let bins: Int
    /// [tracks, bins], flat.
    var mean: [Double] = []
    var m2: [Double] = []

    init(bins: Int) { self.bins = bins }

    var count: Int { bins == 0 ? 0 : mean.count / bins }

    mutating func append(_ mels: FeatureMatrix) {
        let frames = mels.frames, bins = self.bins
        var mu = [Double](repeating: 0, count: bins), sq = [Double](repeating: 0, count: bins)
        mels.data.withUnsafeBufferPointer { v in
            mu.withUnsafeMutableBufferPointer { m in
                for t in 0 ..< frames { for b in 0 ..< bins { m[b] += Double(v[t * bins + b]) } }
                for b in 0 ..< bins { m[b] /= Double(frames) }
                sq.withUnsafeMutableBufferPointer { q in
                    for t in 0 ..< frames {
                        for b in 0 ..< bins { let d = Double(v[t * bins + b]) - m[b]; q[b] += d * d }
                    }
                }
            }
        }
        mean.append(contentsOf: mu)
        m2.append(contentsOf: sq)
    }
}

/// Running count, mean and M2 per bin, merged set by set with the parallel formula of
/// Chan, Golub & LeVeque (1979): n = na + nb, d = mb - ma, mean = ma + d nb / n,
/// M2 = M2a + M2b + d² na nb / n.
struct MomentAccumulator {
    private(set) var count = 0
    private(set) var mean: [Double]
    private(set) var m2: [Double]

    init(bins: Int) {
        mean = [Double](repeating: 0, count: bins)
        m2 = [Double](repeating: 0, count: bins)
    }

    /// Adds a set of `count` frames with per-bin `mean` and `m2`.
    mutating func add(count nb: Int, mean mb: [Double], m2 m2b: [Double]) {
        guard nb > 0 else { return }
        let na = count, n = na + nb
        let wb = Double(nb) / Double(n), cross = Double(na) * Double(nb) / Double(n)
        for b in mean.indices {
            let d = mb[b] - mean[b]
            mean[b] += d * wb
            m2[b] += m2b[b] + d * d * cross
        }
        count = n
    }

    /// Population standard deviation per bin, floored at 1e-5 as `prepare` floors it.
    var std: [Double] { m2.map { max(1e-5, (max(0, $0) / Double(max(count, 1))).squareRoot()) } }
}

/// The part file `prepare --shard I/N` writes (layout in docs/large-collections.md): `/mels`
/// as in a data set, the tracks it wrote with their global input index, label name and
/// moments, the inputs it skipped, and the root attributes of a data set plus the shard.
/// `DatasetMerge` assigns splits and classes over all parts, exactly as one `prepare` would.
struct DatasetPart {
    static let format = "melcnn-dataset-part"

    let shard: PrepareShard
    /// Every input of the run (sorted), before sharding.
    let allInputs: [LabelledFile]
    /// The inputs of this shard: `allInputs[shard.index + k * shard.count]`.
    let shardInputs: [LabelledFile]
    let assigned: [String: TrainingTracks.Split]?
    /// The first `discoverySkipped` skipped entries come from discovery (same in every part).
    let discoverySkipped: Int

    init(shard: PrepareShard, inputs: [LabelledFile], assigned: [String: TrainingTracks.Split]?, discoverySkipped: Int) {
        self.shard = shard
        allInputs = inputs
        shardInputs = Array(stride(from: shard.index, to: inputs.count, by: shard.count).map { inputs[$0] })
        self.assigned = assigned
        self.discoverySkipped = discoverySkipped
    }

    /// The global input index of local input `k`.
    func globalIndex(_ k: Int) -> Int { shard.index + k * shard.count }

    /// FNV-1a (64 bit) over every input's path, label and assigned split: parts of different
    /// input lists (another folder, manifest, split files) have different digests.
    static func digest(_ inputs: [LabelledFile], assigned: [String: TrainingTracks.Split]?) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ text: String) {
            for byte in text.utf8 { h = (h ^ UInt64(byte)) &* 0x100_0000_01b3 }
            h = (h ^ 0) &* 0x100_0000_01b3
        }
        for input in inputs {
            mix(input.path)
            mix(input.label)
            mix(assigned?[input.path].map { $0.name } ?? "")
            if let tags = input.tags { mix(tags.joined(separator: ";")) }
        }
        return String(h, radix: 16)
    }

    /// Writes the part's index and attributes after its `/mels` (`written.input` local indices).
    func writeIndex(_ file: H5File, written: [(input: Int, offset: Int, frames: Int)], moments: TrackMoments,
                    skipped: [(path: String, reason: String)], options: PrepareOptions) throws {
        let bins = options.data.logMel.nMels
        try file.createStringDataset("tracks/path", values: written.map { shardInputs[$0.input].path })
        try file.createStringDataset("tracks/label_name", values: written.map { shardInputs[$0.input].label })
        try file.createDataset("tracks/input", values: written.map { Int64(globalIndex($0.input)) })
        try file.createDataset("tracks/offset", values: written.map { Int64($0.offset) })
        try file.createDataset("tracks/frames", values: written.map { Int32($0.frames) })
        if let assigned {
            try file.createDataset("tracks/split", values: written.map { assigned[shardInputs[$0.input].path]!.rawValue })
        }
        try file.createDataset("tracks/mean", values: moments.mean, shape: [written.count, bins])
        try file.createDataset("tracks/m2", values: moments.m2, shape: [written.count, bins])
        // A tagged part: the vocabulary of all its inputs (skipped ones too, for merge's dropped-tag
        // warnings) as `/tags/names` and the written tracks' tags as uint8 `/tracks/tags`.
        let tagged = allInputs.contains { $0.tags != nil }
        if tagged {
            let vocabulary = Array(Set(shardInputs.flatMap { $0.tags ?? [] })).sorted()
            try MelDataset.writeTags(file, classes: vocabulary, trackTags: written.map { shardInputs[$0.input].tags ?? [] })
        }
        // Skipped inputs: discovery entries (input -1, no label) then decoding failures in input order.
        let localIndex = Dictionary(uniqueKeysWithValues: shardInputs.enumerated().map { ($1.path, $0) })
        var inputIndex: [Int64] = [], labels: [String] = []
        for (k, entry) in skipped.enumerated() {
            if k < discoverySkipped {
                inputIndex.append(-1); labels.append("")
            } else {
                let local = localIndex[entry.path]!
                inputIndex.append(Int64(globalIndex(local))); labels.append(shardInputs[local].label)
            }
        }
        try file.createStringDataset("skipped/path", values: skipped.map(\.path))
        try file.createStringDataset("skipped/reason", values: skipped.map(\.reason))
        try file.createDataset("skipped/input", values: inputIndex)
        try file.createStringDataset("skipped/label", values: labels)
        try MelDataset.writeAttributes(file, options: options,
                                            version: tagged ? MelDataset.taggedVersion : MelDataset.version)
        let a = file.attributes
        try a.write("format", Self.format)
        try a.write("shard_index", Int64(shard.index))
        try a.write("shard_count", Int64(shard.count))
        try a.write("input_count", Int64(allInputs.count))
        try a.write("input_digest", Self.digest(allInputs, assigned: assigned))
        try a.write("compression", Int64(options.compressionLevel))
        if case let .fractions(t, v, s) = options.split, assigned == nil { try a.write("split_fractions", [t, v, s]) }
    }
}
