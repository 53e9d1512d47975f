import Foundation

/// Options of `DatasetPreparer.prepare`.
public struct PrepareOptions: Sendable {
    /// DSP parameters (the config's `data` section; patch fields are not used here).
    public var data: DataConfig
    public var split: SplitSpec
    /// CSV manifest of `path,label` lines instead of parent-folder labels.
    public var manifest: String?
    /// Parallel decoding/feature workers.
    public var jobs: Int
    /// Seed of the stratified split.
    public var seed: UInt64
    /// gzip level recorded on `/mels` (shuffle + deflate filters); 0 stores it uncompressed.
    /// Chunks are encoded on a background thread by `H5ChunkEncoder.Strategy.planes` (the
    /// float mantissa byte planes stored, the exponent plane Huffman-coded: a standard
    /// deflate stream any gzip reader inflates) and stored whole. Log-mels keep ~82% of
    /// their raw size for about a fifth more CPU time than an uncompressed run.
    public var compressionLevel: Int
    /// Write part I of N (every N-th input of the sorted list) for `DatasetMerge`; nil: the whole data set.
    public var shard: PrepareShard?
    /// FMA inputs (`FMAMetadata.inputs`): files, labels and official splits instead of a folder scan.
    public var fma: FMAInputs?
    /// Per-track regression targets (`prepare --targets factors.h5`): tracks whose path has
    /// no row are skipped; the data set gets `/tracks/targets` and format version 3.
    public var targets: FactorTargets?

    public init(data: DataConfig = DataConfig(), split: SplitSpec = .fractions(train: 0.8, validation: 0.1, test: 0.1),
                manifest: String? = nil, jobs: Int = ProcessInfo.processInfo.activeProcessorCount, seed: UInt64 = 0,
                compressionLevel: Int = 1) {
        self.data = data
        self.split = split
        self.manifest = manifest
        self.jobs = jobs
        self.seed = seed
        self.compressionLevel = compressionLevel
    }
}

/// What `prepare` reports while it runs (from the writing thread).
public enum PrepareEvent: Sendable {
    /// `done` of `total` inputs handled (written or skipped).
    case progress(done: Int, total: Int)
    /// An input that could not be read, and why.
    case skipped(path: String, reason: String)
    /// Something the user should know that does not stop the run (a class dropped).
    case warning(String)
}

/// The outcome of `prepare`.
public struct PrepareSummary: Sendable {
    public var output: String
    public var classes: [String]
    /// Tracks written, per split (train, validation, test).
    public var tracksPerSplit: [Int]
    public var frames: Int
    public var skipped: [(path: String, reason: String)]
    public var seconds: Double
    /// The part written (`--shard`): then `tracksPerSplit` is [0, 0, 0] (merge assigns splits).
    public var shard: PrepareShard?
    /// Tracks written to a part.
    public var partTracks = 0
    /// True for a multi-label set (a manifest with a `tags` column): `classes` are its tags.
    public var tagged = false
    /// True for a factor data set (`--targets`): `classes` name the factors.
    public var factors = false
    public var tracks: Int { tracksPerSplit.reduce(0, +) }

    /// One line: tracks, frames, classes, skipped files, time.
    public var line: String {
        if let shard {
            return "prepared part \(shard): \(partTracks) tracks, \(frames) frames, \(skipped.count) skipped, "
                + "in \(String(format: "%.1f", seconds)) s -> \(output)"
        }
        let s = tracksPerSplit
        return "prepared \(tracks) tracks (train \(s[0]), validation \(s[1]), test \(s[2])), \(frames) frames, "
            + "\(classes.count) \(tagged ? "tags" : factors ? "factors" : "classes"), \(skipped.count) skipped, in \(String(format: "%.1f", seconds)) s -> \(output)"
    }
}
