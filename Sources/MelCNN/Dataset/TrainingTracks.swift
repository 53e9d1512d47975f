import DSP
import Foundation
import HDF5

/// The tracks of some splits of a dataset.h5, standardised per mel bin with the data
/// set's training statistics (`/stats/mean`, `/stats/std`): what the trainer, evaluator
/// and embedder read patches from.
///
/// Two storages give the same patches bit for bit: `memory` reads the tracks once and
/// holds them standardised in `mels`; `stream` keeps the file open and reads each
/// patch's row range from `/mels` (a hyperslab read through HDF5's chunk cache), so
/// memory stays bounded whatever the size of the data set (`mels` is then empty).
public struct TrainingTracks: Sendable {
    public enum Split: UInt8, CaseIterable, Sendable {
        case train = 0, validation = 1, test = 2
        public var name: String { ["train", "validation", "test"][Int(rawValue)] }
        public init?(name: String) {
            guard let s = Self.allCases.first(where: { $0.name == name || (name == "val" && $0 == .validation) }) else { return nil }
            self = s
        }
    }

    public var path: String
    public var classes: [String]
    public var nMels: Int
    /// The log-mel parameters the tracks were computed with (the root attributes).
    public var logMel: LogMelParameters
    public var mean: [Float]
    public var std: [Float]
    /// Per held track (only the splits asked for, in file order).
    public var paths: [String]
    public var labels: [Int]
    public var splits: [Split]
    /// Tag names of a multi-label data set (`/tags/names`, the same as `classes`); empty for
    /// a single-label one.
    public var tagNames: [String] = []
    /// The held tracks' tags, row-major `[count x tagNames.count]`, 1 where the track has the tag.
    public var tagMatrix: [UInt8] = []
    /// True for a multi-label (tagging) data set.
    public var isTagged: Bool { !tagNames.isEmpty }
    /// Regression targets of a factor data set (`/tracks/targets`, prepared with `--targets`),
    /// row-major `[count x classes.count]` (`classes` then name the factors); empty otherwise.
    public var targetMatrix: [Float] = []
    /// True for a factor-regression data set.
    public var isRegression: Bool { hasTargets }
    /// Set when the file has `/tracks/targets` (also when no track of the wanted splits is held).
    public var hasTargets = false
    /// Row `track` of `targetMatrix`.
    public func targets(of track: Int) -> ArraySlice<Float> { targetMatrix[track * classes.count ..< (track + 1) * classes.count] }
    /// Row `track` of `tagMatrix`.
    public func tags(of track: Int) -> ArraySlice<UInt8> { tagMatrix[track * tagNames.count ..< (track + 1) * tagNames.count] }
    /// Standardised log-mels of each track, `[frames x nMels]` row-major (in memory);
    /// empty when the tracks are streamed from the file.
    public var mels: [[Float]]
    /// The open `/mels` of a streamed data set (nil in memory).
    var reader: MelRowReader?

    public var count: Int { paths.count }
    public func frames(_ track: Int) -> Int { reader?.frames[track] ?? mels[track].count / nMels }
    /// True when patches are read from the file rather than from `mels`.
    public var isStreaming: Bool { reader != nil }
    /// Rows of `/mels` read so far by a streamed data set (0 in memory).
    public var rowsRead: Int { reader?.rowsRead ?? 0 }
    /// Indices of the held tracks of `split`.
    public func tracks(in split: Split) -> [Int] { splits.indices.filter { splits[$0] == split } }

    /// In-memory tracks (tests, or audio files turned into log-mels by the caller).
    public init(path: String, classes: [String], nMels: Int, logMel: LogMelParameters, mean: [Float], std: [Float],
                paths: [String], labels: [Int], splits: [Split], mels: [[Float]]) {
        self.path = path
        self.classes = classes
        self.nMels = nMels
        self.logMel = logMel
        self.mean = mean
        self.std = std
        self.paths = paths
        self.labels = labels
        self.splits = splits
        self.mels = mels
        reader = nil
    }

    init(path: String, classes: [String], nMels: Int, logMel: LogMelParameters, mean: [Float], std: [Float], reader: MelRowReader?) {
        self.init(path: path, classes: classes, nMels: nMels, logMel: logMel, mean: mean, std: std,
                  paths: [], labels: [], splits: [], mels: [])
        self.reader = reader
    }

    /// Opens the tracks of `splits` of dataset.h5, standardised with the file's statistics or,
    /// with `normalizer`, with those (a checkpoint's). `storage` chooses between reading them
    /// into memory and streaming patches from the file (`.auto`: memory when the selected
    /// tracks' log-mels fit in `memoryBudget` bytes, streaming otherwise).
    public static func load(path: String, splits wanted: Set<Split> = Set(Split.allCases),
                            normalizer: (mean: [Float], std: [Float])? = nil,
                            storage: TrackStorage = .auto, memoryBudget: Int = DataConfig.defaultMemoryBudget) throws -> TrainingTracks {
        let file = try MelDataset.open(path)
        var keepOpen = false // a streamed data set's reader owns the file
        defer { if !keepOpen { file.close() } }
        let logMel = try LogMelParameters.read(from: file.attributes, path: path)
        let classes = try file.openDataset("classes").readStrings()
        let trackPaths = try file.openDataset("tracks/path").readStrings()
        let labels: [Int32] = try file.openDataset("tracks/label").read()
        let splitCodes: [UInt8] = try file.openDataset("tracks/split").read()
        let offsets: [Int64] = try file.openDataset("tracks/offset").read()
        let frames: [Int32] = try file.openDataset("tracks/frames").read()
        let (tagNames, tagMatrix) = try MelDataset.readTags(file, path: path, classes: classes, tracks: trackPaths.count)
        let targetMatrix = try MelDataset.readTargets(file, path: path, classes: classes, tracks: trackPaths.count)
        var melsSet = try file.openDataset("mels")
        let shape = try melsSet.shape
        guard shape.count == 2, [labels.count, splitCodes.count, offsets.count, frames.count].allSatisfy({ $0 == trackPaths.count }) else {
            throw MelCNNError.invalidFile(path: path, reason: "/mels is not 2-D or /tracks/* have different lengths")
        }
        // The shape against the bytes stored for /mels, before it sizes anything.
        _ = try melsSet.checkedCount()
        let nMels = shape[1]
        guard nMels > 0 else { throw MelCNNError.invalidFile(path: path, reason: "/mels has 0 mel bins") }
        let mean: [Float], std: [Float]
        if let normalizer {
            (mean, std) = normalizer
        } else {
            mean = try file.openDataset("stats/mean").read()
            std = try file.openDataset("stats/std").read()
            try FileValueChecks.requireFinite(mean, path: path, object: "/stats/mean")
            try FileValueChecks.requirePositiveStd(std, path: path, object: "/stats/std")
        }
        guard mean.count == nMels, std.count == nMels else {
            throw MelCNNError.invalidFile(path: path, reason: "the normaliser has \(mean.count) means and \(std.count) stds, /mels has \(nMels) bins")
        }
        let scale = standardisingScale(std)
        var selected: [Int] = []
        var totalFrames = 0 // of every track, which melcnn writes one after another
        for t in trackPaths.indices {
            let start = Int(offsets[t]), n = Int(frames[t])
            guard start >= 0, n >= 0, try FileValueChecks.add(start, n, path: path, what: "/tracks/offset + /tracks/frames of track \(t)") <= shape[0],
                  Int(labels[t]) < classes.count, labels[t] >= 0, Split(rawValue: splitCodes[t]) != nil else {
                throw MelCNNError.invalidFile(path: path, reason: "track \(t) (\(trackPaths[t])) points outside /mels or /classes or has an unknown split")
            }
            totalFrames = try FileValueChecks.add(totalFrames, n, path: path, what: "the sum of /tracks/frames")
            if wanted.contains(Split(rawValue: splitCodes[t])!) { selected.append(t) }
        }
        guard totalFrames <= shape[0] else {
            throw MelCNNError.invalidFile(path: path, reason: "/tracks/frames add up to \(totalFrames) rows but /mels has \(shape[0])")
        }
        // No two tracks share rows of /mels.
        let byOffset = trackPaths.indices.filter { frames[$0] > 0 }.sorted { offsets[$0] < offsets[$1] }
        for (a, b) in zip(byOffset, byOffset.dropFirst()) where Int(offsets[a]) + Int(frames[a]) > Int(offsets[b]) {
            throw MelCNNError.invalidFile(path: path, reason: "tracks \(a) and \(b) overlap in /mels (damaged /tracks/offset?)")
        }
        // Bounded by /mels, whose shape was checked against the file.
        let bytes = selected.reduce(0) { $0 + Int(frames[$1]) } * nMels * MemoryLayout<Float>.size
        let streaming = storage == .stream || (storage == .auto && bytes > memoryBudget)
        var out: TrainingTracks
        if streaming {
            // Decompressed chunks are cached up to the budget (or the whole /mels if smaller).
            // HDF5 shares one chunk cache among a dataset's open handles, sized at the
            // first open: close the handle used for the shape first.
            melsSet.close()
            melsSet = try file.openDataset("mels", chunkCacheBytes: min(max(memoryBudget, 1 << 20), shape[0] * nMels * 4))
            let reader = MelRowReader(file: file, dataset: melsSet, nMels: nMels, mean: mean, scale: scale,
                                      offsets: selected.map { Int(offsets[$0]) }, frames: selected.map { Int(frames[$0]) })
            out = TrainingTracks(path: path, classes: classes, nMels: nMels, logMel: logMel, mean: mean, std: std, reader: reader)
            keepOpen = true
        } else {
            out = TrainingTracks(path: path, classes: classes, nMels: nMels, logMel: logMel, mean: mean, std: std,
                                 paths: [], labels: [], splits: [], mels: [])
        }
        out.tagNames = tagNames
        out.hasTargets = targetMatrix != nil
        for t in selected {
            if !tagNames.isEmpty { out.tagMatrix += tagMatrix[t * tagNames.count ..< (t + 1) * tagNames.count] }
            if let targetMatrix { out.targetMatrix += targetMatrix[t * classes.count ..< (t + 1) * classes.count] }
            if !streaming {
                let start = Int(offsets[t]), n = Int(frames[t])
                var rows: [Float] = n > 0 ? try melsSet.readRows(start ..< start + n) : []
                try FileValueChecks.requireFinite(rows, path: path, object: "/mels rows \(start)..<\(start + n) (\(trackPaths[t]))")
                for i in 0 ..< n { for b in 0 ..< nMels { rows[i * nMels + b] = (rows[i * nMels + b] - mean[b]) * scale[b] } }
                out.mels.append(rows)
            }
            out.paths.append(trackPaths[t])
            out.labels.append(Int(labels[t]))
            out.splits.append(Split(rawValue: splitCodes[t])!)
        }
        return out
    }

    /// `1 / std` per bin (std floored at 1e-5), the factor both storages standardise with.
    static func standardisingScale(_ std: [Float]) -> [Float] { std.map { 1 / max($0, 1e-5) } }

    /// The first error a streamed data set met while reading patches (their rows then read
    /// as zeros), thrown here; nothing in memory. `BatchStream.next()` and `GenreCNN.predict`
    /// call it after their reads, so that no caller needs to.
    func throwReadError() throws {
        guard let error = reader?.firstError else { return }
        if let error = error as? MelCNNError { throw error }
        throw MelCNNError.invalidFile(path: path, reason: "reading /mels: \(error)")
    }

    /// Writes patch `[nMels x patchFrames]` (channels first, the network's input layout) of
    /// `track` starting at frame `start` into `out` at `offset`; frames past the end are 0.
    public func copyPatch(track: Int, start: Int, patchFrames: Int, into out: inout [Float], at offset: Int) {
        if let reader {
            reader.copyPatch(track: track, start: start, patchFrames: patchFrames, into: &out, at: offset)
            return
        }
        let rows = mels[track]
        let n = rows.count / nMels
        rows.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for f in 0 ..< patchFrames {
                    let srcFrame = start + f
                    if srcFrame < n {
                        for b in 0 ..< nMels { dst[offset + b * patchFrames + f] = src[srcFrame * nMels + b] }
                    } else {
                        for b in 0 ..< nMels { dst[offset + b * patchFrames + f] = 0 }
                    }
                }
            }
        }
    }

    /// Start frames of the evaluation patches of `track`: every `hop` frames, plus one
    /// ending at the last frame so the whole track is covered; `[0]` for short tracks.
    public func evaluationStarts(track: Int, patchFrames: Int, hop: Int) -> [Int] {
        let n = frames(track)
        guard n > patchFrames else { return [0] }
        var starts = Array(stride(from: 0, through: n - patchFrames, by: hop))
        if starts.last != n - patchFrames { starts.append(n - patchFrames) }
        return starts
    }
}
