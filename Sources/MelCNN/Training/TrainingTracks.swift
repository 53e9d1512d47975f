import Foundation
import HDF5

/// The tracks of some splits of a dataset.h5, held in memory and standardised per mel
/// bin with the data set's training statistics (`/stats/mean`, `/stats/std`): what the
/// trainer, evaluator and embedder read patches from.
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
    /// DSP parameters from the root attributes, by attribute name.
    public var dsp: [String: Double]
    public var mean: [Float]
    public var std: [Float]
    /// Per held track (only the splits asked for, in file order).
    public var paths: [String]
    public var labels: [Int]
    public var splits: [Split]
    /// Standardised log-mels of each track, `[frames x nMels]` row-major.
    public var mels: [[Float]]

    public var count: Int { paths.count }
    public func frames(_ track: Int) -> Int { mels[track].count / nMels }
    /// Indices of the held tracks of `split`.
    public func tracks(in split: Split) -> [Int] { splits.indices.filter { splits[$0] == split } }

    /// In-memory tracks (tests, or audio files turned into log-mels by the caller).
    public init(path: String, classes: [String], nMels: Int, dsp: [String: Double], mean: [Float], std: [Float],
                paths: [String], labels: [Int], splits: [Split], mels: [[Float]]) {
        self.path = path
        self.classes = classes
        self.nMels = nMels
        self.dsp = dsp
        self.mean = mean
        self.std = std
        self.paths = paths
        self.labels = labels
        self.splits = splits
        self.mels = mels
    }

    /// The DSP attribute names of dataset.h5 (DESIGN.md).
    public static let dspAttributeNames = ["sample_rate", "n_fft", "hop_length", "n_mels", "fmin", "fmax", "power", "top_db"]

    /// The DSP parameters of a dataset.h5 (its root attributes), without reading the tracks.
    public static func dspParameters(path: String) throws -> [String: Double] {
        guard FileManager.default.fileExists(atPath: path) else { throw MelCNNError.missingFile(path: path, what: "data set") }
        let file = try H5File.open(path)
        defer { file.close() }
        guard (try? file.attributes.readString("format")) == "melcnn-dataset" else {
            throw MelCNNError.wrongFileKind(path: path, expected: "melcnn-dataset")
        }
        return readDSP(file)
    }

    static func readDSP(_ file: H5File) -> [String: Double] {
        var dsp: [String: Double] = [:]
        for name in dspAttributeNames {
            switch try? file.attributes.value(name) {
            case .int(let v)?: dsp[name] = Double(v)
            case .double(let v)?: dsp[name] = v
            default: break
            }
        }
        return dsp
    }

    /// Reads the tracks of `splits` from dataset.h5 and standardises them.
    /// With `normalizer`, those statistics are used instead of the file's (a checkpoint's).
    public static func load(path: String, splits wanted: Set<Split> = Set(Split.allCases),
                            normalizer: (mean: [Float], std: [Float])? = nil) throws -> TrainingTracks {
        guard FileManager.default.fileExists(atPath: path) else { throw MelCNNError.missingFile(path: path, what: "data set") }
        let file = try H5File.open(path)
        defer { file.close() }
        guard (try? file.attributes.readString("format")) == "melcnn-dataset" else {
            throw MelCNNError.wrongFileKind(path: path, expected: "melcnn-dataset")
        }
        let dsp = readDSP(file)
        let classes = try file.openDataset("classes").readStrings()
        let trackPaths = try file.openDataset("tracks/path").readStrings()
        let labels: [Int32] = try file.openDataset("tracks/label").read()
        let splitCodes: [UInt8] = try file.openDataset("tracks/split").read()
        let offsets: [Int64] = try file.openDataset("tracks/offset").read()
        let frames: [Int32] = try file.openDataset("tracks/frames").read()
        let melsSet = try file.openDataset("mels")
        let shape = try melsSet.shape
        guard shape.count == 2, [labels.count, splitCodes.count, offsets.count, frames.count].allSatisfy({ $0 == trackPaths.count }) else {
            throw MelCNNError.invalidFile(path: path, reason: "/mels is not 2-D or /tracks/* have different lengths")
        }
        let nMels = shape[1]
        let mean: [Float], std: [Float]
        if let normalizer {
            (mean, std) = normalizer
        } else {
            mean = try file.openDataset("stats/mean").read()
            std = try file.openDataset("stats/std").read()
        }
        guard mean.count == nMels, std.count == nMels else {
            throw MelCNNError.invalidFile(path: path, reason: "normaliser has \(mean.count) bins, /mels has \(nMels)")
        }
        let scale = std.map { 1 / max($0, 1e-5) }
        var out = TrainingTracks(path: path, classes: classes, nMels: nMels, dsp: dsp, mean: mean, std: std,
                                 paths: [], labels: [], splits: [], mels: [])
        for t in trackPaths.indices {
            guard let split = Split(rawValue: splitCodes[t]), wanted.contains(split) else { continue }
            let start = Int(offsets[t]), n = Int(frames[t])
            guard start >= 0, n >= 0, start + n <= shape[0], Int(labels[t]) < classes.count, labels[t] >= 0 else {
                throw MelCNNError.invalidFile(path: path, reason: "track \(t) (\(trackPaths[t])) points outside /mels or /classes")
            }
            var rows: [Float] = n > 0 ? try melsSet.readRows(start ..< start + n) : []
            for i in 0 ..< n { for b in 0 ..< nMels { rows[i * nMels + b] = (rows[i * nMels + b] - mean[b]) * scale[b] } }
            out.paths.append(trackPaths[t])
            out.labels.append(Int(labels[t]))
            out.splits.append(split)
            out.mels.append(rows)
        }
        return out
    }

    /// Writes patch `[nMels x patchFrames]` (channels first, the network's input layout) of
    /// `track` starting at frame `start` into `out` at `offset`; frames past the end are 0.
    public func copyPatch(track: Int, start: Int, patchFrames: Int, into out: inout [Float], at offset: Int) {
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
