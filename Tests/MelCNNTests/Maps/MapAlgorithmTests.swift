import Foundation
import XCTest
@testable import MelCNN
import Tensor

/// PCA, t-SNE, trustworthiness, k-means and the cluster scores against scikit-learn 1.9.1.
final class MapAlgorithmTests: XCTestCase {
    func testPCAMatchesScikitLearn() throws {
        let f = try MapFixture()
        let mine = PCA.project(f.x, n: f.n, dim: f.dim, components: 2)
        let theirs = try f.doubles("pca")
        var worst = 0.0
        for i in mine.indices { worst = max(worst, abs(mine[i] - theirs[i])) }
        XCTAssertLessThan(worst, 1e-4)
    }

    func testTrustworthinessMatchesScikitLearn() throws {
        let f = try MapFixture()
        for (embedding, attribute) in [("tsne", "tsne_trustworthiness"), ("tsne_exact", "tsne_exact_trustworthiness"),
                                       ("pca", "pca_trustworthiness")] {
            let t = try Trustworthiness.score(f.x, dim: f.dim, embedded: try f.doubles(embedding), embeddedDim: 2, neighbors: 10)
            XCTAssertEqual(t, try f.attribute(attribute), accuracy: 1e-6, embedding)
        }
        XCTAssertThrowsError(try Trustworthiness.score(f.x, dim: f.dim, embedded: try f.doubles("pca"), embeddedDim: 2, neighbors: 150))
    }

    func testTSNETrustworthinessAndKLAgainstScikitLearn() throws {
        let f = try MapFixture()
        var exact = TSNE()
        exact.method = .exact
        let started = Date()
        let result = try exact.fit(f.x, n: f.n, dim: f.dim)
        let seconds = Date().timeIntervalSince(started)
        let mine = try Trustworthiness.score(f.x, dim: f.dim, embedded: result.embedding, embeddedDim: 2, neighbors: 10)
        let theirs = try f.attribute("tsne_exact_trustworthiness")
        print(String(format: "t-SNE 300 points: trustworthiness %.4f (sklearn %.4f, exact %.4f), KL %.4f (sklearn %.4f, exact %.4f), %d iterations, %.2f s",
                     mine, theirs, try f.attribute("tsne_exact_trustworthiness"), result.klDivergence,
                     try f.attribute("tsne_kl"), try f.attribute("tsne_exact_kl"), result.iterations, seconds))
        XCTAssertGreaterThanOrEqual(mine, theirs - 0.02)
        XCTAssertEqual(result.learningRate, 50)
        XCTAssertTrue(result.klDivergence.isFinite && result.klDivergence > 0)
        XCTAssertLessThan(result.klDivergence, try f.attribute("tsne_exact_kl") + 0.1)
        // Seeded and deterministic.
        XCTAssertEqual(try exact.fit(f.x, n: f.n, dim: f.dim).embedding, result.embedding)
    }

    /// scikit-learn's default, TSNE(method="barnes_hut", angle=0.5), on the same fixture.
    func testBarnesHutTSNEAgainstScikitLearn() throws {
        let f = try MapFixture()
        let started = Date()
        let result = try TSNE().fit(f.x, n: f.n, dim: f.dim)
        let seconds = Date().timeIntervalSince(started)
        let mine = try Trustworthiness.score(f.x, dim: f.dim, embedded: result.embedding, embeddedDim: 2, neighbors: 10)
        let theirs = try f.attribute("tsne_trustworthiness")
        print(String(format: "Barnes-Hut t-SNE 300 points: trustworthiness %.4f (sklearn %.4f), KL %.4f (sklearn %.4f), %d iterations, %.2f s",
                     mine, theirs, result.klDivergence, try f.attribute("tsne_kl"), result.iterations, seconds))
        XCTAssertGreaterThanOrEqual(mine, theirs - 0.02)
        XCTAssertEqual(result.klDivergence, try f.attribute("tsne_kl"), accuracy: 0.1)
        XCTAssertEqual(try TSNE().fit(f.x, n: f.n, dim: f.dim).embedding, result.embedding, "deterministic")
    }

    /// The neighbour graph equals a brute-force search, and the symmetric P sums to 1.
    func testBarnesHutNeighboursAndP() throws {
        let f = try MapFixture()
        let k = 15
        let (neighbours, distances) = BarnesHut.nearestNeighbours(f.x, n: f.n, dim: f.dim, k: k)
        for i in stride(from: 0, to: f.n, by: 37) {
            var all: [(Double, Int)] = []
            for j in 0 ..< f.n where j != i {
                var d = 0.0
                for t in 0 ..< f.dim { let e = Double(f.x[i * f.dim + t]) - Double(f.x[j * f.dim + t]); d += e * e }
                all.append((d, j))
            }
            let brute = Array(all.sorted { $0.0 < $1.0 }.prefix(k))
            XCTAssertEqual(neighbours[i * k ..< (i + 1) * k].map { Int($0) }, brute.map { $0.1 }, "row \(i)")
            for (t, b) in brute.enumerated() { XCTAssertEqual(distances[i * k + t], b.0, accuracy: 1e-6 * max(1, b.0)) }
        }
        let p = BarnesHut.jointProbabilities(f.x, n: f.n, dim: f.dim, perplexity: 5)
        XCTAssertEqual(p.values.reduce(0, +), 1, accuracy: 1e-9)
        // Symmetric: p_ij = p_ji.
        var lookup: [Int: Double] = [:]
        for i in 0 ..< f.n { for t in p.rowStart[i] ..< p.rowStart[i + 1] { lookup[i * f.n + Int(p.columns[t])] = p.values[t] } }
        for (key, v) in lookup { XCTAssertEqual(lookup[(key % f.n) * f.n + key / f.n] ?? -1, v, accuracy: 1e-15) }
    }

    /// With angle 0 every cell is opened down to its leaves: the Barnes-Hut repulsion equals the exact one.
    func testBarnesHutGradientWithAngleZeroMatchesExactRepulsion() throws {
        var rng = SystemRandomNumberGenerator()
        let n = 60
        let y = (0 ..< 2 * n).map { _ in Double.random(in: -5 ... 5, using: &rng) }
        // P with a single pair makes the attraction easy to remove: compare the gradient of points 2 ..< n.
        let p = BarnesHut.SparseP(rowStart: [0, 1, 2] + [Int](repeating: 2, count: n - 2), columns: [1, 0], values: [0.5, 0.5])
        var bh = [Double](repeating: 0, count: 2 * n)
        _ = BarnesHut.gradient(y, p: p, n: n, angle: 0, grad: &bh, computeError: false)
        var condensed = [Float](repeating: 0, count: n * (n - 1) / 2)
        condensed[0] = 0.5
        var exact = [Double](repeating: 0, count: 2 * n)
        _ = TSNE.klGradient(y, p: condensed, n: n, grad: &exact, computeError: false)
        for k in 4 ..< 2 * n { XCTAssertEqual(bh[k], exact[k], accuracy: 1e-9 * max(1, abs(exact[k]))) }
    }

    func testTSNERejectsBadSettings() {
        var t = TSNE()
        t.perplexity = 5
        XCTAssertThrowsError(try t.fit([0, 1, 2, 3], n: 4, dim: 1))
        t.perplexity = 1
        t.maxIter = 100
        XCTAssertThrowsError(try t.fit([0, 1, 2, 3], n: 4, dim: 1))
    }

    func testKMeansInertiaWithinOnePercentOfScikitLearn() throws {
        let f = try MapFixture()
        let result = try KMeans(k: 4).fit(f.x, n: f.n, dim: f.dim)
        let theirs = try f.attribute("kmeans_inertia")
        print(String(format: "k-means k=4: inertia %.4f (sklearn %.4f), ARI vs labels %.4f", result.inertia, theirs,
                     ClusterScores.adjustedRandIndex(f.labels, result.labels)))
        XCTAssertLessThanOrEqual(result.inertia, theirs * 1.01)
        XCTAssertEqual(try KMeans(k: 4).fit(f.x, n: f.n, dim: f.dim), result)
        XCTAssertThrowsError(try KMeans(k: 0).fit(f.x, n: f.n, dim: f.dim))
    }

    /// The blocked BLAS assignment (several blocks of 1024 rows) picks the nearest centre of a
    /// brute-force search, with the exact squared distance to it.
    func testKMeansAssignmentEqualsBruteForce() {
        var rng = SeededGenerator(seed: 9)
        let n = 2500, dim = 7, k = 6
        let x = (0 ..< n * dim).map { _ in Double(rng.next() % 10_000) / 1000 - 5 }
        let centers = (0 ..< k * dim).map { _ in Double(rng.next() % 10_000) / 1000 - 5 }
        let (labels, distances) = KMeans(k: k).assign(x, n: n, dim: dim, centers: centers)
        for i in 0 ..< n {
            var d = [Double](repeating: 0, count: k)
            for c in 0 ..< k {
                for t in 0 ..< dim {
                    let e: Double = x[i * dim + t] - centers[c * dim + t]
                    d[c] += e * e
                }
            }
            let best = d.indices.min { d[$0] < d[$1] }!
            XCTAssertEqual(labels[i], best, "point \(i)")
            XCTAssertEqual(distances[i], d[best], accuracy: 1e-12 * max(1, d[best]))
        }
    }

    func testARINMIAndSilhouetteMatchScikitLearn() throws {
        let f = try MapFixture()
        let kmeans = try f.ints("kmeans_labels"), random = try f.ints("random_labels")
        XCTAssertEqual(ClusterScores.adjustedRandIndex(f.labels, kmeans), try f.attribute("ari_kmeans"), accuracy: 1e-6)
        XCTAssertEqual(ClusterScores.normalizedMutualInformation(f.labels, kmeans), try f.attribute("nmi_kmeans"), accuracy: 1e-6)
        XCTAssertEqual(ClusterScores.adjustedRandIndex(f.labels, random), try f.attribute("ari_random"), accuracy: 1e-6)
        XCTAssertEqual(ClusterScores.normalizedMutualInformation(f.labels, random), try f.attribute("nmi_random"), accuracy: 1e-6)
        XCTAssertEqual(ClusterScores.silhouette(f.x, dim: f.dim, labels: kmeans), try f.attribute("silhouette_kmeans"), accuracy: 1e-6)
        XCTAssertEqual(ClusterScores.adjustedRandIndex([0, 0, 1], [5, 5, 2]), 1)
        XCTAssertEqual(ClusterScores.normalizedMutualInformation([0, 0, 0], [1, 1, 1]), 1)
    }
}
