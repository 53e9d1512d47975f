import DSP
import Foundation
import HDF5

/// The owner of the `dataset.h5` layout (docs/formats.md): its format name and versions,
/// opening and checking a file, the log-mel parameters of its root attributes and the
/// optional tag and target matrices. `TrainingTracks` reads tracks through it;
/// `DatasetPreparer`, `DatasetPart` and `DatasetMerge` write through `MelDataset+Writing`.
public enum MelDataset {
    /// Root attribute `format` of every data set.
    public static let format = "melcnn-dataset"
    /// The version of a single-label data set.
    public static let version: Int64 = 1
    /// The version of a multi-label data set (`/tags/names`, `/tracks/tags`): older readers,
    /// which would train one softmax on the first tags, refuse it. Single-label sets stay version 1.
    public static let taggedVersion: Int64 = 2
    /// The version of a factor data set (`/tracks/targets`, attribute `task = "factors"`).
    public static let factorsVersion: Int64 = 3
    /// The newest version this melcnn reads.
    public static let newestVersion: Int64 = factorsVersion

    /// The log-mel parameters of a dataset.h5 (its root attributes), without reading the tracks.
    public static func logMelParameters(path: String) throws -> LogMelParameters {
        let file = try open(path)
        defer { file.close() }
        return try LogMelParameters.read(from: file.attributes, path: path)
    }

    /// Opens `path` after checking it exists, is a `melcnn-dataset` file and is not of a
    /// version newer than ``newestVersion``.
    static func open(_ path: String) throws -> H5File {
        guard FileManager.default.fileExists(atPath: path) else { throw MelCNNError.missingFile(path: path, what: "data set") }
        let file = try H5File.open(path)
        guard (try? file.attributes.readString("format")) == format else {
            file.close()
            throw MelCNNError.wrongFileKind(path: path, expected: format)
        }
        if case .int(let v)? = try? file.attributes.value("version"), v > newestVersion {
            file.close()
            throw MelCNNError.invalidFile(path: path, reason: "format version \(v) is newer than this melcnn reads (\(newestVersion))")
        }
        return file
    }

    /// `/tags/names` and `/tracks/tags` of a multi-label data set, checked (names equal to
    /// `/classes`, shape `[tracks, tags]`, values 0 or 1); empty when the file has none.
    static func readTags(_ file: H5File, path: String, classes: [String], tracks: Int) throws -> ([String], [UInt8]) {
        guard try file.exists("tracks/tags") || file.exists("tags/names") else { return ([], []) }
        guard try file.exists("tracks/tags"), try file.exists("tags/names") else {
            throw MelCNNError.invalidFile(path: path, reason: "has only one of /tags/names and /tracks/tags")
        }
        let names = try file.openDataset("tags/names").readStrings()
        guard names == classes, !names.isEmpty else {
            throw MelCNNError.invalidFile(path: path, reason: "/tags/names differs from /classes or is empty")
        }
        let set = try file.openDataset("tracks/tags")
        guard try set.shape == [tracks, names.count] else {
            throw MelCNNError.invalidFile(path: path, reason: "/tracks/tags has shape \(try set.shape), expected [\(tracks), \(names.count)]")
        }
        _ = try set.checkedCount()
        let matrix: [UInt8] = try set.read()
        guard matrix.count == tracks * names.count, matrix.allSatisfy({ $0 <= 1 }) else {
            throw MelCNNError.invalidFile(path: path, reason: "/tracks/tags holds values other than 0 and 1")
        }
        return (names, matrix)
    }

    /// `/tracks/targets` of a factor data set, checked (float32 `[tracks, classes]`, finite,
    /// no tags alongside); nil when the file has none.
    static func readTargets(_ file: H5File, path: String, classes: [String], tracks: Int) throws -> [Float]? {
        guard try file.exists("tracks/targets") else { return nil }
        guard try !file.exists("tracks/tags") else {
            throw MelCNNError.invalidFile(path: path, reason: "has both /tracks/tags and /tracks/targets")
        }
        let set = try file.openDataset("tracks/targets")
        guard try set.shape == [tracks, classes.count] else {
            throw MelCNNError.invalidFile(path: path, reason: "/tracks/targets has shape \(try set.shape), expected [\(tracks), \(classes.count)]")
        }
        _ = try set.checkedCount()
        let matrix: [Float] = try set.read()
        guard matrix.count == tracks * classes.count else {
            throw MelCNNError.invalidFile(path: path, reason: "/tracks/targets holds \(matrix.count) values, expected \(tracks * classes.count)")
        }
        try FileValueChecks.requireFinite(matrix, path: path, object: "/tracks/targets")
        return matrix
    }
}
