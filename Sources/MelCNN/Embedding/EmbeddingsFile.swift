import Foundation
import HDF5

/// Track embeddings on disk: `embeddings.h5` (DESIGN.md) or a CSV.
///
/// embeddings.h5: `/embeddings` float32 `[tracks, dim]`, `/tracks/path` (strings),
/// `/tracks/label` (int32, -1 when unknown), `/classes` (strings); root attributes
/// `format = "melcnn-embeddings"`, `version`, `checkpoint`, `layer`.
/// CSV: header `path,label,e0,e1,...`, one row per track (label as a class name).
public struct EmbeddingsFile: Equatable, Sendable {
    public static let format = "melcnn-embeddings"
    public static let version: Int32 = 1

    public var vectors: [Float]
    public var dim: Int
    public var paths: [String]
    public var labels: [Int]
    public var classes: [String]
    /// The checkpoint the vectors came from.
    public var checkpoint: String
    /// `pool`, `fc1`, `fc2`, ...
    public var layer: String

    public init(vectors: [Float], dim: Int, paths: [String], labels: [Int], classes: [String],
                checkpoint: String, layer: String) {
        self.vectors = vectors
        self.dim = dim
        self.paths = paths
        self.labels = labels
        self.classes = classes
        self.checkpoint = checkpoint
        self.layer = layer
    }

    public var count: Int { paths.count }

    /// Label name of row `i` (`?` when unknown).
    public func labelName(_ i: Int) -> String {
        classes.indices.contains(labels[i]) ? classes[labels[i]] : "?"
    }

    /// A cosine-similarity index over the rows.
    public func index() -> EmbeddingIndex {
        EmbeddingIndex(vectors: vectors, dim: dim, paths: paths, labels: labels)
    }

    /// Writes `.h5` (HDF5) or `.csv` (by extension), atomically.
    public func write(to path: String) throws {
        let ext = (path as NSString).pathExtension.lowercased()
        guard ["h5", "hdf5", "csv"].contains(ext) else {
            throw ParameterError("output", " \(path): the output must end in .h5 or .csv")
        }
        if ext == "csv" {
            var lines = ["path,label," + (0 ..< dim).map { "e\($0)" }.joined(separator: ",")]
            for i in 0 ..< count {
                let row = vectors[i * dim ..< (i + 1) * dim].map { String(format: "%.7g", $0) }
                lines.append(csvField(paths[i]) + "," + csvField(labelName(i)) + "," + row.joined(separator: ","))
            }
            try writeFileAtomically(Data((lines.joined(separator: "\n") + "\n").utf8), to: URL(fileURLWithPath: path))
            return
        }
        try H5File.createAtomically(path) { file in
            try file.attributes.write("format", Self.format)
            try file.attributes.write("version", Self.version)
            try file.attributes.write("checkpoint", checkpoint)
            try file.attributes.write("layer", layer)
            try file.createDataset("embeddings", values: vectors, shape: [count, dim])
            try file.createGroup("tracks")
            try file.createStringDataset("tracks/path", values: paths)
            try file.createDataset("tracks/label", values: labels.map(Int32.init))
            try file.createStringDataset("classes", values: classes)
        }
    }

    /// Reads an embeddings.h5 written by `write(to:)`.
    public static func read(from path: String) throws -> EmbeddingsFile {
        let file = try H5File.open(path)
        defer { file.close() }
        guard (try? file.attributes.readString("format")) == format else {
            throw MelCNNError.wrongFileKind(path: path, expected: format)
        }
        let data = try file.openDataset("embeddings")
        let shape = try data.shape
        guard shape.count == 2 else { throw MelCNNError.invalidFile(path: path, reason: "/embeddings is not 2-D") }
        let vectors: [Float] = try data.read()
        try FileValueChecks.requireFinite(vectors, path: path, object: "/embeddings")
        let paths = try file.openDataset("tracks/path").readStrings()
        let labels: [Int32] = try file.openDataset("tracks/label").read()
        let classes = try file.openDataset("classes").readStrings()
        guard shape[1] > 0 else { throw MelCNNError.invalidFile(path: path, reason: "/embeddings has 0 values per track") }
        guard paths.count == shape[0], labels.count == shape[0] else {
            throw MelCNNError.invalidFile(path: path, reason: "/tracks and /embeddings have different lengths")
        }
        return EmbeddingsFile(vectors: vectors, dim: shape[1], paths: paths, labels: labels.map(Int.init),
                              classes: classes, checkpoint: (try? file.attributes.readString("checkpoint")) ?? "",
                              layer: (try? file.attributes.readString("layer")) ?? "")
    }
}
