import Foundation
import HDF5

extension DatasetPreparer {
    /// Steps 3 and 4 of `prepare` (a whole data set, not a part): the classes of the tracks
    /// written (a class whose every file was skipped is dropped with a warning; a tagged set's
    /// classes are its tags and a track's label its first tag), the split, the per-bin
    /// statistics of the training split, then the index, tags, groups, targets and attributes.
    /// Returns the class names stored and the number of tracks in each split (train,
    /// validation, test).
    static func writeIndex(_ file: H5File, _ extraction: Extraction, inputs: [LabelledFile],
                           assigned: [String: TrainingTracks.Split]?, audioDirectory: String, options: PrepareOptions,
                           onEvent: ((PrepareEvent) -> Void)?) throws -> (classes: [String], tracksPerSplit: [Int]) {
        let written = extraction.written
        guard !written.isEmpty else { throw DataError.noTracks("\(audioDirectory): none of the \(inputs.count) audio files could be read") }
        let tagged = inputs.contains { $0.tags != nil }
        let names: (LabelledFile) -> [String] = { tagged ? ($0.tags ?? []) : [$0.label] }
        let classes = Array(Set(written.flatMap { names(inputs[$0.input]) })).sorted()
        for empty in Set(inputs.flatMap(names)).subtracting(classes).sorted() {
            onEvent?(.warning("\(tagged ? "tag" : "class") \(empty) dropped: none of its files could be used (see the skipped files)"))
        }
        let classIndex = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, $0) })

        // 3. Split, then statistics over the training split.
        let labels = written.map { classIndex[names(inputs[$0.input])[0]]! }
        let splits = assignSplits(labels: labels, classCount: classes.count, options: options,
                                  assigned: assigned.map { a in written.map { a[inputs[$0.input].path]! } })
        let (mean, std) = try trainingStatistics(written, splits: splits, nMels: options.data.logMel.nMels, audioDirectory: audioDirectory)
        let tracksPerSplit = TrainingTracks.Split.allCases.map { split in splits.count { $0 == split } }

        // 4. Index, statistics, skipped files, attributes.
        // A factor set's splits stay stratified by the folder label; its classes name the factors (labels 0).
        try MelDataset.writeIndex(file, classes: options.targets?.names ?? classes, paths: written.map { inputs[$0.input].path },
                                  labels: options.targets == nil ? labels : [Int](repeating: 0, count: written.count), splits: splits,
                                  offsets: written.map(\.offset), frames: written.map(\.frames), mean: mean, std: std,
                                  skipped: extraction.skipped)
        if tagged {
            try MelDataset.writeTags(file, classes: classes, trackTags: written.map { inputs[$0.input].tags ?? [] })
        }
        if inputs.contains(where: { $0.group != nil }) {
            // `/tracks/group` (cross-validation groups): a file without a group is its own group.
            try file.createStringDataset("tracks/group", values: written.map { inputs[$0.input].group ?? inputs[$0.input].path })
        }
        guard let targets = options.targets else {
            try MelDataset.writeAttributes(file, options: options, version: tagged ? MelDataset.taggedVersion : MelDataset.version)
            return (classes, tracksPerSplit)
        }
        let rows = written.flatMap { targets.vector(of: targets.row(of: inputs[$0.input].path)!) }
        try file.createDataset("tracks/targets", values: rows, shape: [written.count, targets.factors])
        try MelDataset.writeAttributes(file, options: options, version: MelDataset.factorsVersion)
        try file.attributes.write("task", "factors")
        try file.attributes.write("targets", targets.source)
        return (targets.names, tracksPerSplit)
    }

    /// Per-bin mean and standard deviation of the training split's frames, from the tracks'
    /// sums. The std is floored at 1e-5, the floor readers standardise with: a constant bin
    /// (std 0) must not read as a damaged file, where std <= 0 is an error.
    static func trainingStatistics(_ written: [WrittenTrack], splits: [TrainingTracks.Split], nMels: Int,
                                   audioDirectory: String) throws -> (mean: [Double], std: [Double]) {
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
        let std = (0 ..< nMels).map { b in max(1e-5, (max(0, sq[b] / Double(n) - mean[b] * mean[b])).squareRoot()) }
        return (mean, std)
    }
}
