import FileOutput
import Foundation
import HDF5

/// The output of `melcnn cluster`: one cluster id per track of an embeddings file, as CSV
/// (`path,label,cluster`) or HDF5. The HDF5 layout (h5py: `f["clusters"][:]`):
///
/// - attributes `format` = "melcnn-clusters", `version` = 1, `embeddings` (the input path),
///   `k`, `inertia`, `silhouette`, `seed`, `n_init`;
/// - `/clusters` int32 `[tracks]`: the cluster of each track, in the embeddings file's order;
/// - `/centroids` float64 `[k, dim]`: the k-means centres;
/// - `/tracks/path` strings `[tracks]`: the track paths (the join key with the embeddings).
public struct ClustersFile: Equatable, Sendable {
    public static let format = "melcnn-clusters"
    public static let version: Int32 = 1

    public var clusters: [Int]
    public var centroids: [Double]
    public var dim: Int
    public var paths: [String]
    public var labels: [String]
    public var embeddings: String
    public var inertia: Double
    public var silhouette: Double
    public var seed: UInt64
    public var nInit: Int

    public var k: Int { dim > 0 ? centroids.count / dim : 0 }

    public init(clusters: [Int], centroids: [Double], dim: Int, paths: [String], labels: [String], embeddings: String,
                inertia: Double, silhouette: Double, seed: UInt64, nInit: Int) {
        (self.clusters, self.centroids, self.dim, self.paths, self.labels, self.embeddings) = (clusters, centroids, dim, paths, labels, embeddings)
        (self.inertia, self.silhouette, self.seed, self.nInit) = (inertia, silhouette, seed, nInit)
    }

    /// The extensions `write(to:)` accepts.
    public static let extensions = ["csv", "h5", "hdf5"]

    /// Writes `.csv` or `.h5`, atomically.
    public func write(to path: String) throws {
        switch (path as NSString).pathExtension.lowercased() {
        case "csv":
            var lines = ["path,label,cluster"]
            for i in clusters.indices { lines.append(csvField(paths[i]) + "," + csvField(labels[i]) + ",\(clusters[i])") }
            try atomicWrite(to: path, text: lines.joined(separator: "\n") + "\n")
        case "h5", "hdf5":
            try H5File.createAtomically(path) { file in
                let a = file.attributes
                try a.write("format", Self.format)
                try a.write("version", Self.version)
                try a.write("embeddings", embeddings)
                try a.write("k", k)
                try a.write("inertia", inertia)
                try a.write("silhouette", silhouette)
                try a.write("seed", Int(truncatingIfNeeded: seed))
                try a.write("n_init", nInit)
                try file.createDataset("clusters", values: clusters.map(Int32.init))
                try file.createDataset("centroids", values: centroids, shape: [k, dim])
                try file.createGroup("tracks")
                try file.createStringDataset("tracks/path", values: paths)
            }
        default:
            throw ParameterError("output", " \(path): the output must end in .csv or .h5")
        }
    }

    /// The cluster ids of a clusters `.h5`, checked against the tracks they are for.
    public static func readClusters(from path: String, expectingPaths expected: [String]) throws -> [Int] {
        let file = try H5File.open(path)
        defer { file.close() }
        guard (try? file.attributes.readString("format")) == format else {
            throw MelCNNError.wrongFileKind(path: path, expected: format)
        }
        let ids: [Int32] = try file.openDataset("clusters").read()
        let paths = try file.openDataset("tracks/path").readStrings()
        guard ids.count == paths.count else {
            throw MelCNNError.invalidFile(path: path, reason: "/clusters and /tracks/path have different lengths")
        }
        guard paths == expected else {
            throw MelCNNError.invalidFile(path: path, reason: "its tracks are not those of the embeddings file (run `melcnn cluster` on it again)")
        }
        if let bad = ids.first(where: { $0 < 0 || $0 >= 1 << 16 }) {
            throw MelCNNError.invalidFile(path: path, reason: "/clusters holds \(bad), outside 0 ..< 65536")
        }
        return ids.map(Int.init)
    }
}
