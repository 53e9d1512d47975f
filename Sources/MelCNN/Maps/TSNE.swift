import Foundation
import Tensor

/// t-SNE (van der Maaten & Hinton 2008; van der Maaten 2014) following scikit-learn's `TSNE`:
/// its defaults, its names, its optimiser, and its two gradient methods.
public struct TSNE {
    public enum Initialization: String, Sendable { case pca, random }
    /// `exact`: all n^2 pairs (scikit-learn `method="exact"`); `barnesHut`: nearest-neighbour P
    /// and a quadtree (`method="barnes_hut"`, scikit-learn's default), O(n log n) per iteration.
    public enum Method: String, Sendable { case exact, barnesHut = "barnes-hut" }

    public var method = Method.barnesHut
    /// Barnes-Hut's accuracy/speed trade-off (scikit-learn's `angle`).
    public var angle = 0.5
    public var perplexity = 30.0
    public var earlyExaggeration = 12.0
    /// `nil` is scikit-learn's `"auto"`: `max(N / early_exaggeration / 4, 50)`.
    public var learningRate: Double? = nil
    public var maxIter = 1000
    public var nIterWithoutProgress = 300
    public var minGradNorm = 1e-7
    public var initialization = Initialization.pca
    /// Seeds the random initialisation (the PCA one uses no randomness).
    public var seed: UInt64 = 0

    /// Iterations with early exaggeration and momentum 0.5 (`_EXPLORATION_MAX_ITER`).
    public static let explorationIterations = 250
    /// The error is computed and progress checked every this many iterations (`_N_ITER_CHECK`).
    public static let checkEvery = 50
    static let machineEpsilon = Double.ulpOfOne

    public init() {}

    public struct Result: Sendable {
        /// `[n, 2]` row-major.
        public var embedding: [Double]
        /// KL(P || Q) at the last iteration.
        public var klDivergence: Double
        /// Iterations run (scikit-learn's `n_iter_`, the index of the last one).
        public var iterations: Int
        public var learningRate: Double
    }

    /// Embeds the rows of `x` (`[n, dim]` row-major) in 2-D.
    public func fit(_ x: [Float], n: Int, dim: Int) throws -> Result {
        guard n >= 2 else { throw MelCNNError.invalidArgument("t-SNE needs at least 2 tracks, got \(n)") }
        guard perplexity > 0, perplexity < Double(n) else {
            throw ParameterError("perplexity", " must be > 0 and less than the number of tracks (\(n)), got \(perplexity)")
        }
        guard maxIter >= 250 else { throw ParameterError("maxIter", " must be >= 250, got \(maxIter)") }
        guard earlyExaggeration >= 1 else { throw ParameterError("earlyExaggeration", " must be >= 1") }
        let rate = learningRate ?? max(Double(n) / earlyExaggeration / 4, 50)
        guard rate > 0 else { throw ParameterError("learningRate", " must be > 0") }
        guard angle >= 0, angle <= 1 else { throw ParameterError("angle", " must be between 0 and 1, got \(angle)") }
        var y: [Double]
        switch initialization {
        case .pca:
            // sklearn casts the PCA projection to float32, then scales column 0 to std 1e-4.
            y = PCA.project(x, n: n, dim: dim, components: 2).map { Double(Float($0)) }
            var mean = 0.0, sq = 0.0
            for i in 0 ..< n { mean += y[2 * i] }
            mean /= Double(n)
            for i in 0 ..< n { sq += (y[2 * i] - mean) * (y[2 * i] - mean) }
            let std = (sq / Double(n)).squareRoot()
            let scale = std > 0 ? 1e-4 / std : 1
            y = y.map { $0 * scale }
        case .random:
            var rng = SeededGenerator(seed: seed)
            y = (0 ..< 2 * n).map { _ in 1e-4 * Double(rng.nextNormal()) }
        }
        // The gradient of each phase: P multiplied by the early exaggeration, then P itself.
        var phases: [(inout [Double], [Double], Bool) -> Double?] = []
        switch method {
        case .exact:
            let p = Self.jointProbabilities(x, n: n, dim: dim, perplexity: perplexity)
            let exaggerated = p.map { $0 * Float(earlyExaggeration) }
            phases = [{ g, y, e in Self.klGradient(y, p: exaggerated, n: n, grad: &g, computeError: e) },
                      { g, y, e in Self.klGradient(y, p: p, n: n, grad: &g, computeError: e) }]
        case .barnesHut:
            let p = BarnesHut.jointProbabilities(x, n: n, dim: dim, perplexity: perplexity)
            var exaggerated = p
            for t in exaggerated.values.indices { exaggerated.values[t] *= earlyExaggeration }
            let angle = self.angle
            phases = [{ g, y, e in BarnesHut.gradient(y, p: exaggerated, n: n, angle: angle, grad: &g, computeError: e) },
                      { g, y, e in BarnesHut.gradient(y, p: p, n: n, angle: angle, grad: &g, computeError: e) }]
        }
        var state = Descent(it: 0, maxIter: Self.explorationIterations, momentum: 0.5, learningRate: rate,
                            nIterWithoutProgress: Self.explorationIterations, minGradNorm: minGradNorm)
        var (error, it) = state.run(&y, gradient: phases[0])
        if it < Self.explorationIterations || maxIter - Self.explorationIterations > 0 {
            state = Descent(it: it + 1, maxIter: maxIter, momentum: 0.8, learningRate: rate,
                            nIterWithoutProgress: nIterWithoutProgress, minGradNorm: minGradNorm)
            (error, it) = state.run(&y, gradient: phases[1])
        }
        return Result(embedding: y, klDivergence: error, iterations: it, learningRate: rate)
    }

    /// Symmetrised joint probabilities P, condensed (pairs i < j in row order), as scikit-learn's
    /// `_joint_probabilities` over squared euclidean distances.
    static func jointProbabilities(_ x: [Float], n: Int, dim: Int, perplexity: Double) -> [Float] {
        var conditional = [Float](repeating: 0, count: n * n)
        let distances = SquaredDistances(x, n: n, dim: dim)
        var row = [Double](repeating: 0, count: n)
        var prob = [Double](repeating: 0, count: n)
        let desiredEntropy = log(perplexity)
        for i in 0 ..< n {
            distances.row(i, into: &row)
            binarySearchPerplexity(row, excluding: i, desiredEntropy: desiredEntropy, into: &prob)
            for j in 0 ..< n { conditional[i * n + j] = Float(prob[j]) }
        }
        var total = 0.0
        for i in 0 ..< n { for j in 0 ..< n where j != i { total += Double(conditional[i * n + j]) } }
        total = max(2 * total, machineEpsilon)  // the sum of conditional + conditional^T
        var condensed = [Float](repeating: 0, count: n * (n - 1) / 2)
        var k = 0
        for i in 0 ..< n {
            for j in (i + 1) ..< max(i + 1, n) {
                let v = (Double(conditional[i * n + j]) + Double(conditional[j * n + i])) / total
                condensed[k] = Float(max(v, machineEpsilon))
                k += 1
            }
        }
        return condensed
    }

    /// One row of conditional probabilities with the Gaussian bandwidth that gives the wanted
    /// perplexity (scikit-learn's `_utils._binary_search_perplexity`, 100 steps, tolerance 1e-5).
    static func binarySearchPerplexity(_ distances: [Double], excluding i: Int, desiredEntropy: Double, into p: inout [Double]) {
        let n = distances.count
        var betaMin = -Double.infinity, betaMax = Double.infinity, beta = 1.0
        for _ in 0 ..< 100 {
            var sumP = 0.0
            for j in 0 ..< n {
                p[j] = j == i ? 0 : exp(-distances[j] * beta)
                sumP += p[j]
            }
            if sumP == 0 { sumP = 1e-8 }
            var sumDistP = 0.0
            for j in 0 ..< n {
                p[j] /= sumP
                sumDistP += distances[j] * p[j]
            }
            let entropy = log(sumP) + beta * sumDistP
            let diff = entropy - desiredEntropy
            if abs(diff) <= 1e-5 { break }
            if diff > 0 {
                betaMin = beta
                beta = betaMax == .infinity ? beta * 2 : (beta + betaMax) / 2
            } else {
                betaMax = beta
                beta = betaMin == -.infinity ? beta / 2 : (beta + betaMin) / 2
            }
        }
    }

    /// Gradient descent with momentum and per-parameter gains (scikit-learn's `_gradient_descent`).
    struct Descent {
        var it: Int
        var maxIter: Int
        var momentum: Double
        var learningRate: Double
        var nIterWithoutProgress: Int
        var minGradNorm: Double
        var minGain = 0.01

        /// Returns the last error computed and the last iteration index.
        /// `gradient(grad, y, computeError)` writes the gradient at `y` and returns the divergence when asked.
        func run(_ y: inout [Double], gradient: (inout [Double], [Double], Bool) -> Double?) -> (Double, Int) {
            var update = [Double](repeating: 0, count: y.count)
            var gains = [Double](repeating: 1, count: y.count)
            var grad = [Double](repeating: 0, count: y.count)
            var error = Double.greatestFiniteMagnitude, bestError = Double.greatestFiniteMagnitude
            var bestIter = it, i = it
            while i < maxIter {
                let check = (i + 1) % TSNE.checkEvery == 0
                let e = gradient(&grad, y, check || i == maxIter - 1)
                if let e { error = e }
                var norm = 0.0
                for k in 0 ..< y.count {
                    if update[k] * grad[k] < 0 { gains[k] += 0.2 } else { gains[k] *= 0.8 }
                    gains[k] = max(gains[k], minGain)
                    grad[k] *= gains[k]
                    update[k] = momentum * update[k] - learningRate * grad[k]
                    y[k] += update[k]
                    norm += grad[k] * grad[k]
                }
                if check {
                    if error < bestError {
                        bestError = error
                        bestIter = i
                    } else if i - bestIter > nIterWithoutProgress {
                        break
                    }
                    if norm.squareRoot() <= minGradNorm { break }
                }
                i += 1
            }
            return (error, min(i, maxIter - 1))
        }
    }

    /// The gradient of KL(P || Q) with Student-t Q (one degree of freedom) into `grad`, and the
    /// divergence when asked (scikit-learn's `_kl_divergence`). `p` is condensed.
    static func klGradient(_ y: [Double], p: [Float], n: Int, grad: inout [Double], computeError: Bool) -> Double? {
        var attract = [Double](repeating: 0, count: 2 * n)
        var repel = [Double](repeating: 0, count: 2 * n)
        var z = 0.0, pLogP = 0.0, pLogNum = 0.0, pSum = 0.0
        y.withUnsafeBufferPointer { y in
            p.withUnsafeBufferPointer { p in
                attract.withUnsafeMutableBufferPointer { a in
                    repel.withUnsafeMutableBufferPointer { r in
                        var k = 0
                        for i in 0 ..< n {
                            let yi0 = y[2 * i], yi1 = y[2 * i + 1]
                            var ai0 = 0.0, ai1 = 0.0, ri0 = 0.0, ri1 = 0.0
                            for j in (i + 1) ..< max(i + 1, n) {
                                let d0 = yi0 - y[2 * j], d1 = yi1 - y[2 * j + 1]
                                let num = 1 / (1 + d0 * d0 + d1 * d1)
                                z += num
                                let pij = Double(p[k])
                                k += 1
                                let pa = pij * num, rr = num * num
                                ai0 += pa * d0; ai1 += pa * d1
                                ri0 += rr * d0; ri1 += rr * d1
                                a[2 * j] -= pa * d0; a[2 * j + 1] -= pa * d1
                                r[2 * j] -= rr * d0; r[2 * j + 1] -= rr * d1
                                if computeError {
                                    pLogP += pij * log(max(pij, machineEpsilon))
                                    pLogNum += pij * log(num)
                                    pSum += pij
                                }
                            }
                            a[2 * i] += ai0; a[2 * i + 1] += ai1
                            r[2 * i] += ri0; r[2 * i + 1] += ri1
                        }
                    }
                }
            }
        }
        let zAll = 2 * z  // ordered pairs
        for k in 0 ..< 2 * n { grad[k] = 4 * (attract[k] - repel[k] / zAll) }
        guard computeError else { return nil }
        return 2 * (pLogP - pLogNum + pSum * log(zAll))
    }
}

/// Squared euclidean distances between rows, a row at a time (float64, exact differences).
struct SquaredDistances {
    let x: [Double]
    let n: Int
    let dim: Int

    init(_ x: [Float], n: Int, dim: Int) {
        self.x = x.map(Double.init)
        self.n = n
        self.dim = dim
    }

    func row(_ i: Int, into out: inout [Double]) {
        x.withUnsafeBufferPointer { x in
            out.withUnsafeMutableBufferPointer { o in
                let xi = x.baseAddress! + i * dim
                for j in 0 ..< n { o[j] = squaredDistance(xi, x.baseAddress! + j * dim, dim) }
            }
        }
    }
}
