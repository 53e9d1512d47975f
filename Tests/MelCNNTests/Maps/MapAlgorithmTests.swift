import Foundation
import XCTest
@testable import MelCNN

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
        let started = Date()
        let result = try TSNE().fit(f.x, n: f.n, dim: f.dim)
        let seconds = Date().timeIntervalSince(started)
        let mine = try Trustworthiness.score(f.x, dim: f.dim, embedded: result.embedding, embeddedDim: 2, neighbors: 10)
        let theirs = try f.attribute("tsne_trustworthiness")
        print(String(format: "t-SNE 300 points: trustworthiness %.4f (sklearn %.4f, exact %.4f), KL %.4f (sklearn %.4f, exact %.4f), %d iterations, %.2f s",
                     mine, theirs, try f.attribute("tsne_exact_trustworthiness"), result.klDivergence,
                     try f.attribute("tsne_kl"), try f.attribute("tsne_exact_kl"), result.iterations, seconds))
        XCTAssertGreaterThanOrEqual(mine, theirs - 0.02)
        XCTAssertEqual(result.learningRate, 50)
        XCTAssertTrue(result.klDivergence.isFinite && result.klDivergence > 0)
        XCTAssertLessThan(result.klDivergence, try f.attribute("tsne_exact_kl") + 0.1)
        // Seeded and deterministic.
        XCTAssertEqual(try TSNE().fit(f.x, n: f.n, dim: f.dim).embedding, result.embedding)
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
