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
