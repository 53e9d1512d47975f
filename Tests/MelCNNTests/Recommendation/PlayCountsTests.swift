import XCTest
@testable import MelCNN

final class PlayCountsTests: XCTestCase {
    private func write(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("plays-\(UUID().uuidString).csv").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        return path
    }

    func testReadsWithAndWithoutHeaderSumsDuplicatesAndQuotes() throws {
        let a = try PlayCounts.read(csv: try write("user,track,count\nu1,a.wav,2\nu2,\"b,1.wav\",1\r\nu1,a.wav,3\n\nu1,c.wav,1.5"))
        XCTAssertEqual(a.users, ["u1", "u2"])
        XCTAssertEqual(a.tracks, ["a.wav", "b,1.wav", "c.wav"])
        XCTAssertEqual(a.rowsRead, 4)
        XCTAssertEqual(a.matrix.indptr, [0, 2, 3])
        XCTAssertEqual(a.matrix.indices, [0, 2, 1])
        XCTAssertEqual(a.matrix.values, [5, 1.5, 1])
        let b = try PlayCounts.read(csv: try write("u1,a.wav,2\n"))
        XCTAssertEqual(b.matrix.values, [2])
        XCTAssertEqual(b.matrix.transposed().transposed(), b.matrix)
    }

    func testFixtureIdsMatchPythonReader() throws {
        let plays = try PlayCounts.read(csv: ALSFixture.plays)
        let fixture = try FactorsFile.read(from: ALSFixture.implicitFile)
        XCTAssertEqual(plays.users, fixture.userIDs)
        XCTAssertEqual(plays.tracks, fixture.trackIDs)
        XCTAssertEqual(plays.matrix.nonzeros, fixture.train.nonzeros + fixture.holdout.nonzeros)
    }

    func testBadRowsNameFileAndLine() throws {
        let cases: [(String, String)] = [
            ("user,track,count\nu1,a,1\nu1,a\n", ":3: expected 3 fields"),
            ("u1,a,1,7\n", ":1: expected 3 fields user,track,count, got more"),
            ("u1,a,zero\n", ":1: count must be a finite number > 0"),
            ("u1,a,-2\n", ":1: count must be"),
            ("u1,a,nan\n", ":1: count must be"),
            (",a,1\n", ":1: empty user id"),
            ("u,\"a,1\n", ":1: unterminated quoted field"),
            ("user,track,count\n", "no plays"),
        ]
        for (text, expected) in cases {
            let path = try write(text)
            XCTAssertThrowsError(try PlayCounts.read(csv: path)) { error in
                XCTAssertTrue("\(error)".contains(path), "\(error)")
                XCTAssertTrue("\(error)".contains(expected), "\(error) for \(text)")
                XCTAssertFalse("\(error)".contains("\n"))
            }
        }
        XCTAssertThrowsError(try PlayCounts.read(csv: "/nonexistent/plays.csv")) { XCTAssertTrue("\($0)".contains("/nonexistent/plays.csv")) }
        let folder = FileManager.default.temporaryDirectory.path
        XCTAssertThrowsError(try PlayCounts.read(csv: folder)) { XCTAssertEqual("\($0)", "\(folder): is a folder, expected a CSV file") }
    }

    func testHoldoutKeepsOneTrainingTrackPerUser() throws {
        let plays = try PlayCounts.read(csv: ALSFixture.plays)
        let (train, test) = plays.holdout(fraction: 0.5, seed: 1)
        XCTAssertEqual(train.nonzeros + test.nonzeros, plays.matrix.nonzeros)
        for u in 0 ..< train.rows {
            let n = plays.matrix.indptr[u + 1] - plays.matrix.indptr[u]
            XCTAssertGreaterThanOrEqual(train.indptr[u + 1] - train.indptr[u], 1)
            XCTAssertEqual(test.indptr[u + 1] - test.indptr[u], min(n - 1, Int((0.5 * Double(n)).rounded())))
        }
        XCTAssertEqual(plays.holdout(fraction: 0.5, seed: 1).test, test)
        XCTAssertNotEqual(plays.holdout(fraction: 0.5, seed: 2).test, test)
    }
}
