import Audio
import DSP
import Foundation
import FileOutput
import HDF5
import Tensor

/// `melcnn prepare`: audio folder -> dataset.h5 (layout in docs/formats.md, written through `MelDataset`).
///
/// Inputs are decoded and turned into log-mel spectrograms by `jobs` worker threads;
/// the calling thread appends them to `/mels` in input order through a reorder buffer
/// of at most `2 * jobs` finished tracks, and whole chunks of `/mels` are compressed on
/// background threads (`H5ParallelAppender`), so memory stays bounded whatever the
/// number of files and gzip does not serialise the run. Per-track sums give the per-bin mean and standard deviation of the
/// training split once the split is known. The file is written under a temporary name
/// and renamed into place at the end.
public enum DatasetPreparer {
    public static func prepare(audioDirectory: String, output: String, options: PrepareOptions = PrepareOptions(),
                               onEvent: ((PrepareEvent) -> Void)? = nil) throws -> PrepareSummary {
        let start = Date()
        Memory.keepLargeBlocksInHeap()   // each track's multi-megabyte buffers reuse the last track's
        guard options.jobs >= 1 else { throw ParameterError("jobs", ": must be at least 1, got \(options.jobs)") }
        guard (0 ... 9).contains(options.compressionLevel) else {
            throw ParameterError("compressionLevel", ": gzip level must be 0...9, got \(options.compressionLevel)")
        }
        try options.data.validate(file: "config")
        let logMel = options.data.logMel
        let extractor = try MelSpectrogramExtractor(logMel)

        // 1. Inputs and labels.
        let discovered = try discoverInputs(audioDirectory: audioDirectory, output: output, options: options, onEvent: onEvent)
        var inputs = discovered.files, skipped = discovered.skipped
        let assigned = discovered.assigned
        let tagged = inputs.contains { $0.tags != nil }
        if inputs.contains(where: { $0.group != nil }) && options.shard != nil {
            throw ParameterError("shard", ": a manifest with a group column cannot be prepared in parts yet (merge does not carry groups); prepare it in one run")
        }
        let part = options.shard.map { DatasetPart(shard: $0, inputs: inputs, assigned: assigned, discoverySkipped: skipped.count) }
        if let part { inputs = part.shardInputs }
        let nMels = logMel.nMels
        var classes: [String] = []

        // 2. Features in parallel, written in input order.
        var written: [(input: Int, offset: Int, frames: Int, sum: [Double], sumSquares: [Double])] = []
        var totalFrames = 0
        var moments = TrackMoments(bins: nMels)
        try H5File.createAtomically(output) { file in
            let mels = try MelDataset.createMels(file, nMels: nMels, compressionLevel: options.compressionLevel)
            // Chunks are compressed on background threads and stored whole (H5Dwrite_chunk),
            // so gzip no longer runs on this single writing thread.
            let appender = try H5ParallelAppender<Float>(dataset: mels, inFlight: 2 * max(1, options.jobs))
            defer { appender.waitForBackgroundWrites() }
            // Workers decode, compute the log-mels and their per-bin sums; this thread only
            // appends (chunks are compressed on background threads).
            var done = 0
            let jobInputs = inputs
            try WorkerPool.forEachInOrder(count: inputs.count, jobs: options.jobs, work: { i in
                Result {
                    let path = AudioDiscovery.resolve(jobInputs[i].path, directory: audioDirectory)
                    // Streamed: a track costs a constant plus its log-mel, not its signal.
                    return TrackFeatures(try extractor.logMelSpectrogram(file: path, sampleRate: logMel.sampleRate, topDB: logMel.topDB))
                }
            }) { i, result in
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
            try MelDataset.writeIndex(file, classes: options.targets?.names ?? classes, paths: written.map { inputs[$0.input].path },
                           labels: options.targets == nil ? labels : [Int](repeating: 0, count: written.count), splits: splits,
                           offsets: written.map(\.offset), frames: written.map(\.frames), mean: mean, std: std, skipped: skipped)
            if tagged {
                try MelDataset.writeTags(file, classes: classes, trackTags: written.map { inputs[$0.input].tags ?? [] })
            }
            if inputs.contains(where: { $0.group != nil }) {
                // `/tracks/group` (cross-validation groups): a file without a group is its own group.
                try file.createStringDataset("tracks/group", values: written.map { inputs[$0.input].group ?? inputs[$0.input].path })
            }
            if let targets = options.targets {
                let rows = written.flatMap { targets.vector(of: targets.row(of: inputs[$0.input].path)!) }
                try file.createDataset("tracks/targets", values: rows, shape: [written.count, targets.factors])
                try MelDataset.writeAttributes(file, options: options, version: MelDataset.factorsVersion)
                try file.attributes.write("task", "factors")
                try file.attributes.write("targets", targets.source)
                classes = targets.names
            } else {
                try MelDataset.writeAttributes(file, options: options, version: tagged ? MelDataset.taggedVersion : MelDataset.version)
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


}

