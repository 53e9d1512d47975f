import FileOutput
import Foundation
import HDF5

extension DatasetPreparer {
    /// The labelled audio files of a run, the inputs skipped so far and the split given
    /// by split files or FMA's metadata (nil: the stratified split assigns it).
    struct Inputs {
        var files: [LabelledFile]
        var skipped: [(path: String, reason: String)]
        var assigned: [String: TrainingTracks.Split]?
    }

    /// Step 1 of `prepare`: the inputs and labels from FMA's metadata, a manifest or the class
    /// folders; split files applied; files without factors (`--targets`) skipped. Throws when
    /// nothing is left or an input is the output.
    static func discoverInputs(audioDirectory: String, output: String, options: PrepareOptions,
                               onEvent: ((PrepareEvent) -> Void)?) throws -> Inputs {
        var inputs: [LabelledFile]
        var skipped: [(path: String, reason: String)] = []
        if let fma = options.fma {
            if case .files = options.split { throw ParameterError("splitFiles", ": cannot be combined with `fma`") }
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
                throw ParameterError("splitFiles", ": \(missing) is listed but has no label (not in a class folder or the manifest)")
            }
            inputs = inputs.filter { map[$0.path] != nil }
            assigned = map
        }
        guard !inputs.isEmpty else {
            throw DataError.noTracks("\(audioDirectory): no audio files found (extensions: \(AudioDiscovery.audioExtensions.sorted().joined(separator: " "))"
                + (skipped.isEmpty ? ")" : "; \(skipped.count) entries skipped, each reported with its reason)"))
        }
        if let clash = inputs.first(where: { isSameFile((audioDirectory as NSString).appendingPathComponent($0.path), output) }) {
            throw ParameterError("output", ": \(output) is the input audio file \(clash.path); choose another output")
        }
        if let targets = options.targets {
            guard options.shard == nil, !inputs.contains(where: { $0.tags != nil }) else {
                throw ParameterError("targets", ": cannot be combined with `shard` or a tagged manifest")
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
        return Inputs(files: inputs, skipped: skipped, assigned: assigned)
    }
}
