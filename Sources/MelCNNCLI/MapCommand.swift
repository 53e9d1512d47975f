import ArgumentParser
import FileOutput
import Foundation
import HDF5
import MelCNN

struct MapCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "map",
        abstract: "Draw a 2-D map of the tracks of an embeddings file (PCA or t-SNE) as an HTML page or SVG.",
        discussion: """
        The page is one self-contained file: hover a point for its path, label and split, \
        click to play it, wheel to zoom, drag to pan, search by name. t-SNE follows \
        scikit-learn's TSNE and its option names: Barnes-Hut gradients by default \
        (O(n log n) per iteration), --tsne-method exact for all pairs.
          melcnn map --embeddings emb.h5 --out map.html --audio-root data/gtzan
          melcnn map --embeddings emb.h5 --out map.svg --method pca
          melcnn map --embeddings emb.h5 --out map.html --color cluster --k 8
        Prints the trustworthiness (k=10) of the map and, for t-SNE, the final KL divergence.
        """
    )

    @OptionGroup var embeddingsOption: EmbeddingsOption
    var embeddings: String { embeddingsOption.embeddings }
    @Option(name: .long, parsing: .unconditional, help: "Output: .html (interactive page), .svg or .png.")
    var out: String
    @Option(name: .long, parsing: .unconditional, help: "pca or tsne.")
    var method: Method = .tsne
    @Option(name: .customLong("tsne-method"), parsing: .unconditional, help: "t-SNE gradients: barnes-hut (scikit-learn's default) or exact (all pairs, n^2 memory).")
    var tsneMethod: TSNE.Method = .barnesHut
    @Option(name: .long, parsing: .unconditional, help: "Barnes-Hut angle (scikit-learn's angle): larger is faster and coarser.")
    var angle: Double = 0.5
    @Option(name: .long, parsing: .unconditional, help: "t-SNE perplexity.")
    var perplexity: Double = 30
    @Option(name: .customLong("early-exaggeration"), parsing: .unconditional, help: "t-SNE early exaggeration (first 250 iterations).")
    var earlyExaggeration: Double = 12
    @Option(name: .customLong("learning-rate"), parsing: .unconditional, help: "t-SNE learning rate, or auto (max(N / early exaggeration / 4, 50)).")
    var learningRate: LearningRate = .auto
    @Option(name: .customLong("max-iter"), parsing: .unconditional, help: "t-SNE iterations (>= 250).")
    var maxIter: Int = 1000
    @Option(name: .long, parsing: .unconditional, help: "t-SNE init: pca or random.")
    var initialization: TSNE.Initialization = .pca
    @Option(name: .long, parsing: .unconditional, help: "Random seed (t-SNE random init, k-means).")
    var seed: UInt64 = 0
    @Option(name: .long, parsing: .unconditional, help: "Colour points by label or cluster (k-means, see --k).")
    var color: Colouring = .label
    @Option(name: .long, parsing: .unconditional, help: "Clusters for --color cluster (default: the number of classes, or 8).")
    var k: Int?
    @Option(name: .long, parsing: .unconditional, help: "Colour by the clusters of this `melcnn cluster --out X.h5` file (made from the same embeddings).")
    var clusters: String?
    @Option(name: .customLong("audio-root"), parsing: .unconditional, help: "Folder the track paths are relative to (click to play in the page).")
    var audioRoot: String?
    @Option(name: .long, parsing: .unconditional, help: "Page title.")
    var title: String?

    /// `--method`: the projection to two dimensions.
    enum Method: String, ExpressibleByArgument { case pca, tsne }

    /// `--color`: what the colours of the points say.
    enum Colouring: String, ExpressibleByArgument { case label, cluster }

    /// `--learning-rate auto|RATE` (RATE > 0).
    enum LearningRate: ExpressibleByArgument {
        case auto, rate(Double)

        init?(argument: String) {
            if argument == "auto" { self = .auto; return }
            guard let value = Double(argument), value > 0 else { return nil }
            self = .rate(value)
        }
    }

    func validate() throws {
        guard ["html", "htm", "svg", "png"].contains((out as NSString).pathExtension.lowercased()) else {
            throw CLIError("--out \(out): the output must end in .html, .svg or .png")
        }
        if clusters != nil && color == .cluster {
            throw CLIError("--clusters: colours by a saved clustering; leave out --color cluster")
        }
    }

    func run() throws {
        let ext = (out as NSString).pathExtension.lowercased()
        let file = try EmbeddingsFile.read(from: embeddings)
        let saved = try clusters.map { try ClustersFile.readClusters(from: $0, expectingPaths: file.paths) }
        let n = file.count
        let started = Date()
        let coordinates: [Double]
        var kl: Double?
        if method == .pca {
            guard n >= 1 else { throw CLIError("\(embeddings) has no tracks") }
            coordinates = PCA.project(file.vectors, n: n, dim: file.dim, components: min(2, file.dim))
                .paddedTo2D(n: n, dim: min(2, file.dim))
        } else {
            var tsne = TSNE()
            tsne.method = tsneMethod
            tsne.angle = angle
            tsne.perplexity = perplexity
            tsne.earlyExaggeration = earlyExaggeration
            if case .rate(let r) = learningRate { tsne.learningRate = r }
            tsne.maxIter = maxIter
            tsne.initialization = initialization
            tsne.seed = seed
            let result = try tsne.fit(file.vectors, n: n, dim: file.dim)
            coordinates = result.embedding
            kl = result.klDivergence
        }
        let seconds = Date().timeIntervalSince(started)
        var group = file.labels.map { file.classes.indices.contains($0) ? $0 : -1 }
        var groups = file.classes
        if let saved {
            group = saved
            groups = (0 ..< (saved.max() ?? -1) + 1).map { "cluster \($0)" }
        } else if color == .cluster {
            var kmeans = KMeans(k: k ?? (file.classes.count > 1 ? file.classes.count : 8))
            kmeans.seed = seed
            let clusters = try kmeans.fit(file.vectors, n: n, dim: file.dim)
            group = clusters.labels
            groups = (0 ..< kmeans.k).map { "cluster \($0)" }
        }
        let pageDirectory = (URL(fileURLWithPath: out).deletingLastPathComponent().path)
        let map = TrackMap(
            title: title ?? "\(method == .pca ? "PCA" : "t-SNE") map of \((embeddings as NSString).lastPathComponent) (\(n) tracks)",
            coordinates: coordinates, paths: file.paths, group: group, groups: groups,
            labels: (0 ..< n).map(file.labelName), splits: try? Self.readSplits(embeddings, count: n),
            audio: audioRoot.map { TrackMap.audioSources(paths: file.paths, audioRoot: $0, pageDirectory: pageDirectory) })
        switch ext {
        case "svg": try atomicWrite(to: out, text: map.svg())
        case "png": try atomicWrite(to: out, bytes: try map.png())
        default: try atomicWrite(to: out, text: map.html())
        }
        var line = "\(method) map of \(n) tracks written to \(out)" + String(format: "  (%.2f s)", seconds)
        if let kl { line += String(format: "  KL divergence %.4f", kl) }
        if Double(10) < Double(n) / 2 {
            let t = try Trustworthiness.score(file.vectors, dim: file.dim, embedded: coordinates, embeddedDim: 2, neighbors: 10)
            line += String(format: "  trustworthiness(k=10) %.4f", t)
        }
        print(line)
    }

    /// `/tracks/split` when the embeddings file has it.
    static func readSplits(_ path: String, count: Int) throws -> [String]? {
        let file = try H5File.open(path)
        defer { file.close() }
        guard (try? file.exists("tracks/split")) == true else { return nil }
        let splits = try file.openDataset("tracks/split").readStrings()
        return splits.count == count ? splits : nil
    }
}

private extension Array where Element == Double {
    /// `[n, dim]` with dim 1 or 2 as `[n, 2]` (a zero second column for 1-D data).
    func paddedTo2D(n: Int, dim: Int) -> [Double] {
        dim == 2 ? self : (0 ..< n).flatMap { [self[$0], 0] }
    }
}

/// `--tsne-method barnes-hut|exact`.
extension TSNE.Method: ExpressibleByArgument {}

/// `--initialization pca|random`.
extension TSNE.Initialization: ExpressibleByArgument {}
