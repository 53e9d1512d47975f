import Foundation

/// Track embeddings ready for cosine-similarity search: content-based recommendation.
///
/// Rows are L2-normalised once, so cosine similarity is a dot product.
/// ```swift
/// let index = EmbeddingIndex(vectors: emb, dim: 192, paths: paths, labels: labels)
/// let hits = index.nearest(to: index.vector(at: 3), k: 10, excluding: 3)
/// let p5 = index.precisionAtK(5)   // share of neighbours with the same label
/// ```
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
        precondition(query.count == dim, "query has \(query.count) values, the index \(dim)")
        var q = query
        Self.normalize(&q, row: 0, dim: dim)
        let scores = similarities(q)
        return Self.topK(scores, k: k, excluding: excluding)
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

    /// Mean over all rows of the share of its `k` nearest other rows that carry the same
    /// label (precision@k of label retrieval); rows are their own queries, themselves excluded.
    public func precisionAtK(_ k: Int) -> Double {
        guard count > 1, k > 0 else { return 0 }
        let kk = min(k, count - 1)
        var total = 0.0
        for i in 0 ..< count {
            let hits = Self.topK(similarities(vector(at: i)), k: kk, excluding: i)
            total += Double(hits.filter { labels[$0.index] == labels[i] }.count) / Double(kk)
        }
        return total / Double(count)
    }

    static func topK(_ scores: [Float], k: Int, excluding: Int?) -> [Neighbor] {
        var order = scores.indices.filter { $0 != excluding }
        order.sort { scores[$0] != scores[$1] ? scores[$0] > scores[$1] : $0 < $1 }
        return order.prefix(max(0, k)).map { Neighbor(index: $0, score: scores[$0]) }
    }

    static func normalize(_ v: inout [Float], row: Int, dim: Int) {
        var norm: Float = 0
        for j in 0 ..< dim { norm += v[row * dim + j] * v[row * dim + j] }
        norm = norm.squareRoot()
        guard norm > 0 else { return }
        for j in 0 ..< dim { v[row * dim + j] /= norm }
    }
}
