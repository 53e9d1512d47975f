import FileOutput
import Foundation
import HDF5

/// `melcnn merge PART... --out dataset.h5`: the part files of `prepare --shard I/N`
/// (I = 0..<N) -> the data set one `prepare` over all inputs writes.
///
/// Tracks are put back in input order, `/mels` is copied row for row (the same float32
/// values, chunked and compressed as `prepare` does), classes and splits are assigned over
/// all tracks by the same code as `prepare` (the stratified split depends on every written
/// track, so parts cannot assign it), the training-split statistics are merged from the
/// per-track counts, means and M2 with the parallel variance formula (Chan et al. 1979),
/// and the skipped lists are joined (discovery entries once, then failures in input order).
/// Parts of different runs (other parameters, inputs, N) or an incomplete set are refused.
public enum DatasetMerge {
    /// Root attributes that differ between the parts of one run.
    static let partAttributes: Set<String> = ["shard_index"]
    /// Root attributes of a part that a data set does not have.
    static let partOnlyAttributes: Set<String> = ["format", "shard_index", "shard_count", "input_count", "input_digest",
                                                  "compression", "split_fractions"]

    public static func merge(parts paths: [String], output: String,
                             onEvent: ((PrepareEvent) -> Void)? = nil) throws -> PrepareSummary {
        let start = Date()
        guard !paths.isEmpty else { throw ParameterError("parts", ": no part files given") }
        for path in paths where isSameFile(path, output) {
            throw ParameterError("output", ": \(output) is the part \(path); choose another output")
        }
        var parts: [Part] = []
        defer { for part in parts { part.file.close() } }
        for path in paths { parts.append(try Part(path)) }

        // 1. One run, every shard once.
        let first = parts[0]
        for part in parts.dropFirst() {
            for name in Set(first.attributes.keys).union(part.attributes.keys).sorted() where !partAttributes.contains(name) {
                let a = first.attributes[name], b = part.attributes[name]
                guard a == b else {
                    throw DataError.unusableInput(path: part.path, reason: "attribute \(name) is \(b.map { "\($0)" } ?? "missing") but "
                        + "\(a.map { "\($0)" } ?? "missing") in \(first.path): the parts come from different prepare runs")
                }
            }
        }
        let count = first.shardCount
        guard parts.count == count else {
            throw ParameterError("parts", ": the parts are of `shard` I/\(count) but \(parts.count) were given; pass all \(count)")
        }
        parts.sort { $0.shardIndex < $1.shardIndex }
        for k in parts.indices.dropFirst() where parts[k - 1].shardIndex == parts[k].shardIndex {
            throw ParameterError("parts", ": \(parts[k - 1].path) and \(parts[k].path) are both part \(parts[k].shardIndex)/\(count)")
        }

        // 2. Tracks in input order, classes, splits.
        var order: [(part: Int, track: Int)] = []
        for (p, part) in parts.enumerated() { order += part.inputs.indices.map { (p, $0) } }
        order.sort { parts[$0.part].inputs[$0.track] < parts[$1.part].inputs[$1.track] }
        guard !order.isEmpty else {
            throw DataError.noTracks("\(first.path): none of the \(first.inputCount) inputs of the parts could be read")
        }
        // A tagged set's classes are its tags and a track's label its first tag (sorted), as in `prepare`.
        let trackTags: [[String]]? = first.trackTags == nil ? nil : order.map { parts[$0.part].trackTags![$0.track] }
        let names = trackTags ?? order.map { [parts[$0.part].labels[$0.track]] }
        let classes = Array(Set(names.joined())).sorted()
        let classIndex = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, $0) })
        let known = trackTags == nil ? Set(parts.flatMap(\.skippedLabels).filter { !$0.isEmpty }) : Set(parts.flatMap(\.tagNames))
        for empty in known.subtracting(classes).sorted() {
            onEvent?(.warning("\(trackTags == nil ? "class" : "tag") \(empty) dropped: none of its files could be used (see the skipped files)"))
        }
        let labels = names.map { classIndex[$0[0]]! }
        var options = PrepareOptions(seed: UInt64(bitPattern: first.seed))
        if let f = first.splitFractions { options.split = .fractions(train: f[0], validation: f[1], test: f[2]) }
        let assigned: [TrainingTracks.Split]? = first.assignedSplits == nil ? nil
            : order.map { parts[$0.part].assignedSplits![$0.track] }
        let splits = DatasetPreparer.assignSplits(labels: labels, classCount: classes.count, options: options, assigned: assigned)
        guard splits.count == order.count else {
            throw DataError.unusableInput(path: first.path, reason: "attribute split_fractions or tracks/split is missing")
        }

        var skipped = first.skipped.filter { $0.input < 0 }.map { (path: $0.path, reason: $0.reason) }
        skipped += parts.flatMap(\.skipped).filter { $0.input >= 0 }.sorted { $0.input < $1.input }
            .map { (path: $0.path, reason: $0.reason) }

        // 3. /mels in input order; moments of the training split merged.
        var moments = MomentAccumulator(bins: first.nMels)
        var offsets: [Int] = [], frames: [Int] = []
        try H5File.createAtomically(output) { file in
            let mels = try MelDataset.createMels(file, nMels: first.nMels, compressionLevel: first.compression)
            let appender = try H5ParallelAppender<Float>(dataset: mels, inFlight: 4)
            defer { appender.waitForBackgroundWrites() }
            for (k, (p, t)) in order.enumerated() {
                let part = parts[p]
                let rows = part.offsets[t] ..< part.offsets[t] + part.frames[t]
                offsets.append(appender.rows)
                frames.append(rows.count)
                try appender.append(try part.mels.readRows(rows, as: Float.self))
                if splits[k] == .train {
                    moments.add(count: rows.count, mean: try part.mean.readRows(t ..< t + 1), m2: try part.m2.readRows(t ..< t + 1))
                }
                onEvent?(.progress(done: k + 1, total: order.count))
            }
            try appender.finish()
            guard moments.count > 0 else {
                throw DataError.noTracks("\(first.path): the training split is empty; use more files or a larger train fraction")
            }
            try MelDataset.writeIndex(file, classes: classes, paths: order.map { parts[$0.part].paths[$0.track] },
                                           labels: labels, splits: splits, offsets: offsets, frames: frames,
                                           mean: moments.mean, std: moments.std, skipped: skipped)
            if let trackTags { try MelDataset.writeTags(file, classes: classes, trackTags: trackTags) }
            for (name, value) in first.attributes.sorted(by: { $0.key < $1.key }) where !partOnlyAttributes.contains(name) {
                try write(value, name, to: file.attributes)
            }
            try file.attributes.write("format", MelDataset.format)
        }
        let perSplit = TrainingTracks.Split.allCases.map { s in splits.filter { $0 == s }.count }
        return PrepareSummary(output: output, classes: classes, tracksPerSplit: perSplit, frames: frames.reduce(0, +),
                              skipped: skipped, seconds: Date().timeIntervalSince(start), tagged: trackTags != nil)
    }

    static func write(_ value: H5AttributeValue, _ name: String, to a: H5Attributes) throws {
        switch value {
        case .int(let v): try a.write(name, v)
        case .double(let v): try a.write(name, v)
        case .string(let v): try a.write(name, v)
        case .ints(let v): try a.write(name, v)
        case .doubles(let v): try a.write(name, v)
        case .strings(let v): try a.write(name, v)
        case .unsupported: break
        }
    }

    /// One part file, its attributes and index read and checked.
    final class Part {
        let path: String
        let file: H5File
        let attributes: [String: H5AttributeValue]
        let shardIndex: Int, shardCount: Int, inputCount: Int, nMels: Int, compression: Int
        let seed: Int64
        let splitFractions: [Double]?
        let mels: H5Dataset, mean: H5Dataset, m2: H5Dataset
        let paths: [String], labels: [String]
        let inputs: [Int], offsets: [Int], frames: [Int]
        let assignedSplits: [TrainingTracks.Split]?
        let skipped: [(path: String, reason: String, input: Int)]
        let skippedLabels: [String]
        /// A tagged part's vocabulary (`/tags/names`, every tag of its inputs) and each track's tags (sorted); nil and [] untagged.
        let tagNames: [String]
        let trackTags: [[String]]?

        init(_ path: String) throws {
            guard FileManager.default.fileExists(atPath: path) else { throw DataError.missingInput(path: path, what: "part file") }
            self.path = path
            let file = try H5File.open(path)
            self.file = file
            do {
                let a = file.attributes
                let format = (try? a.readString("format")) ?? "none"
                guard format == DatasetPart.format else {
                    throw DataError.unusableInput(path: path, reason: "not a part of a sharded prepare (format \(format))")
                }
                var attributes: [String: H5AttributeValue] = [:]
                for name in try a.names() { attributes[name] = try a.value(name) }
                self.attributes = attributes
                func int(_ name: String, _ range: ClosedRange<Int>) throws -> Int {
                    guard case let .int(v)? = attributes[name], range.contains(Int(v)) else {
                        throw DataError.unusableInput(path: path, reason: "attribute \(name) is missing or out of range \(range)")
                    }
                    return Int(v)
                }
                shardCount = try int("shard_count", 1 ... 1 << 20)
                shardIndex = try int("shard_index", 0 ... shardCount - 1)
                inputCount = try int("input_count", 1 ... Int(Int32.max))
                nMels = try int("n_mels", 1 ... 4096)
                compression = try int("compression", 0 ... 9)
                guard case let .int(seed)? = attributes["seed"] else {
                    throw DataError.unusableInput(path: path, reason: "attribute seed is missing")
                }
                self.seed = seed
                if case let .doubles(f)? = attributes["split_fractions"], f.count == 3 { splitFractions = f } else { splitFractions = nil }

                mels = try file.openDataset("mels", chunkCacheBytes: 4 << 20)
                let rows = try mels.shape
                guard rows.count == 2, rows[1] == nMels else {
                    throw DataError.unusableInput(path: path, reason: "/mels has shape \(rows), expected [frames, \(nMels)]")
                }
                paths = try file.openDataset("tracks/path").readStrings()
                labels = try file.openDataset("tracks/label_name").readStrings()
                inputs = (try file.openDataset("tracks/input").read(as: Int64.self)).map { Int($0) }
                offsets = (try file.openDataset("tracks/offset").read(as: Int64.self)).map { Int($0) }
                frames = (try file.openDataset("tracks/frames").read(as: Int32.self)).map { Int($0) }
                mean = try file.openDataset("tracks/mean")
                m2 = try file.openDataset("tracks/m2")
                let n = paths.count
                guard labels.count == n, inputs.count == n, offsets.count == n, frames.count == n,
                      try mean.shape == [n, nMels], try m2.shape == [n, nMels] else {
                    throw DataError.unusableInput(path: path, reason: "the tracks/ datasets have different lengths")
                }
                for k in 0 ..< n {
                    guard inputs[k] >= 0, inputs[k] < inputCount, inputs[k] % shardCount == shardIndex,
                          k == 0 || inputs[k] > inputs[k - 1] else {
                        throw DataError.unusableInput(path: path, reason: "tracks/input[\(k)] = \(inputs[k]) is not an input of part \(shardIndex)/\(shardCount)")
                    }
                    guard frames[k] > 0, offsets[k] >= 0, offsets[k] <= rows[0] - frames[k] else {
                        throw DataError.unusableInput(path: path, reason: "track \(k): offset \(offsets[k]) + frames \(frames[k]) outside /mels (\(rows[0]) rows)")
                    }
                }
                if try file.exists("tracks/split") {
                    let codes = try file.openDataset("tracks/split").read(as: UInt8.self)
                    let splits = codes.compactMap { TrainingTracks.Split(rawValue: $0) }
                    guard splits.count == n, codes.count == n else {
                        throw DataError.unusableInput(path: path, reason: "tracks/split has a bad length or a code above 2")
                    }
                    assignedSplits = splits
                } else {
                    assignedSplits = nil
                }
                let taggedVersion = attributes["version"] == .int(MelDataset.taggedVersion)
                guard try file.exists("tracks/tags") == taggedVersion, try file.exists("tags/names") == taggedVersion else {
                    throw DataError.unusableInput(path: path, reason: "a part of version \(MelDataset.taggedVersion) needs /tags/names "
                        + "and /tracks/tags, and only such a part has them")
                }
                if taggedVersion {
                    let vocabulary = try file.openDataset("tags/names").readStrings()
                    let matrix = try file.openDataset("tracks/tags")
                    let v = vocabulary.count
                    guard Set(vocabulary).count == v, vocabulary == vocabulary.sorted(), try matrix.shape == [n, v] else {
                        throw DataError.unusableInput(path: path, reason: "/tags/names is not sorted and distinct or /tracks/tags is not [\(n), \(v)]")
                    }
                    let cells = try matrix.read(as: UInt8.self)
                    var rows: [[String]] = []
                    for k in 0 ..< n {
                        let row = (0 ..< v).filter { cells[k * v + $0] != 0 }
                        guard !row.isEmpty, (0 ..< v).allSatisfy({ cells[k * v + $0] <= 1 }) else {
                            throw DataError.unusableInput(path: path, reason: "/tracks/tags row \(k) has no tag or a value other than 0 and 1")
                        }
                        rows.append(row.map { vocabulary[$0] })
                    }
                    tagNames = vocabulary
                    trackTags = rows
                } else {
                    tagNames = []
                    trackTags = nil
                }
                let skippedPaths = try file.openDataset("skipped/path").readStrings()
                let reasons = try file.openDataset("skipped/reason").readStrings()
                let skippedInputs = try file.openDataset("skipped/input").read(as: Int64.self)
                skippedLabels = try file.openDataset("skipped/label").readStrings()
                let (total, count, index) = (inputCount, shardCount, shardIndex)
                guard reasons.count == skippedPaths.count, skippedInputs.count == skippedPaths.count,
                      skippedLabels.count == skippedPaths.count,
                      skippedInputs.allSatisfy({ $0 < 0 || (Int($0) < total && Int($0) % count == index) }) else {
                    throw DataError.unusableInput(path: path, reason: "the skipped/ datasets have different lengths or bad input indices")
                }
                skipped = skippedPaths.indices.map { (skippedPaths[$0], reasons[$0], Int(skippedInputs[$0])) }
            } catch {
                file.close()
                throw error
            }
        }
    }
}
