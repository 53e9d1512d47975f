import Foundation
@testable import MelCNN
import XCTest

/// Ranking candidates by predicted factors, and reading predicted factors from an embeddings file.
final class ColdStartRankingTests: XCTestCase {
    /// Two users of 2 factors, one track, no plays.
    func makeFactors() -> FactorsFile {
        let empty = SparseMatrix(rows: 2, cols: 1, indptr: [0, 0, 0], indices: [], values: [])
        let model = ImplicitALS.Model(factors: 2, userFactors: [1, 0, 0.5, -1], itemFactors: [0, 0])
        return FactorsFile(userIDs: ["u0", "u1"], trackIDs: ["t"], model: model, options: .init(factors: 2),
                           holdoutFraction: 0, train: empty, holdout: empty, plays: "plays.csv")
    }

    func testRankScoresByDotProductWithTiesByIndex() {
        let file = makeFactors()
        let candidates: [Float] = [1, 5, 3, 0, 2, 2, 3, -4]   // scores for u1: -4.5, 1.5, -1, 5.5
        let ranked = file.rank(user: 1, candidates: candidates, top: 3)
        XCTAssertEqual(ranked.map(\.candidate), [3, 1, 2])
        XCTAssertEqual(ranked.map(\.score), [5.5, 1.5, -1])
        // u0 scores the first factor only: candidates 1 and 3 tie at 3 and keep their order.
        XCTAssertEqual(file.rank(user: 0, candidates: candidates, top: 4).map(\.candidate), [1, 3, 2, 0])
    }

    func testPredictedFactorsFileOfTheWrongKindLayerOrDimensionIsOneLine() throws {
        let dir = try TinyDataset.temporaryDirectory(self)
        func write(_ layer: String, dim: Int) throws -> String {
            let path = dir.appendingPathComponent("\(layer)\(dim).h5").path
            try EmbeddingsFile(vectors: [Float](repeating: 0.5, count: 3 * dim), dim: dim, paths: ["a.wav", "b.wav", "c.wav"],
                               labels: [0, 0, 0], classes: ["factor00"], checkpoint: "run/best.h5", layer: layer).write(to: path)
            return path
        }
        let good = try write("factors", dim: 2)
        XCTAssertEqual(try EmbeddingsFile.readPredictedFactors(from: good, factors: 2).paths, ["a.wav", "b.wav", "c.wav"])
        let cases: [(String, String)] = [
            (try write("factors", dim: 3), "holds 3 predicted factors per track, the factors file 2"),
            (try write("pool", dim: 2), "holds embeddings of layer pool, not predicted factors"),
            (dir.appendingPathComponent("missing.h5").path, "missing.h5"),
        ]
        for (path, expected) in cases {
            XCTAssertThrowsError(try EmbeddingsFile.readPredictedFactors(from: path, factors: 2)) { error in
                XCTAssertTrue("\(error)".contains(path) && "\(error)".contains(expected), "\(error)")
                XCTAssertFalse("\(error)".contains("\n"))
            }
        }
        let factorsPath = dir.appendingPathComponent("factors.h5").path
        try makeFactors().write(to: factorsPath)
        XCTAssertThrowsError(try EmbeddingsFile.readPredictedFactors(from: factorsPath, factors: 2)) { error in
            XCTAssertEqual("\(error)", "\(factorsPath): not a melcnn-embeddings file")
        }
    }
}
