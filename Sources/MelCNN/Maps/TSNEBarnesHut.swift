import Dispatch
import Foundation
import Tensor

/// Barnes-Hut t-SNE (van der Maaten 2014, "Accelerating t-SNE using tree-based algorithms"), as
/// scikit-learn's `TSNE(method="barnes_hut", angle=0.5)`: P from the 3 x perplexity nearest
/// neighbours only, attractive forces over those pairs, repulsive forces from a quadtree whose
/// cells stand for their points when `width^2 / distance^2 < angle^2`. O(n log n) per iteration.
enum BarnesHut {
    /// Symmetric joint probabilities on the k-nearest-neighbour graph, CSR (scikit-learn's
    /// `_joint_probabilities_nn`: conditional P over k = min(n - 1, 3 perplexity + 1) squared
    /// euclidean neighbour distances, P + P^T, divided by its sum).
    struct SparseP {
        var rowStart: [Int]
        var columns: [Int32]
        var values: [Double]
    }

    static func jointProbabilities(_ x: [Float], n: Int, dim: Int, perplexity: Double) -> SparseP {
        let k = min(n - 1, Int(3 * perplexity + 1))
        let (neighbours, distances) = nearestNeighbours(x, n: n, dim: dim, k: k)
        // Conditional probabilities of each row's neighbours.
        var conditional = [Double](repeating: 0, count: n * k)
        let desiredEntropy = log(perplexity)
        var row = [Double](repeating: 0, count: k), prob = [Double](repeating: 0, count: k)
        for i in 0 ..< n {
            for t in 0 ..< k { row[t] = distances[i * k + t] }
            TSNE.binarySearchPerplexity(row, excluding: -1, desiredEntropy: desiredEntropy, into: &prob)
            for t in 0 ..< k { conditional[i * k + t] = prob[t] }
        }
        // P + P^T in CSR: every (i, j) of the graph and its mirror, summed where both exist.
        var entries: [[(Int32, Double)]] = Array(repeating: [], count: n)
        for i in 0 ..< n {
            for t in 0 ..< k {
                let j = Int(neighbours[i * k + t]), v = conditional[i * k + t]
                entries[i].append((Int32(j), v))
                entries[j].append((Int32(i), v))
            }
        }
        var rowStart = [0], columns: [Int32] = [], values: [Double] = []
        var total = 0.0
        for i in 0 ..< n {
            let sorted = entries[i].sorted { $0.0 < $1.0 }
            var s = 0
            while s < sorted.count {
                var v = sorted[s].1, e = s + 1
                while e < sorted.count && sorted[e].0 == sorted[s].0 { v += sorted[e].1; e += 1 }
                columns.append(sorted[s].0)
                values.append(v)
                total += v
                s = e
            }
            rowStart.append(columns.count)
        }
        let scale = 1 / max(total, TSNE.machineEpsilon)
        for t in values.indices { values[t] *= scale }
        return SparseP(rowStart: rowStart, columns: columns, values: values)
    }

    /// The `k` nearest other rows of each row by euclidean distance, with squared distances,
    /// nearest first: `[n, k]` each. Distances from blocked BLAS products,
    /// |a|^2 + |b|^2 - 2 a.b, in float64.
    static func nearestNeighbours(_ x: [Float], n: Int, dim: Int, k: Int) -> ([Int32], [Double]) {
        let xd = x.map(Double.init)
        let norms = (0 ..< n).map { i in (0 ..< dim).reduce(0.0) { $0 + xd[i * dim + $1] * xd[i * dim + $1] } }
        var neighbours = [Int32](repeating: 0, count: n * k), distances = [Double](repeating: 0, count: n * k)
        neighbours.withUnsafeMutableBufferPointer { nb in
            distances.withUnsafeMutableBufferPointer { db in
                let nbBox = UncheckedPointer(nb.baseAddress!), dbBox = UncheckedPointer(db.baseAddress!)
                forEachGramBlock(xd, n: n, dim: dim, block: 256, scratch: { [(Double, Int32)]() }) { heap, r0, rows, gram in
                    heap.reserveCapacity(k + 1)
                    for r in 0 ..< rows {
                        let i = r0 + r
                        heap.removeAll(keepingCapacity: true)
                        for j in 0 ..< n where j != i {
                            let d = max(0, norms[i] + norms[j] - 2 * gram[r * n + j])
                            if heap.count < k { heapPush(&heap, (d, Int32(j))) }
                            else if d < heap[0].0 || (d == heap[0].0 && Int32(j) < heap[0].1) { heapReplaceTop(&heap, (d, Int32(j))) }
                        }
                        let sorted = heap.sorted { $0.0 < $1.0 || ($0.0 == $1.0 && $0.1 < $1.1) }
                        for (t, e) in sorted.enumerated() {
                            nbBox.pointer[i * k + t] = e.1
                            dbBox.pointer[i * k + t] = e.0
                        }
                    }
                }
            }
        }
        return (neighbours, distances)
    }

    /// A max-heap on (distance, index): the largest at the top.
    private static func heapPush(_ h: inout [(Double, Int32)], _ e: (Double, Int32)) {
        h.append(e)
        var c = h.count - 1
        while c > 0 {
            let p = (c - 1) / 2
            guard greater(h[c], h[p]) else { break }
            h.swapAt(c, p)
            c = p
        }
    }

    private static func heapReplaceTop(_ h: inout [(Double, Int32)], _ e: (Double, Int32)) {
        h[0] = e
        var p = 0
        while true {
            let l = 2 * p + 1, r = l + 1
            var m = p
            if l < h.count && greater(h[l], h[m]) { m = l }
            if r < h.count && greater(h[r], h[m]) { m = r }
            if m == p { break }
            h.swapAt(p, m)
            p = m
        }
    }

    private static func greater(_ a: (Double, Int32), _ b: (Double, Int32)) -> Bool { a.0 > b.0 || (a.0 == b.0 && a.1 > b.1) }

    // MARK: - Gradient

    /// The quadtree over the current 2-D positions: cells hold their points' count and centre of
    /// mass; a leaf holds one point or several at the same place.
    struct QuadTree {
        var centreX: [Double] = [], centreY: [Double] = []
        var count: [Int32] = []
        var squaredWidth: [Double] = []
        /// First child (4 consecutive cells), or -1 for a leaf.
        var firstChild: [Int32] = []

        init(_ y: [Double], n: Int) {
            var minX = Double.infinity, minY = Double.infinity, maxX = -Double.infinity, maxY = -Double.infinity
            for i in 0 ..< n {
                minX = min(minX, y[2 * i]); maxX = max(maxX, y[2 * i])
                minY = min(minY, y[2 * i + 1]); maxY = max(maxY, y[2 * i + 1])
            }
            // A little room so that the largest point falls inside (scikit-learn widens by 1e-3).
            let padX = max((maxX - minX) * 1e-3, 1e-12), padY = max((maxY - minY) * 1e-3, 1e-12)
            var order = Array(0 ..< Int32(n))
            var scratch = order
            addCell()
            fill(0, y, &order, &scratch, 0 ..< n, minX - padX, minY - padY, maxX + padX, maxY + padY, depth: 0)
        }

        /// Appends an empty cell (count 0: never visited) and returns its index.
        @discardableResult
        private mutating func addCell() -> Int {
            centreX.append(0); centreY.append(0); count.append(0); squaredWidth.append(0); firstChild.append(-1)
            return count.count - 1
        }

        /// Fills cell `node` with the points `order[range]` inside [x0, x1) x [y0, y1), splitting it
        /// into four children (consecutive cells) unless it holds one point or one place.
        private mutating func fill(_ node: Int, _ y: [Double], _ order: inout [Int32], _ scratch: inout [Int32], _ range: Range<Int>,
                                   _ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double, depth: Int) {
            var sx = 0.0, sy = 0.0
            var allSame = true
            let first = Int(order[range.lowerBound])
            for t in range {
                let i = Int(order[t])
                sx += y[2 * i]; sy += y[2 * i + 1]
                if y[2 * i] != y[2 * first] || y[2 * i + 1] != y[2 * first + 1] { allSame = false }
            }
            let c = Double(range.count)
            centreX[node] = sx / c; centreY[node] = sy / c
            count[node] = Int32(range.count)
            let w = max(x1 - x0, y1 - y0)
            squaredWidth[node] = w * w
            guard range.count > 1, !allSame, depth < 60 else { return }
            // Partition into the quadrants (x < mx, y < my), (x >= mx, y < my), (x < mx, y >= my), (x >= mx, y >= my).
            let mx = (x0 + x1) / 2, my = (y0 + y1) / 2
            var bounds = [range.lowerBound]
            var w2 = range.lowerBound
            for q in 0 ..< 4 {
                for t in range {
                    let i = Int(order[t])
                    let qx = y[2 * i] >= mx ? 1 : 0, qy = y[2 * i + 1] >= my ? 2 : 0
                    if qx + qy == q { scratch[w2] = order[t]; w2 += 1 }
                }
                bounds.append(w2)
            }
            for t in range { order[t] = scratch[t] }
            let children = count.count
            for _ in 0 ..< 4 { addCell() }
            firstChild[node] = Int32(children)
            let quads = [(x0, y0, mx, my), (mx, y0, x1, my), (x0, my, mx, y1), (mx, my, x1, y1)]
            for q in 0 ..< 4 where bounds[q] < bounds[q + 1] {
                let (a, b, cc, d) = quads[q]
                fill(children + q, y, &order, &scratch, bounds[q] ..< bounds[q + 1], a, b, cc, d, depth: depth + 1)
            }
        }
    }

    /// The KL gradient (and divergence when asked) of scikit-learn's `_kl_divergence_bh`:
    /// 4 (F_attr - F_rep / Z), F_attr over the sparse P, F_rep and Z from the quadtree.
    static func gradient(_ y: [Double], p: SparseP, n: Int, angle: Double, grad: inout [Double], computeError: Bool) -> Double? {
        let tree = QuadTree(y, n: n)
        let theta2 = angle * angle
        let chunks = 32
        var repel = [Double](repeating: 0, count: 2 * n)
        var zParts = [Double](repeating: 0, count: chunks)
        repel.withUnsafeMutableBufferPointer { rb in
            zParts.withUnsafeMutableBufferPointer { zb in
                let r = UncheckedPointer(rb.baseAddress!), z = UncheckedPointer(zb.baseAddress!)
                WorkerPool.forEach(count: chunks, jobs: Threads.count, state: { [Int32]() }) { stack, c in
                    var zc = 0.0
                    for i in (c * n / chunks) ..< ((c + 1) * n / chunks) {
                        let yi0 = y[2 * i], yi1 = y[2 * i + 1]
                        var f0 = 0.0, f1 = 0.0
                        stack.removeAll(keepingCapacity: true)
                        stack.append(0)
                        while let node = stack.popLast() {
                            let cell = Int(node)
                            let size = tree.count[cell]
                            guard size > 0 else { continue }
                            let d0 = yi0 - tree.centreX[cell], d1 = yi1 - tree.centreY[cell]
                            let dist2 = d0 * d0 + d1 * d1
                            let leaf = tree.firstChild[cell] < 0
                            if leaf && dist2 == 0 { continue }  // the point itself (and its duplicates)
                            if leaf || tree.squaredWidth[cell] / dist2 < theta2 {
                                let q = 1 / (1 + dist2), m = Double(size) * q
                                zc += m
                                f0 += m * q * d0; f1 += m * q * d1
                            } else {
                                let fc = tree.firstChild[cell]
                                stack.append(fc); stack.append(fc + 1); stack.append(fc + 2); stack.append(fc + 3)
                            }
                        }
                        r.pointer[2 * i] = f0; r.pointer[2 * i + 1] = f1
                    }
                    z.pointer[c] = zc
                }
            }
        }
        let zAll = max(zParts.reduce(0, +), TSNE.machineEpsilon)
        var error = 0.0
        let tiny = Double(Float.leastNormalMagnitude)
        for i in 0 ..< n {
            let yi0 = y[2 * i], yi1 = y[2 * i + 1]
            var a0 = 0.0, a1 = 0.0
            for t in p.rowStart[i] ..< p.rowStart[i + 1] {
                let j = Int(p.columns[t]), pij = p.values[t]
                let d0 = yi0 - y[2 * j], d1 = yi1 - y[2 * j + 1]
                let q = 1 / (1 + d0 * d0 + d1 * d1)
                a0 += pij * q * d0; a1 += pij * q * d1
                if computeError { error += pij * log(max(pij, tiny) / max(q / zAll, tiny)) }
            }
            grad[2 * i] = 4 * (a0 - repel[2 * i] / zAll)
            grad[2 * i + 1] = 4 * (a1 - repel[2 * i + 1] / zAll)
        }
        return computeError ? error : nil
    }
}

/// A raw pointer the concurrent loops write disjoint parts of.
struct UncheckedPointer<T>: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<T>
    init(_ pointer: UnsafeMutablePointer<T>) { self.pointer = pointer }
}
