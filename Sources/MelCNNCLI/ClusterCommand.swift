import ArgumentParser
import Foundation
import HDF5
import MelCNN

struct ClusterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cluster",
        abstract: "Cluster the tracks of an embeddings file with k-means and compare the clusters with the labels.",
        discussion: """
        k-means (Lloyd) from greedy k-means++ seeds, the best of --n-init restarts by inertia, \
        like scikit-learn's KMeans. Writes path,label,cluster rows and prints the inertia, \
        the silhouette and, when the tracks have labels, the adjusted Rand index and the \
        normalised mutual information with them, and a cluster x label table.
          melcnn cluster --embeddings emb.h5 --k 10 --out clusters.csv
          melcnn cluster --embeddings emb.h5 --k auto --out clusters.h5
        .h5 output holds /clusters, /centroids and /tracks/path (see docs/maps.md); \
        `melcnn map --clusters clusters.h5` colours a map by them.
        """
    )

    @OptionGroup var embeddingsOption: EmbeddingsOption
    var embeddings: String { embeddingsOption.embeddings }
    @Option(name: .long, parsing: .unconditional, help: "Number of clusters, or auto (the best silhouette for k = 2...10).")
    var k: ClusterCount
    @Option(name: .long, parsing: .unconditional, help: "Random seed.")
    var seed: UInt64 = 0
    @Option(name: .customLong("n-init"), parsing: .unconditional, help: "k-means restarts (the lowest inertia wins).")
    var nInit: Int = 10
    @Option(name: .long, parsing: .unconditional, help: "Output: .csv (path,label,cluster) or .h5 (cluster ids, centroids, scores).")
    var out: String

    /// `--k K|auto`.
    enum ClusterCount: ExpressibleByArgument {
        case auto, count(Int)

        init?(argument: String) {
            if argument == "auto" { self = .auto; return }
            guard let value = Int(argument) else { return nil }
            self = .count(value)
        }
    }

    func validate() throws {
        guard ClustersFile.extensions.contains((out as NSString).pathExtension.lowercased()) else {
            throw CLIError("--out \(out): the output must end in .csv or .h5")
        }
    }

    func run() throws {
        let file = try EmbeddingsFile.read(from: embeddings)
        let candidates: [Int]
        switch k {
        case .auto: candidates = Array(2 ... max(2, min(10, file.count - 1)))
        case .count(let value): candidates = [value]
        }
        var best: (k: Int, result: KMeans.Result, silhouette: Double)?
        for value in candidates {
            var kmeans = KMeans(k: value)
            kmeans.seed = seed
            kmeans.nInit = nInit
            let result = try kmeans.fit(file.vectors, n: file.count, dim: file.dim)
            let score = ClusterScores.silhouette(file.vectors, dim: file.dim, labels: result.labels)
            if candidates.count > 1 { print(String(format: "k=%d  inertia %.6g  silhouette %.4f", value, result.inertia, score)) }
            if best == nil || score > best!.silhouette { best = (value, result, score) }
        }
        let (k, result, silhouette) = best!
        try ClustersFile(clusters: result.labels, centroids: result.centers, dim: file.dim, paths: file.paths,
                         labels: (0 ..< file.count).map(file.labelName), embeddings: embeddings, inertia: result.inertia,
                         silhouette: silhouette, seed: seed, nInit: nInit).write(to: out)
        print("k-means k=\(k) on \(file.count) tracks: inertia " + String(format: "%.6g", result.inertia)
            + String(format: "  silhouette %.4f", silhouette))
        let known = (0 ..< file.count).filter { file.classes.indices.contains(file.labels[$0]) }
        if !known.isEmpty {
            let truth = known.map { file.labels[$0] }, predicted = known.map { result.labels[$0] }
            print(String(format: "against the labels (%d tracks): ARI %.4f  NMI %.4f", known.count,
                         ClusterScores.adjustedRandIndex(truth, predicted),
                         ClusterScores.normalizedMutualInformation(truth, predicted)))
            let width = max(8, (file.classes.map(\.count).max() ?? 0) + 1)
            print("cluster".padding(toLength: 8, withPad: " ", startingAt: 0)
                + file.classes.map { String(repeating: " ", count: max(1, width - $0.count)) + $0 }.joined())
            for c in 0 ..< k {
                var counts = [Int](repeating: 0, count: file.classes.count)
                for i in known where result.labels[i] == c { counts[file.labels[i]] += 1 }
                print("\(c)".padding(toLength: 8, withPad: " ", startingAt: 0)
                    + counts.map { String(repeating: " ", count: max(1, width - "\($0)".count)) + "\($0)" }.joined())
            }
        }
        print("clusters written to \(out)")
    }
}
