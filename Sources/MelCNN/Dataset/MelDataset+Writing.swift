import DSP
import HDF5

extension MelDataset {
    /// The extendable `/mels` [frames, nMels] of a data set: 64 KiB chunks, gzip `compressionLevel`
    /// (0: none) with shuffle, and a Fletcher-32 checksum per chunk (a damaged chunk is a read error).
    static func createMels(_ file: H5File, nMels: Int, compressionLevel: Int) throws -> H5Dataset {
        let chunks = [max(1, 16384 / nMels), nMels] // 64 KiB: 128 frames of 128 mels
        return try file.createDataset("mels", of: Float.self, shape: [0, nMels], options: H5DatasetOptions(
            chunks: chunks, gzipLevel: compressionLevel > 0 ? compressionLevel : nil,
            shuffle: compressionLevel > 0, extendable: true, fletcher32: true))
    }

    /// The index of a data set (docs/formats.md): classes, per-track path/label/split/offset/frames,
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

    /// The root attributes of a data set (format, version, log-mel parameters, seed, split), shared by `prepare` and `merge`.
    static func writeAttributes(_ file: H5File, options: PrepareOptions, version: Int64 = MelDataset.version) throws {
        let data = options.data
        let a = file.attributes
        try a.write("format", format)
        try a.write("version", version)
        try a.write("creator", "melcnn 0.1.0")
        try data.logMel.write(to: a)
        try a.write("seed", Int64(bitPattern: options.seed))
        switch options.split {
        case _ where options.fma != nil: try a.write("split", options.fma!.source)
        case let .fractions(t, v, s): try a.write("split", "stratified \(t),\(v),\(s) seed \(options.seed)")
        case let .files(t, v, s): try a.write("split", "files \(t),\(v),\(s)")
        }
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
}
