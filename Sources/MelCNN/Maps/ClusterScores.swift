import Foundation
import Tensor

/// Agreement between two labellings and cluster quality, as scikit-learn's metrics.
public enum ClusterScores {
    /// Contingency counts of (true, predicted) label pairs with the label values compacted.
    static func contingency(_ a: [Int], _ b: [Int]) -> (table: [[Int]], rows: Int, cols: Int) {
        let ra = Dictionary(uniqueKeysWithValues: Set(a).sorted().enumerated().map { ($0.element, $0.offset) })
        let rb = Dictionary(uniqueKeysWithValues: Set(b).sorted().enumerated().map { ($0.element, $0.offset) })
        var table = [[Int]](repeating: [Int](repeating: 0, count: rb.count), count: ra.count)
        for (x, y) in zip(a, b) { table[ra[x]!][rb[y]!] += 1 }
        return (table, ra.count, rb.count)
    }

    /// `sklearn.metrics.adjusted_rand_score` (from the pair confusion matrix).
    public static func adjustedRandIndex(_ labelsTrue: [Int], _ labelsPred: [Int]) -> Double {
        precondition(labelsTrue.count == labelsPred.count)
        let n = Int64(labelsTrue.count)
        let (table, _, _) = contingency(labelsTrue, labelsPred)
        let nc = table.map { Int64($0.reduce(0, +)) }
        var nk = [Int64](repeating: 0, count: table.first?.count ?? 0)
        var sumSquares: Int64 = 0, dotK: Int64 = 0, dotC: Int64 = 0
        for row in table { for (j, v) in row.enumerated() { nk[j] += Int64(v) } }
        for (i, row) in table.enumerated() {
            for (j, v) in row.enumerated() {
                let v = Int64(v)
                sumSquares += v * v
                dotK += v * nk[j]
                dotC += v * nc[i]
            }
        }
        let tp = Double(sumSquares - n), fp = Double(dotK - sumSquares), fn = Double(dotC - sumSquares)
        let tn = Double(n * n) - fp - fn - Double(sumSquares)
        if fn == 0 && fp == 0 { return 1 }
        return 2 * (tp * tn - fn * fp) / ((tp + fn) * (fn + tn) + (tp + fp) * (fp + tn))
    }

    /// `sklearn.metrics.normalized_mutual_info_score` with `average_method="arithmetic"`.
    public static func normalizedMutualInformation(_ labelsTrue: [Int], _ labelsPred: [Int]) -> Double {
        precondition(labelsTrue.count == labelsPred.count)
        let (table, rows, cols) = contingency(labelsTrue, labelsPred)
        if (rows == 1 && cols == 1) || (rows == 0 && cols == 0) { return 1 }
        let total = Double(labelsTrue.count)
        let pi = table.map { Double($0.reduce(0, +)) }
        var pj = [Double](repeating: 0, count: cols)
        for row in table { for (j, v) in row.enumerated() { pj[j] += Double(v) } }
        var mi = 0.0
        for (i, row) in table.enumerated() {
            for (j, v) in row.enumerated() where v > 0 {
                let nij = Double(v)
                let term = nij / total * (log(nij) - log(total)) + nij / total * (-log(pi[i] * pj[j]) + log(total) + log(total))
                mi += abs(term) < Double.ulpOfOne ? 0 : term
            }
        }
        mi = max(mi, 0)
        if mi == 0 { return 0 }
        func entropy(_ counts: [Double]) -> Double {
            -counts.filter { $0 > 0 }.reduce(0) { $0 + $1 / total * (log($1) - log(total)) }
        }
        let normaliser = (entropy(pi) + entropy(pj)) / 2
        return mi / max(normaliser, Double.ulpOfOne)
    }

    /// `sklearn.metrics.silhouette_score` (euclidean): the mean over points of (b - a) / max(a, b),
    /// 0 for points alone in their cluster. Distances as scikit-learn's `euclidean_distances`:
    /// sqrt(|x|^2 + |y|^2 - 2 x.y) from blocked float64 BLAS products, 0 on the diagonal;
    /// blocks of rows run on `Threads.count` threads, the mean is summed in point order.
    public static func silhouette(_ x: [Float], dim: Int, labels: [Int]) -> Double {
        let n = labels.count
        let clusters = Set(labels).sorted()
        guard clusters.count >= 2, clusters.count < n else { return 0 }
        let index = Dictionary(uniqueKeysWithValues: clusters.enumerated().map { ($0.element, $0.offset) })
        let compact = labels.map { index[$0]! }
        let m = clusters.count
        let sizes = compact.reduce(into: [Int](repeating: 0, count: m)) { $0[$1] += 1 }
        let xd = x.map(Double.init)
        let norms = (0 ..< n).map { i in (0 ..< dim).reduce(0.0) { $0 + xd[i * dim + $1] * xd[i * dim + $1] } }
        var values = [Double](repeating: 0, count: n)
        values.withUnsafeMutableBufferPointer { vb in
            let out = UncheckedPointer(vb.baseAddress!)
            forEachGramBlock(xd, n: n, dim: dim, block: 128, scratch: { [Double](repeating: 0, count: m) }) { sums, r0, rows, g in
                compact.withUnsafeBufferPointer { lp in
                    norms.withUnsafeBufferPointer { np in
                        for r in 0 ..< rows {
                            let i = r0 + r, own = lp[i]
                            guard sizes[own] > 1 else { out.pointer[i] = 0; continue }
                            for c in 0 ..< m { sums[c] = 0 }
                            let row = g + r * n, ni = np[i]
                            // The diagonal (j == i) is 0: left out, as scikit-learn zeroes it.
                            for j in 0 ..< i { sums[lp[j]] += max(0, ni + np[j] - 2 * row[j]).squareRoot() }
                            for j in i + 1 ..< n { sums[lp[j]] += max(0, ni + np[j] - 2 * row[j]).squareRoot() }
                            let a = sums[own] / Double(sizes[own] - 1)
                            var nearest = Double.infinity
                            for c in 0 ..< m where c != own { nearest = min(nearest, sums[c] / Double(sizes[c])) }
                            out.pointer[i] = (nearest - a) / max(a, nearest)
                        }
                    }
                }
            }
        }
        return values.reduce(0, +) / Double(n)
    }
}
