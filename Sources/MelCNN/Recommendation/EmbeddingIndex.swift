import COpenBLAS
import Foundation

/// Track embeddings ready for cosine-similarity search: content-based recommendation.
///
/// Rows are L2-normalised once, so cosine similarity is a dot product.
/// ```swift
/// let index = EmbeddingIndex(vectors: emb, dim: 192, paths: paths, labels: labels)
/// let hits = index.nearest(to: index.vector(at: 3), k: 10, excluding: 3)
/// let p5 = index.precisionAtK(5)   // share of neighbours with the same label
/// let mix = index.nearest(to: index.playlistQuery([3, 8]), k: 10, excluding: [3, 8])
/// ```
/// Search is exact: one query costs `count x dim` multiply-adds; `precisionAtK` scores all
/// queries in blocks of 256 with BLAS (`sgemm`), `O(n^2 dim)` time and `O(256 n)` memory.
public struct EmbeddingIndex: Sendable {
    public struct Neighbor: Equatable, Sendable {
        public var index: Int
        /// Cosine similarity in [-1, 1].
        public var score: Float
    }

    public let dim: Int
    public let paths: [String]
    public let labels: [Int]
    /// Unit-length rows `[count x dim]` (zero rows stay zero).
    public let normalized: [Float]

    public var count: Int { paths.count }

    public init(vectors: [Float], dim: Int, paths: [String], labels: [Int]) {
        precondition(dim > 0 && vectors.count == paths.count * dim && labels.count == paths.count,
                     "vectors must be [paths x dim] with one label per path")
        self.dim = dim
        self.paths = paths
        self.labels = labels
        var rows = vectors
        for r in 0 ..< paths.count { Self.normalize(&rows, row: r, dim: dim) }
        normalized = rows
    }

    /// The unit-length embedding of row `i`.
    public func vector(at i: Int) -> [Float] { Array(normalized[i * dim ..< (i + 1) * dim]) }

    /// Row index of `path` (exact match, else the unique row whose path ends with it).
    public func index(of path: String) -> Int? {
        if let i = paths.firstIndex(of: path) { return i }
        let matches = paths.indices.filter { paths[$0].hasSuffix("/" + path) || paths[$0].hasSuffix(path) }
        return matches.count == 1 ? matches[0] : nil
    }

    /// The `k` rows most similar to `query` (any length-`dim` vector), best first.
    public func nearest(to query: [Float], k: Int, excluding: Int? = nil) -> [Neighbor] {
        nearest(to: query, k: k, excluding: excluding.map { [$0] } ?? [])
    }

    /// The `k` rows most similar to `query`, best first, leaving out the rows in `excluding`.
    public func nearest(to query: [Float], k: Int, excluding: Set<Int>) -> [Neighbor] {
        precondition(query.count == dim, "query has \(query.count) values, the index \(dim)")
        var q = query
        Self.normalize(&q, row: 0, dim: dim)
        let scores = similarities(q)
        return Self.topK(scores, k: k, excluding: excluding)
    }

    /// A playlist query: the mean of the unit-length embeddings of `rows` (use with
    /// `nearest`, which normalises it again).
    public func playlistQuery(_ rows: [Int]) -> [Float] {
        precondition(!rows.isEmpty)
        var q = [Float](repeating: 0, count: dim)
        for r in rows { for j in 0 ..< dim { q[j] += normalized[r * dim + j] } }
        return q.map { $0 / Float(rows.count) }
    }

    /// Cosine similarity of unit vector `q` to every row.
    func similarities(_ q: [Float]) -> [Float] {
        var scores = [Float](repeating: 0, count: count)
        normalized.withUnsafeBufferPointer { m in
            q.withUnsafeBufferPointer { qv in
                for r in 0 ..< count {
                    var s: Float = 0
                    let base = r * dim
                    for j in 0 ..< dim { s += m[base + j] * qv[j] }
                    scores[r] = s
                }
            }
        }
        return scores
    }

    /// Mean over the query rows of the share of their `k` nearest other rows that carry the
    /// same label (precision@k of label retrieval); rows are their own queries, themselves
    /// excluded. `rows` restricts queries and neighbours to a subset (e.g. one split); nil: all.
    public func precisionAtK(_ k: Int, rows: [Int]? = nil) -> Double {
        let subset = rows ?? Array(0 ..< count)
        let n = subset.count
        guard n > 1, k > 0 else { return 0 }
        let kk = min(k, n - 1)
        var m = [Float](repeating: 0, count: n * dim)
        for (i, r) in subset.enumerated() { for j in 0 ..< dim { m[i * dim + j] = normalized[r * dim + j] } }
        let block = 256
        var scores = [Float](repeating: 0, count: min(block, n) * n)
        var total = 0.0
        var row = [Float](repeating: 0, count: n)
        for start in stride(from: 0, to: n, by: block) {
            let rowsInBlock = min(block, n - start)
            // scores[b, j] = m[start + b] . m[j]  (BLAS sgemm: block x dim times dim x n)
            m.withUnsafeBufferPointer { mp in
                scores.withUnsafeMutableBufferPointer { sp in
                    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, blasint(rowsInBlock), blasint(n), blasint(dim),
                                1, mp.baseAddress! + start * dim, blasint(dim), mp.baseAddress, blasint(dim),
                                0, sp.baseAddress, blasint(n))
                }
            }
            for b in 0 ..< rowsInBlock {
                let i = start + b
                for j in 0 ..< n { row[j] = scores[b * n + j] }
                let hits = Self.topK(row, k: kk, excluding: [i])
                total += Double(hits.filter { labels[subset[$0.index]] == labels[subset[i]] }.count) / Double(kk)
            }
        }
        return total / Double(n)
    }

    /// The `k` best indices of `scores` (ties by index) outside `excluding`: a bounded
    /// selection, `O(n log k)`.
    static func topK(_ scores: [Float], k: Int, excluding: Set<Int>) -> [Neighbor] {
        guard k > 0 else { return [] }
        func better(_ a: Int, _ b: Int) -> Bool { scores[a] != scores[b] ? scores[a] > scores[b] : a < b }
        var best: [Int] = []  // sorted best first, at most k
        best.reserveCapacity(k + 1)
        let few = excluding.count <= 8 ? Array(excluding) : nil  // a short list beats hashing
        for i in scores.indices where !(few?.contains(i) ?? excluding.contains(i)) {
            if best.count == k, !better(i, best[k - 1]) { continue }
            var lo = 0, hi = best.count
            while lo < hi { let mid = (lo + hi) / 2; if better(best[mid], i) { lo = mid + 1 } else { hi = mid } }
            best.insert(i, at: lo)
            if best.count > k { best.removeLast() }
        }
        return best.map { Neighbor(index: $0, score: scores[$0]) }
    }

    static func normalize(_ v: inout [Float], row: Int, dim: Int) {
        var norm: Float = 0
        for j in 0 ..< dim { norm += v[row * dim + j] * v[row * dim + j] }
        norm = norm.squareRoot()
        guard norm > 0 else { return }
        for j in 0 ..< dim { v[row * dim + j] /= norm }
    }
}

extension TrainingTracks {
    /// The `/tracks/path` values of the tracks of `split` in the data set at `path` (to match
    /// embeddings or factors to a split by track path).
    public static func paths(in path: String, split: Split) throws -> Set<String> {
        let file = try MelDataset.open(path)
        defer { file.close() }
        let paths = try file.openDataset("tracks/path").readStrings()
        let splits: [UInt8] = try file.openDataset("tracks/split").read()
        guard paths.count == splits.count else {
            throw MelCNNError.invalidFile(path: path, reason: "/tracks/path and /tracks/split have different lengths")
        }
        return Set(zip(paths, splits).filter { $0.1 == split.rawValue }.map(\.0))
    }
}
