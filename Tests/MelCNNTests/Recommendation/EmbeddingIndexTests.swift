import XCTest
@testable import MelCNN

final class EmbeddingIndexTests: XCTestCase {
    func testNearestAndPrecision() {
        // Two clusters along x and y; the last point of cluster 0 leans towards cluster 1.
        let v: [Float] = [1, 0.1, 2, 0.3, 1, -0.1, 1, 0.9, 0.1, 1, -0.1, 3]
        let index = EmbeddingIndex(vectors: v, dim: 2, paths: ["a1", "a2", "a3", "a4", "b1", "b2"], labels: [0, 0, 0, 0, 1, 1])
        let hits = index.nearest(to: index.vector(at: 4), k: 2, excluding: 4)
        XCTAssertEqual(hits.map(\.index), [5, 3])
        XCTAssertEqual(hits[0].score, (0.1 * -0.1 + 1 * 3) / (Float(1.01).squareRoot() * Float(9.01).squareRoot()), accuracy: 1e-6)
        XCTAssertEqual(index.nearest(to: [2, 0], k: 1).first?.index, 0) // a1 and a3 tie; the lower index wins
        // precision@1: a1..a3 -> a-neighbour, a4 -> a (0.9 vs b's); b1 -> b2, b2 -> b1
        XCTAssertEqual(index.precisionAtK(1), 1.0, accuracy: 1e-12)
        XCTAssertEqual(index.index(of: "b2"), 5)
        XCTAssertNil(index.index(of: "zz"))
    }
}

final class EmbeddingIndexPlaylistTests: XCTestCase {
    private let v: [Float] = [1, 0.1, 2, 0.3, 1, -0.1, 1, 0.9, 0.1, 1, -0.1, 3]
    private var index: EmbeddingIndex {
        EmbeddingIndex(vectors: v, dim: 2, paths: ["a1", "a2", "a3", "a4", "b1", "b2"], labels: [0, 0, 0, 0, 1, 1])
    }

    /// A playlist of a1 and b2 is the mean of their unit vectors: closest to a4 (1, 0.9).
    func testPlaylistQueryIsMeanOfUnitVectors() {
        let q = index.playlistQuery([0, 5])
        let a = index.vector(at: 0), b = index.vector(at: 5)
        XCTAssertEqual(q[0], (a[0] + b[0]) / 2, accuracy: 1e-7)
        XCTAssertEqual(q[1], (a[1] + b[1]) / 2, accuracy: 1e-7)
        let hits = index.nearest(to: q, k: 3, excluding: [0, 5])
        XCTAssertEqual(hits.first?.index, 3)
        XCTAssertFalse(hits.contains { $0.index == 0 || $0.index == 5 })
        XCTAssertEqual(index.nearest(to: q, k: 6, excluding: []).count, 6)
    }

    /// precision@k over a subset equals a brute-force count over that subset only.
    func testPrecisionOverSubsetMatchesBruteForce() {
        let rows = [0, 3, 4, 5]
        func brute(_ k: Int) -> Double {
            var total = 0.0
            for i in rows {
                let others = rows.filter { $0 != i }.sorted {
                    let si = zip(index.vector(at: i), index.vector(at: $0)).map(*).reduce(0, +)
                    let sj = zip(index.vector(at: i), index.vector(at: $1)).map(*).reduce(0, +)
                    return si != sj ? si > sj : $0 < $1
                }
                total += Double(others.prefix(k).filter { index.labels[$0] == index.labels[i] }.count) / Double(k)
            }
            return total / Double(rows.count)
        }
        for k in 1 ... 3 { XCTAssertEqual(index.precisionAtK(k, rows: rows), brute(k), accuracy: 1e-12, "k \(k)") }
        XCTAssertEqual(index.precisionAtK(2, rows: nil), index.precisionAtK(2, rows: Array(0 ..< 6)), accuracy: 1e-12)
    }

    func testTopKKeepsTiesByIndex() {
        let hits = EmbeddingIndex.topK([0.5, 0.9, 0.5, 0.9, 0.1], k: 3, excluding: [1])
        XCTAssertEqual(hits.map(\.index), [3, 0, 2])
    }
}
