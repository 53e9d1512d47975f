import Foundation

/// How well a low-dimensional map keeps each point's neighbours (Venna & Kaski 2001), computed
/// as scikit-learn's `sklearn.manifold.trustworthiness` with the euclidean metric.
public enum Trustworthiness {
    /// `x` is `[n, dim]` (the input space), `embedded` `[n, embeddedDim]`; `neighbors < n / 2`.
    public static func score(_ x: [Float], dim: Int, embedded: [Double], embeddedDim: Int, neighbors k: Int) throws -> Double {
        let n = x.count / dim
        guard embedded.count == n * embeddedDim else { throw MelCNNError.invalidArgument("embedding has the wrong size") }
        guard k >= 1, Double(k) < Double(n) / 2 else {
            throw MelCNNError.invalidArgument("trustworthiness: n_neighbors (\(k)) should be less than n_samples / 2 (\(Double(n) / 2))")
        }
        let input = SquaredDistances(x, n: n, dim: dim)
        var row = [Double](repeating: 0, count: n)
        var rank = [Int](repeating: 0, count: n)
        var order = [Int](repeating: 0, count: n)
        var penalty = 0
        for i in 0 ..< n {
            // Input-space ranks of every other point (1 = nearest), itself excluded.
            input.row(i, into: &row)
            row[i] = .infinity
            for j in 0 ..< n { order[j] = j }
            order.sort { row[$0] != row[$1] ? row[$0] < row[$1] : $0 < $1 }
            for (r, j) in order.enumerated() { rank[j] = r + 1 }
            // The k nearest neighbours in the map.
            for j in nearest(embedded, dim: embeddedDim, n: n, of: i, k: k) where rank[j] > k {
                penalty += rank[j] - k
            }
        }
        let nn = Double(n), kk = Double(k)
        return 1 - Double(penalty) * (2 / (nn * kk * (2 * nn - 3 * kk - 1)))
    }

    /// Indices of the `k` nearest rows to row `i` (itself excluded), nearest first.
    static func nearest(_ y: [Double], dim: Int, n: Int, of i: Int, k: Int) -> [Int] {
        var best: [(d: Double, j: Int)] = []
        best.reserveCapacity(k + 1)
        y.withUnsafeBufferPointer { y in
            for j in 0 ..< n where j != i {
                var s = 0.0
                for t in 0 ..< dim {
                    let d = y[i * dim + t] - y[j * dim + t]
                    s += d * d
                }
                if best.count == k, let last = best.last, s >= last.d { continue }
                var at = best.count
                while at > 0 && best[at - 1].d > s { at -= 1 }
                best.insert((s, j), at: at)
                if best.count > k { best.removeLast() }
            }
        }
        return best.map(\.j)
    }
}
