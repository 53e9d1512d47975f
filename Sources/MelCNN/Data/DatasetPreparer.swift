import Audio
import DSP
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import HDF5
import Tensor

/// How tracks are assigned to the train / validation / test splits.
public enum SplitSpec: Equatable, Sendable {
    /// Stratified by label: in each class a seeded shuffle, then the first
    /// `round(n * train)` tracks train, the next `round(n * validation)` validation, the rest test.
    case fractions(train: Double, validation: Double, test: Double)
    /// Three lists of paths relative to the audio folder (train, validation, test), one per
    /// line, as the published GTZAN fault-filtered split files. Files in no list are left out.
    case files(train: String, validation: String, test: String)

    /// Parses `--split 0.8,0.1,0.1`.
    public static func parse(fractions text: String) throws -> SplitSpec {
        let parts = text.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.count == 3, let a = parts[0], let b = parts[1], let c = parts[2], a >= 0, b >= 0, c >= 0,
              abs(a + b + c - 1) < 1e-6, a > 0 else {
            throw DataError.badOption(flag: "--split", message: "expected three fractions >= 0 summing to 1 with train > 0 (e.g. 0.8,0.1,0.1), got \(text)")
        }
        return .fractions(train: a, validation: b, test: c)
    }

    /// Parses `--split-files train.txt,valid.txt,test.txt`.
    public static func parse(files text: String) throws -> SplitSpec {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty }) else {
            throw DataError.badOption(flag: "--split-files", message: "expected three comma-separated files (train,valid,test), got \(text)")
        }
        return .files(train: parts[0], validation: parts[1], test: parts[2])
    }
}

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

/// `melcnn prepare`: audio folder -> dataset.h5 (layout in DESIGN.md and the README).
///
/// Inputs are decoded and turned into log-mel spectrograms by `jobs` worker threads;
/// the calling thread appends them to `/mels` in input order through a reorder buffer
/// of at most `2 * jobs` finished tracks, and whole chunks of `/mels` are compressed on
/// background threads (`H5ParallelAppender`), so memory stays bounded whatever the
/// number of files and gzip does not serialise the run. Per-track sums give the per-bin mean and standard deviation of the
/// training split once the split is known. The file is written under a temporary name
/// and renamed into place at the end.
public enum DatasetPreparer {
    public static let format = "melcnn-dataset"
    public static let version: Int64 = 1
    /// The version of a multi-label data set (`/tags/names`, `/tracks/tags`): older readers,
    /// which would train one softmax on the first tags, refuse it. Single-label sets stay version 1.
    public static let taggedVersion: Int64 = 2
    /// The version of a factor data set (`/tracks/targets`, attribute `task = "factors"`).
    public static let factorsVersion: Int64 = 3

    public static func prepare(audioDirectory: String, output: String, options: PrepareOptions = PrepareOptions(),
                               onEvent: ((PrepareEvent) -> Void)? = nil) throws -> PrepareSummary {
        let start = Date()
        keepLargeBlocksInHeap()
        guard options.jobs >= 1 else { throw DataError.badOption(flag: "--jobs", message: "must be at least 1, got \(options.jobs)") }
        guard (0 ... 9).contains(options.compressionLevel) else {
            throw DataError.badOption(flag: "--compression", message: "gzip level must be 0...9, got \(options.compressionLevel)")
        }
        try options.data.validate(file: "config")
        let data = options.data
        let extractor = try MelSpectrogramExtractor(sampleRate: Double(data.sampleRate), nFFT: data.nFFT,
                                                    hopLength: data.hopLength, nMels: data.nMels, fmin: data.fmin,
                                                    fmax: data.fmax, power: Float(data.power))
        let topDb = data.topDB.map { Float($0) }

        // 1. Inputs and labels.
        var inputs: [LabelledFile]
        var skipped: [(path: String, reason: String)] = []
        if let fma = options.fma {
            if case .files = options.split { throw DataError.badOption(flag: "--split-files", message: "cannot be combined with --fma") }
            inputs = fma.files
            for entry in fma.skipped {
                skipped.append((entry.path, entry.reason))
                onEvent?(.skipped(path: entry.path, reason: entry.reason))
            }
        } else if let manifest = options.manifest {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: audioDirectory, isDirectory: &isDir), isDir.boolValue else {
                throw DataError.missingInput(path: audioDirectory, what: "audio folder")
            }
            let read = try AudioDiscovery.taggedManifest(manifest, directory: audioDirectory)
            inputs = read.files
            for entry in read.skipped {
                skipped.append((entry.path, entry.reason))
                onEvent?(.skipped(path: entry.path, reason: entry.reason))
            }
        } else {
            let scan = try AudioDiscovery.scan(audioDirectory)
            inputs = scan.files
            for entry in scan.skipped {
                skipped.append((entry.path, entry.reason))
                onEvent?(.skipped(path: entry.path, reason: entry.reason))
            }
        }
        var assigned: [String: TrainingTracks.Split]? = options.fma?.splits
        if case let .files(train, validation, test) = options.split {
            var map: [String: TrainingTracks.Split] = [:]
            for (list, split) in [(train, TrainingTracks.Split.train), (validation, .validation), (test, .test)] {
                for path in try AudioDiscovery.splitList(list, directory: audioDirectory) {
                    if let other = map[path], other != split {
                        throw DataError.badListLine(list: list, line: 0, message: "\(path) is also in the \(other.name) list")
                    }
                    map[path] = split
                }
            }
            let known = Set(inputs.map(\.path))
            if let missing = map.keys.sorted().first(where: { !known.contains($0) }) {
                throw DataError.badOption(flag: "--split-files",
                                          message: "\(missing) is listed but has no label (not in a class folder or the manifest)")
            }
            inputs = inputs.filter { map[$0.path] != nil }
            assigned = map
        }
        guard !inputs.isEmpty else {
            throw DataError.noTracks("\(audioDirectory): no audio files found (extensions: \(AudioDiscovery.audioExtensions.sorted().joined(separator: " "))"
                + (skipped.isEmpty ? ")" : "; \(skipped.count) entries skipped, each reported with its reason)"))
        }
        if let clash = inputs.first(where: { isSameFile((audioDirectory as NSString).appendingPathComponent($0.path), output) }) {
            throw DataError.badOption(flag: "--out", message: "\(output) is the input audio file \(clash.path); choose another output")
        }
        if let targets = options.targets {
            guard options.shard == nil, !inputs.contains(where: { $0.tags != nil }) else {
                throw DataError.badOption(flag: "--targets", message: "cannot be combined with --shard or a tagged manifest")
            }
            let known = Set(inputs.map(\.path))
            let unmatched = targets.ids.filter { !known.contains($0) }.count
            if unmatched > 0 {
                onEvent?(.warning("\(unmatched) of the \(targets.ids.count) track ids of \(targets.source) match no audio file"))
            }
            inputs = inputs.filter { input in
                guard targets.row(of: input.path) == nil else { return true }
                skipped.append((input.path, "no factors in \(targets.source)"))
                onEvent?(.skipped(path: input.path, reason: "no factors in \(targets.source)"))
                return false
            }
            guard !inputs.isEmpty else {
                throw DataError.noTracks("\(audioDirectory): no audio file has a track id of \(targets.source) (ids are paths relative to the audio folder)")
            }
        }
        let tagged = inputs.contains { $0.tags != nil }
        if inputs.contains(where: { $0.group != nil }) && options.shard != nil {
            throw DataError.badOption(flag: "--shard", message: "a manifest with a group column cannot be prepared in parts yet (merge does not carry groups); prepare it in one run")
        }
        let part = options.shard.map { DatasetPart(shard: $0, inputs: inputs, assigned: assigned, discoverySkipped: skipped.count) }
        if let part { inputs = part.shardInputs }
        let nMels = data.nMels
        var classes: [String] = []

        // 2. Features in parallel, written in input order.
        var written: [(input: Int, offset: Int, frames: Int, sum: [Double], sumSquares: [Double])] = []
        var totalFrames = 0
        var moments = TrackMoments(bins: nMels)
        try H5File.createAtomically(output) { file in
            let mels = try createMels(file, nMels: nMels, compressionLevel: options.compressionLevel)
            // Chunks are compressed on background threads and stored whole (H5Dwrite_chunk),
            // so gzip no longer runs on this single writing thread.
            let appender = try H5ParallelAppender<Float>(dataset: mels, inFlight: 2 * max(1, options.jobs))
            defer { appender.waitForBackgroundWrites() }
            // Workers decode, compute the log-mels and their per-bin sums; this thread only
            // appends (chunks are compressed on background threads).
            let pipeline = OrderedPipeline<Result<TrackFeatures, Error>>(count: inputs.count, jobs: options.jobs) { i in
                Result {
                    let path = AudioDiscovery.resolve(inputs[i].path, directory: audioDirectory)
                    // Streamed: a track costs a constant plus its log-mel, not its signal.
                    return TrackFeatures(try extractor.logMelSpectrogram(file: path, sampleRate: data.sampleRate, topDb: topDb))
                }
            }
            var done = 0
            try pipeline.run { i, result in
                done += 1
                switch result {
                case .success(let track) where track.mels.frames > 0:
                    try appender.append(track.mels.data)
                    written.append((i, totalFrames, track.mels.frames, track.sum, track.sumSquares))
                    if part != nil { moments.append(track.mels) }
                    totalFrames += track.mels.frames
                case .success:
                    skipped.append((inputs[i].path, "no frames"))
                    onEvent?(.skipped(path: inputs[i].path, reason: "no frames"))
                case .failure(let error):
                    let reason = "\(error)"
                    skipped.append((inputs[i].path, reason))
                    onEvent?(.skipped(path: inputs[i].path, reason: reason))
                }
                onEvent?(.progress(done: done, total: inputs.count))
            }
            try appender.finish()
            if let part {
                return try part.writeIndex(file, written: written.map { ($0.input, $0.offset, $0.frames) }, moments: moments,
                                           skipped: skipped, options: options)
            }
            guard !written.isEmpty else { throw DataError.noTracks("\(audioDirectory): none of the \(inputs.count) audio files could be read") }
            // Classes come from the tracks written: a class whose every file was skipped is dropped.
            // A tagged set's classes are its tags (the vocabulary) and a track's label its first tag.
            let names: (LabelledFile) -> [String] = { tagged ? ($0.tags ?? []) : [$0.label] }
            classes = Array(Set(written.flatMap { names(inputs[$0.input]) })).sorted()
            for empty in Set(inputs.flatMap(names)).subtracting(classes).sorted() {
                onEvent?(.warning("\(tagged ? "tag" : "class") \(empty) dropped: none of its files could be used (see the skipped files)"))
            }
            let classIndex = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, $0) })

            // 3. Split, then statistics over the training split.
            let labels = written.map { classIndex[names(inputs[$0.input])[0]]! }
            let splits = assignSplits(labels: labels, classCount: classes.count, options: options,
                                      assigned: assigned.map { a in written.map { a[inputs[$0.input].path]! } })
            var sum = [Double](repeating: 0, count: nMels), sq = [Double](repeating: 0, count: nMels)
            var n = 0
            for (k, w) in written.enumerated() where splits[k] == .train {
                n += w.frames
                for b in 0 ..< nMels { sum[b] += w.sum[b]; sq[b] += w.sumSquares[b] }
            }
            guard n > 0 else {
                throw DataError.noTracks("\(audioDirectory): the training split is empty; use more files or a larger train fraction")
            }
            let mean = sum.map { $0 / Double(n) }
            // Floored at 1e-5, the floor readers standardise with: a constant bin (std 0)
            // must not read as a damaged file, where std <= 0 is an error.
            let std = (0 ..< nMels).map { b in max(1e-5, (max(0, sq[b] / Double(n) - mean[b] * mean[b])).squareRoot()) }

            // 4. Index, statistics, skipped files, attributes.
            // A factor set's splits stay stratified by the folder label; its classes name the factors (labels 0).
            try writeIndex(file, classes: options.targets?.names ?? classes, paths: written.map { inputs[$0.input].path },
                           labels: options.targets == nil ? labels : [Int](repeating: 0, count: written.count), splits: splits,
                           offsets: written.map(\.offset), frames: written.map(\.frames), mean: mean, std: std, skipped: skipped)
            if tagged {
                try writeTags(file, classes: classes, trackTags: written.map { inputs[$0.input].tags ?? [] })
            }
            if inputs.contains(where: { $0.group != nil }) {
                // `/tracks/group` (cross-validation groups): a file without a group is its own group.
                try file.createStringDataset("tracks/group", values: written.map { inputs[$0.input].group ?? inputs[$0.input].path })
            }
            if let targets = options.targets {
                let rows = written.flatMap { targets.vector(of: targets.row(of: inputs[$0.input].path)!) }
                try file.createDataset("tracks/targets", values: rows, shape: [written.count, targets.factors])
                try writeAttributes(file, options: options, version: factorsVersion)
                try file.attributes.write("task", "factors")
                try file.attributes.write("targets", targets.source)
                classes = targets.names
            } else {
                try writeAttributes(file, options: options, version: tagged ? taggedVersion : version)
            }
        }
        var perSplit = [0, 0, 0]
        if let file = try? H5File.open(output) {
            defer { file.close() }
            if let codes: [UInt8] = try? file.openDataset("tracks/split").read() {
                for c in codes where c < 3 { perSplit[Int(c)] += 1 }
            }
        }
        var summary = PrepareSummary(output: output, classes: classes, tracksPerSplit: options.shard == nil ? perSplit : [0, 0, 0],
                                     frames: totalFrames, skipped: skipped, seconds: Date().timeIntervalSince(start),
                                     shard: options.shard, partTracks: written.count, tagged: tagged)
        summary.factors = options.targets != nil
        return summary
    }

    /// The extendable `/mels` [frames, nMels] of a data set: 64 KiB chunks, gzip `compressionLevel`
    /// (0: none) with shuffle, and a Fletcher-32 checksum per chunk (a damaged chunk is a read error).
    static func createMels(_ file: H5File, nMels: Int, compressionLevel: Int) throws -> H5Dataset {
        let chunks = [max(1, 16384 / nMels), nMels] // 64 KiB: 128 frames of 128 mels
        return try file.createDataset("mels", of: Float.self, shape: [0, nMels], options: H5DatasetOptions(
            chunks: chunks, gzipLevel: compressionLevel > 0 ? compressionLevel : nil,
            shuffle: compressionLevel > 0, extendable: true, fletcher32: true))
    }

    /// The index of a data set (DESIGN.md): classes, per-track path/label/split/offset/frames,
    /// training-split statistics and skipped inputs; shared by `prepare` and `merge`.
    static func writeIndex(_ file: H5File, classes: [String], paths: [String], labels: [Int], splits: [TrainingTracks.Split],
                           offsets: [Int], frames: [Int], mean: [Double], std: [Double],
                           skipped: [(path: String, reason: String)]) throws {
        try file.createStringDataset("classes", values: classes)
        try file.createStringDataset("tracks/path", values: paths)
        try file.createDataset("tracks/label", values: labels.map { Int32($0) })
        try file.createDataset("tracks/split", values: splits.map(\.rawValue))
        try file.createDataset("tracks/offset", values: offsets.map { Int64($0) })
        try file.createDataset("tracks/frames", values: frames.map { Int32($0) })
        try file.createDataset("stats/mean", values: mean.map { Float($0) })
        try file.createDataset("stats/std", values: std.map { Float($0) })
        try file.createStringDataset("skipped/path", values: skipped.map(\.path))
        try file.createStringDataset("skipped/reason", values: skipped.map(\.reason))
    }

    /// The root attributes of a data set (DSP parameters, seed, split), shared by `prepare` and `merge`.
    static func writeAttributes(_ file: H5File, options: PrepareOptions, version: Int64 = DatasetPreparer.version) throws {
        let data = options.data
        let a = file.attributes
        try a.write("format", format)
        try a.write("version", version)
        try a.write("creator", "melcnn 0.1.0")
        try a.write("sample_rate", Int64(data.sampleRate))
        try a.write("n_fft", Int64(data.nFFT))
        try a.write("hop_length", Int64(data.hopLength))
        try a.write("n_mels", Int64(data.nMels))
        try a.write("fmin", data.fmin)
        try a.write("fmax", data.fmax ?? Double(data.sampleRate) / 2)
        try a.write("power", data.power)
        try a.write("top_db", data.topDB ?? 0)
        try a.write("seed", Int64(bitPattern: options.seed))
        switch options.split {
        case _ where options.fma != nil: try a.write("split", options.fma!.source)
        case let .fractions(t, v, s): try a.write("split", "stratified \(t),\(v),\(s) seed \(options.seed)")
        case let .files(t, v, s): try a.write("split", "files \(t),\(v),\(s)")
        }
    }

    /// The split of every written track: the given assignment (split files, FMA's `set.split`)
    /// or the seeded stratified split over all written tracks in input order.
    static func assignSplits(labels: [Int], classCount: Int, options: PrepareOptions,
                             assigned: [TrainingTracks.Split]?) -> [TrainingTracks.Split] {
        if let assigned { return assigned }
        guard case let .fractions(train, validation, _) = options.split else { return [] }
        return stratifiedSplit(labels: labels, classCount: classCount, train: train, validation: validation, seed: options.seed)
    }

    /// `/tags/names` (the vocabulary, = `/classes`) and `/tracks/tags`, uint8 `[tracks, tags]`
    /// with 1 where the track has the tag.
    static func writeTags(_ file: H5File, classes: [String], trackTags: [[String]]) throws {
        let index = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, $0) })
        var matrix = [UInt8](repeating: 0, count: trackTags.count * classes.count)
        for (t, tags) in trackTags.enumerated() {
            for tag in tags { if let c = index[tag] { matrix[t * classes.count + c] = 1 } }
        }
        try file.createStringDataset("tags/names", values: classes)
        try file.createDataset("tracks/tags", values: matrix, shape: [trackTags.count, classes.count])
    }

    /// glibc serves blocks over 128 KiB with fresh mmaps and returns them on free, so every
    /// track's multi-megabyte buffers (decoded signal, padded signal, spectra) would be
    /// page-faulted and zeroed anew: 18x the page faults and a quarter more CPU time. Raising
    /// the mmap and trim thresholds (process-wide, once) keeps those blocks in the heap for
    /// the next track; the resident size stays that of the few tracks in flight.
    static func keepLargeBlocksInHeap() {
        #if canImport(Glibc)
        _ = tuneMalloc
        #endif
    }

    #if canImport(Glibc)
    private static let tuneMalloc: Void = {
        // mallopt is in <malloc.h>, which Glibc does not import; M_TRIM_THRESHOLD is -1,
        // M_MMAP_THRESHOLD -3.
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
        let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
        _ = mallopt(-3, 64 << 20)
        _ = mallopt(-1, 256 << 20)
    }()
    #endif

    /// Stratified split: within each class a Fisher-Yates shuffle with a generator seeded
    /// by `seed`, then `round(n * train)` train tracks, `round(n * validation)` validation
    /// tracks (never more than remain) and the rest test.
    public static func stratifiedSplit(labels: [Int], classCount: Int, train: Double, validation: Double,
                                       seed: UInt64) -> [TrainingTracks.Split] {
        var rng = SeededGenerator(seed: seed)
        var result = [TrainingTracks.Split](repeating: .test, count: labels.count)
        for c in 0 ..< classCount {
            var members = labels.indices.filter { labels[$0] == c }
            if members.count > 1 {
                for i in stride(from: members.count - 1, to: 0, by: -1) {
                    members.swapAt(i, Int(rng.next() % UInt64(i + 1)))
                }
            }
            let n = members.count
            let nTrain = min(n, Int((Double(n) * train).rounded()))
            let nValidation = min(n - nTrain, Int((Double(n) * validation).rounded()))
            for (k, t) in members.enumerated() {
                result[t] = k < nTrain ? .train : (k < nTrain + nValidation ? .validation : .test)
            }
        }
        return result
    }
}

/// One track's log-mels with their per-bin sum and sum of squares (for `/stats`).
struct TrackFeatures {
    var mels: FeatureMatrix
    var sum: [Double]
    var sumSquares: [Double]

    init(_ mels: FeatureMatrix) {
        self.mels = mels
        let bins = mels.bins
        var sum = [Double](repeating: 0, count: bins), sq = [Double](repeating: 0, count: bins)
        mels.data.withUnsafeBufferPointer { v in
            sum.withUnsafeMutableBufferPointer { s in
                sq.withUnsafeMutableBufferPointer { q in
                    for t in 0 ..< mels.frames {
                        for b in 0 ..< bins {
                            let x = Double(v[t * bins + b])
                            s[b] += x
                            q[b] += x * x
                        }
                    }
                }
            }
        }
        self.sum = sum
        sumSquares = sq
    }
}

/// Runs `work(i)` for `i in 0..<count` on `jobs` threads and hands the results to the
/// caller's thread in index order. At most `2 * jobs` results wait in the reorder
/// buffer: a worker whose index is that far ahead of the consumer waits.
final class OrderedPipeline<Output>: @unchecked Sendable {
    private let count: Int
    private let jobs: Int
    private let work: (Int) -> Output
    private let condition = NSCondition()
    private var ready: [Int: Output] = [:]
    private var nextIndex = 0
    private var consumed = 0
    private var stopped = false

    init(count: Int, jobs: Int, work: @escaping (Int) -> Output) {
        self.count = count
        self.jobs = max(1, jobs)
        self.work = work
    }

    /// Calls `consume(i, output)` for every index in order on this thread. If `consume`
    /// throws, the workers stop and the error is rethrown.
    func run(_ consume: (Int, Output) throws -> Void) throws {
        let capacity = 2 * jobs
        let group = DispatchGroup()
        for _ in 0 ..< min(jobs, count) {
            group.enter()
            let thread = Thread { [self] in
                while true {
                    condition.lock()
                    while !stopped && nextIndex < count && nextIndex >= consumed + capacity { condition.wait() }
                    if stopped || nextIndex >= count { condition.unlock(); break }
                    let i = nextIndex
                    nextIndex += 1
                    condition.unlock()
                    let output = work(i)
                    condition.lock()
                    ready[i] = output
                    condition.broadcast()
                    condition.unlock()
                }
                group.leave()
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
        defer {
            condition.lock(); stopped = true; condition.broadcast(); condition.unlock()
            group.wait()
        }
        for i in 0 ..< count {
            condition.lock()
            while ready[i] == nil { condition.wait() }
            let output = ready.removeValue(forKey: i)!
            consumed = i + 1
            condition.broadcast()
            condition.unlock()
            try consume(i, output)
        }
    }
}
