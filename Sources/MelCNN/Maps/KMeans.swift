import COpenBLAS
import Dispatch
import Foundation
import Tensor

/// k-means clustering: Lloyd's algorithm from greedy k-means++ seeds, the best of several
/// restarts by inertia (scikit-learn's `KMeans(init="k-means++", n_init=10, algorithm="lloyd")`).
public struct KMeans {
    public var k: Int
    public var nInit = 10
    public var maxIter = 300
    /// Relative tolerance on the centre shift, scaled by the mean feature variance.
    public var tol = 1e-4
    public var seed: UInt64 = 0

    public init(k: Int) { self.k = k }

    public struct Result: Sendable, Equatable {
        /// `[k, dim]` row-major.
        public var centers: [Double]
        public var labels: [Int]
        /// Sum of squared distances of the points to their centres.
        public var inertia: Double
        public var iterations: Int
    }

    /// Clusters the rows of `x` (`[n, dim]` row-major).
    public func fit(_ x: [Float], n: Int, dim: Int) throws -> Result {
        guard k >= 1 else { throw ParameterError("k", " must be >= 1, got \(k)") }
        guard k <= n else { throw ParameterError("k", " (\(k)) is more than the number of tracks (\(n))") }
        guard nInit >= 1 else { throw ParameterError("nInit", " must be >= 1, got \(nInit)") }
        let data = x.map(Double.init)
        // tol as scikit-learn's _tolerance: mean of the per-feature variances times tol.
        var variance = 0.0
        for j in 0 ..< dim {
            var m = 0.0, s = 0.0
            for i in 0 ..< n { m += data[i * dim + j] }
            m /= Double(n)
            for i in 0 ..< n { s += (data[i * dim + j] - m) * (data[i * dim + j] - m) }
            variance += s / Double(n)
        }
        let shiftTolerance = variance / Double(dim) * tol
        var rng = SeededGenerator(seed: seed)
        var best: Result?
        for _ in 0 ..< nInit {
            let seeds = plusPlus(data, n: n, dim: dim, rng: &rng)
            let run = lloyd(data, n: n, dim: dim, centers: seeds, tolerance: shiftTolerance)
            if best == nil || run.inertia < best!.inertia { best = run }
        }
        return best!
    }

    /// Greedy k-means++ (scikit-learn's `_kmeans_plusplus`): 2 + floor(ln k) candidates per step,
    /// keeping the one that lowers the potential most.
    func plusPlus(_ x: [Double], n: Int, dim: Int, rng: inout SeededGenerator) -> [Double] {
        var centers = [Double](repeating: 0, count: k * dim)
        let trials = 2 + Int(log(Double(k)))
        let first = Int(uniform(&rng) * Double(n)) % n
        for t in 0 ..< dim { centers[t] = x[first * dim + t] }
        var closest = (0 ..< n).map { squaredDistance(x, $0, x, first, dim) }
        var potential = closest.reduce(0, +)
        for c in 1 ..< max(1, k) {
            var bestCandidate = -1, bestPotential = Double.infinity
            var bestDistances: [Double] = []
            for _ in 0 ..< trials {
                let target = uniform(&rng) * potential
                var cumulative = 0.0, candidate = n - 1
                for i in 0 ..< n {
                    cumulative += closest[i]
                    if cumulative > target { candidate = i; break }
                }
                var distances = closest
                var pot = 0.0
                x.withUnsafeBufferPointer { xp in
                    distances.withUnsafeMutableBufferPointer { dp in
                        let xc = xp.baseAddress! + candidate * dim
                        for i in 0 ..< n {
                            dp[i] = min(dp[i], squaredDistance(xp.baseAddress! + i * dim, xc, dim))
                            pot += dp[i]
                        }
                    }
                }
                if pot < bestPotential {
                    bestPotential = pot
                    bestCandidate = candidate
                    bestDistances = distances
                }
            }
            for t in 0 ..< dim { centers[c * dim + t] = x[bestCandidate * dim + t] }
            closest = bestDistances
            potential = bestPotential
        }
        return centers
    }

    /// Lloyd iterations until the labels stop changing or the centres move less than `tolerance`
    /// (squared, summed), then a final assignment to the last centres.
    func lloyd(_ x: [Double], n: Int, dim: Int, centers start: [Double], tolerance: Double) -> Result {
        var centers = start
        var labels = [Int](repeating: -1, count: n)
        var iterations = 0
        for it in 0 ..< maxIter {
            iterations = it + 1
            let (newLabels, distances) = assign(x, n: n, dim: dim, centers: centers)
            var sums = [Double](repeating: 0, count: k * dim)
            var counts = [Int](repeating: 0, count: k)
            for i in 0 ..< n {
                counts[newLabels[i]] += 1
                for t in 0 ..< dim { sums[newLabels[i] * dim + t] += x[i * dim + t] }
            }
            var updated = centers
            var taken = Set<Int>()
            for c in 0 ..< k {
                if counts[c] == 0 {
                    // Empty cluster: move it to the point farthest from its centre.
                    let far = (0 ..< n).filter { !taken.contains($0) }.max { distances[$0] < distances[$1] } ?? 0
                    taken.insert(far)
                    for t in 0 ..< dim { updated[c * dim + t] = x[far * dim + t] }
                } else {
                    for t in 0 ..< dim { updated[c * dim + t] = sums[c * dim + t] / Double(counts[c]) }
                }
            }
            var shift = 0.0
            for t in 0 ..< k * dim { shift += (updated[t] - centers[t]) * (updated[t] - centers[t]) }
            let same = newLabels == labels
            labels = newLabels
            centers = updated
            if same || shift <= tolerance { break }
        }
        let (finalLabels, distances) = assign(x, n: n, dim: dim, centers: centers)
        return Result(centers: centers, labels: finalLabels, inertia: distances.reduce(0, +), iterations: iterations)
    }

    /// The nearest centre of each point and the squared distance to it.
    ///
    /// The nearest centre minimises |c|^2 - 2 x.c (|x|^2 is the same for every centre), the
    /// products from blocked BLAS calls in float64 as scikit-learn's `_k_means_lloyd` (gemm);
    /// the distance to the chosen centre is then computed exactly, as its `_inertia_dense`.
    func assign(_ x: [Double], n: Int, dim: Int, centers: [Double]) -> ([Int], [Double]) {
        var labels = [Int](repeating: 0, count: n)
        var distances = [Double](repeating: 0, count: n)
        let block = 1024
        let k = self.k
        var gram = [Double](repeating: 0, count: min(block, n) * k)
        let centerNorms = (0 ..< k).map { c in (0 ..< dim).reduce(0.0) { $0 + centers[c * dim + $1] * centers[c * dim + $1] } }
        x.withUnsafeBufferPointer { xp in
            centers.withUnsafeBufferPointer { cp in
                gram.withUnsafeMutableBufferPointer { g in
                    labels.withUnsafeMutableBufferPointer { lp in
                        distances.withUnsafeMutableBufferPointer { dp in
                            var r0 = 0
                            while r0 < n {
                                let rows = min(block, n - r0)
                                cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, blasint(rows), blasint(k), blasint(dim),
                                            1, xp.baseAddress! + r0 * dim, blasint(dim), cp.baseAddress!, blasint(dim), 0,
                                            g.baseAddress!, blasint(k))
                                for r in 0 ..< rows {
                                    var best = Double.infinity, label = 0
                                    for c in 0 ..< k {
                                        let d = centerNorms[c] - 2 * g[r * k + c]
                                        if d < best { best = d; label = c }
                                    }
                                    lp[r0 + r] = label
                                    dp[r0 + r] = squaredDistance(xp.baseAddress! + (r0 + r) * dim, cp.baseAddress! + label * dim, dim)
                                }
                                r0 += rows
                            }
                        }
                    }
                }
            }
        }
        return (labels, distances)
    }

    func uniform(_ rng: inout SeededGenerator) -> Double { Double(rng.next() >> 11) * 0x1p-53 }
}

@inline(__always)
func squaredDistance(_ a: [Double], _ i: Int, _ b: [Double], _ j: Int, _ dim: Int) -> Double {
    a.withUnsafeBufferPointer { a in
        b.withUnsafeBufferPointer { b in squaredDistance(a.baseAddress! + i * dim, b.baseAddress! + j * dim, dim) }
    }
}

/// Sum of squared differences of `dim` values at `a` and `b`.
@inline(__always)
func squaredDistance(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ dim: Int) -> Double {
    var s = 0.0
    for t in 0 ..< dim {
        let d = a[t] - b[t]
        s += d * d
    }
    return s
}

/// `g[r, j] = x[r0 + r] . x[j]` for `rows` rows and all `n` rows of `x` (`[n, dim]`), `g` `[rows, n]`: cblas_dgemm.
@inline(__always)
func gramRows(_ x: UnsafePointer<Double>, from r0: Int, rows: Int, n: Int, dim: Int, into g: UnsafeMutablePointer<Double>) {
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, blasint(rows), blasint(n), blasint(dim),
                1, x + r0 * dim, blasint(dim), x, blasint(dim), 0, g, blasint(n))
}

/// Products of blocks of `block` rows of `x` (`[n, dim]`) with all its rows, on `Threads.count`
/// workers of `WorkerPool` (each takes the next block): `body(&scratch, r0, rows, gram)` with
/// `gram` `[rows, n]` (`gramRows`) and `scratch` made once per worker by `scratch()`.
func forEachGramBlock<Scratch>(_ x: [Double], n: Int, dim: Int, block: Int, scratch: @Sendable () -> Scratch,
                               _ body: @Sendable (inout Scratch, Int, Int, UnsafePointer<Double>) -> Void) {
    let blocks = (n + block - 1) / block
    let gramCount = min(block, n) * n
    WorkerPool.forEach(count: blocks, jobs: Threads.count, state: { (gram: GramRows(count: gramCount), scratch: scratch()) }) { state, b in
        let r0 = b * block, rows = min(block, n - r0)
        let gram = state.gram.pointer
        x.withUnsafeBufferPointer { xp in gramRows(xp.baseAddress!, from: r0, rows: rows, n: n, dim: dim, into: gram) }
        body(&state.scratch, r0, rows, UnsafePointer(gram))
    }
}

/// One worker's Gram block, `[rows, n]` float64 (`forEachGramBlock`).
final class GramRows {
    let pointer: UnsafeMutablePointer<Double>

    init(count: Int) {
        pointer = .allocate(capacity: max(1, count))
        pointer.initialize(repeating: 0, count: max(1, count))
    }

    deinit { pointer.deallocate() }
}
