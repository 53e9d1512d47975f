import Foundation
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
    /// Prepares `output` from the audio under `audioDirectory` (steps: discover the inputs,
    /// extract the log-mels into `/mels`, then the classes, split, statistics and index, or
    /// a part's index with `options.shard`). `onEvent` hears skipped files, warnings and progress.
    public static func prepare(audioDirectory: String, output: String, options: PrepareOptions = PrepareOptions(),
                               onEvent: ((PrepareEvent) -> Void)? = nil) throws -> PrepareSummary {
        let start = Date()
        Memory.keepLargeBlocksInHeap()   // each track's multi-megabyte buffers reuse the last track's
        guard options.jobs >= 1 else { throw ParameterError("jobs", ": must be at least 1, got \(options.jobs)") }
        guard (0 ... 9).contains(options.compressionLevel) else {
            throw ParameterError("compressionLevel", ": gzip level must be 0...9, got \(options.compressionLevel)")
        }
        try options.data.validate(file: "config")

        // 1. Inputs and labels.
        let discovered = try discoverInputs(audioDirectory: audioDirectory, output: output, options: options, onEvent: onEvent)
        var inputs = discovered.files
        if inputs.contains(where: { $0.group != nil }) && options.shard != nil {
            throw ParameterError("shard", ": a manifest with a group column cannot be prepared in parts yet (merge does not carry groups); prepare it in one run")
        }
        let part = options.shard.map { DatasetPart(shard: $0, inputs: inputs, assigned: discovered.assigned, discoverySkipped: discovered.skipped.count) }
        if let part { inputs = part.shardInputs }

        var extraction = Extraction(skipped: discovered.skipped, nMels: options.data.logMel.nMels)
        var classes: [String] = []
        var perSplit = [0, 0, 0]
        try H5File.createAtomically(output) { file in
            // 2. Log-mels in parallel, written in input order.
            extraction = try extract(inputs, audioDirectory: audioDirectory, into: file, options: options,
                                     keepMoments: part != nil, skipped: discovered.skipped, onEvent: onEvent)
            if let part {
                return try part.writeIndex(file, written: extraction.written.map { ($0.input, $0.offset, $0.frames) },
                                           moments: extraction.moments, skipped: extraction.skipped, options: options)
            }
            // 3, 4. Classes, split, statistics, index.
            (classes, perSplit) = try writeIndex(file, extraction, inputs: inputs, assigned: discovered.assigned,
                                                 audioDirectory: audioDirectory, options: options, onEvent: onEvent)
        }
        var summary = PrepareSummary(output: output, classes: classes, tracksPerSplit: options.shard == nil ? perSplit : [0, 0, 0],
                                     frames: extraction.totalFrames, skipped: extraction.skipped,
                                     seconds: Date().timeIntervalSince(start), shard: options.shard,
                                     partTracks: extraction.written.count, tagged: inputs.contains { $0.tags != nil })
        summary.factors = options.targets != nil
        return summary
    }
}
