import DSP
import HDF5
import XCTest

/// The GTZAN 30-second row (and the first 3-second segment's row) against librosa 0.11 on a 30 s
/// synthetic song: every value within relative error 1e-3, tempo exactly librosa's grid value.
final class GTZANFeaturesTests: XCTestCase {
    func testRowsMatchLibrosa() throws {
        let f = try FeatureFixture("gtzan30")
        let y = try f.audio()
        XCTAssertEqual(y.count, 661_794)
        let columns = try f.file.openDataset("row").attributes.readStrings("columns")
        XCTAssertEqual(columns, GTZANFeatures.columns)
        for (dataset, signal) in [("row", y), ("row_segment0", Array(y.prefix(66150)))] {
            let expected = try f.doubles(dataset)
            let ours = try GTZANFeatures.compute(signal)
            XCTAssertEqual(ours.count, expected.count)
            var worst = (0.0, "")
            for (i, name) in GTZANFeatures.columns.enumerated() {
                if name == "tempo" { XCTAssertEqual(ours[i], expected[i], "\(dataset) tempo"); continue }
                let rel = abs(ours[i] - expected[i]) / abs(expected[i])
                XCTAssertLessThanOrEqual(rel, 1e-3, "\(dataset) \(name): \(ours[i]) vs librosa \(expected[i])")
                if rel > worst.0 { worst = (rel, name) }
            }
            print(String(format: "parity gtzan %@: worst relative error %.1e (%@)", dataset, worst.0, worst.1))
        }
    }

    func testExtendedRowHasItsColumns() throws {
        let y = (0 ..< 22050).map { Float(sin(Double($0) * 0.05)) * 0.3 }
        let row = try GTZANFeatures.compute(y, extended: true)
        XCTAssertEqual(row.count, GTZANFeatures.columns.count + GTZANFeatures.extendedColumns.count)
        XCTAssert(row.allSatisfy(\.isFinite))
        XCTAssertThrowsError(try GTZANFeatures.compute([]))
    }
}
