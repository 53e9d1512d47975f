import XCTest
@testable import MelCNN

final class RankingMetricsTests: XCTestCase {
    /// mAP@500 and mean AUC of implicit's factors and of the popularity baseline (many ties)
    /// equal generate_als_fixture.py's: AP by numpy's stable argsort, AUC by scikit-learn's
    /// roc_auc_score, per user over the tracks not played in training.
    func testMatchesPythonReferenceOnFixture() throws {
        let file = try FactorsFile.read(from: ALSFixture.implicitFile)
        let rows = file.evaluate(k: 500, seed: 0, threads: 2)
        XCTAssertEqual(rows.map(\.name), ["als", "popularity", "random"])
        XCTAssertEqual(rows[0].result.meanAveragePrecision, try ALSFixture.attribute("ref_map"), accuracy: 1e-6)
        XCTAssertEqual(rows[0].result.auc, try ALSFixture.attribute("ref_auc"), accuracy: 1e-6)
        XCTAssertEqual(rows[1].result.meanAveragePrecision, try ALSFixture.attribute("ref_pop_map"), accuracy: 1e-6)
        XCTAssertEqual(rows[1].result.auc, try ALSFixture.attribute("ref_pop_auc"), accuracy: 1e-6)
        XCTAssertEqual(rows[2].result.auc, 0.5, accuracy: 0.03)
    }

    /// A hand-worked user: 6 tracks, track 1 played in training, tracks 2 and 4 held out.
    /// Scores [0.9, 5, 0.5, 0.9, 0.5, 0.1]; candidates 0, 2, 3, 4, 5 ranked (ties by index)
    /// 0 (0.9), 3 (0.9), 2 (0.5), 4 (0.5), 5 (0.1): relevant at ranks 3 and 4,
    /// AP = (1/3 + 2/4) / 2 = 5/12; AP@3 = (1/3) / 2 = 1/6.
    /// AUC: negatives 0, 3, 5; track 2 beats 5, loses to 0 and 3: 1/3; track 4 likewise: 1/3.
    func testHandWorkedTies() {
        let scores: [Float] = [0.9, 5, 0.5, 0.9, 0.5, 0.1]
        let played: [Int32] = [1], relevant: [Int32] = [2, 4]
        func run(_ k: Int) -> (ap: Double, auc: Double?) {
            scores.withUnsafeBufferPointer { s in
                played.withUnsafeBufferPointer { p in
                    relevant.withUnsafeBufferPointer { r in
                        RankingMetrics.userMetrics(scores: s.baseAddress!, count: 6, played: p, relevant: r, k: k)
                    }
                }
            }
        }
        XCTAssertEqual(run(500).ap, 5.0 / 12, accuracy: 1e-12)
        XCTAssertEqual(run(500).auc!, 1.0 / 3, accuracy: 1e-12)
        XCTAssertEqual(run(3).ap, 1.0 / 6, accuracy: 1e-12)
        // Tied with a negative: scores of 4 and 5 equal -> track 4 gets 1/2 for that pair.
        let tied: [Float] = [0.9, 5, 0.5, 0.9, 0.1, 0.1]
        let auc = tied.withUnsafeBufferPointer { s in
            played.withUnsafeBufferPointer { p in
                relevant.withUnsafeBufferPointer { r in
                    RankingMetrics.userMetrics(scores: s.baseAddress!, count: 6, played: p, relevant: r, k: 500).auc!
                }
            }
        }
        XCTAssertEqual(auc, (1.0 / 3 + 0.5 / 3) / 2, accuracy: 1e-12)
    }

    func testUsersWithoutHeldOutTracksAreNotCounted() {
        let train = SparseMatrix(rows: 2, cols: 3, rowIndex: [0, 1], colIndex: [0, 0], values: [1, 1])
        let test = SparseMatrix(rows: 2, cols: 3, rowIndex: [1], colIndex: [2], values: [1])
        let r = RankingMetrics.evaluatePopularity(train: train, test: test)
        XCTAssertEqual(r.users, 1)
        // Candidates 1 and 2 both have popularity 0: track 2 ranks second; AUC ties -> 0.5.
        XCTAssertEqual(r.meanAveragePrecision, 0.5, accuracy: 1e-12)
        XCTAssertEqual(r.auc, 0.5, accuracy: 1e-12)
    }
}
