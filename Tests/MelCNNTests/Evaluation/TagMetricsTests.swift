import Foundation
import HDF5
@testable import MelCNN
import TestSupport
import XCTest

/// Tag metrics against scikit-learn 1.9 (`Tests/Fixtures/tag_metrics.h5`, written by
/// `Tests/Fixtures/generate_tag_metrics_fixture.py`): scores on a coarse grid, so ties,
/// a tag without positives and a tag without negatives.
final class TagMetricsTests: XCTestCase {
    static let fixture = Repository.fixtures.appendingPathComponent("tag_metrics.h5").path

    func testMatchesScikitLearn() throws {
        let file = try H5File.open(Self.fixture)
        defer { file.close() }
        for name in ["basic", "larger"] {
            let g = try file.openGroup(name)
            let labelsSet = try g.openDataset("labels")
            let k = try labelsSet.shape[1]
            let labels: [UInt8] = try labelsSet.read()
            let scores: [Float] = try g.openDataset("scores").read()
            let auc: [Double] = try g.openDataset("roc_auc").read(), ap: [Double] = try g.openDataset("ap").read()
            let precision: [Double] = try g.openDataset("precision").read(), recall: [Double] = try g.openDataset("recall").read()
            let f1: [Double] = try g.openDataset("f1").read(), best: [Float] = try g.openDataset("best_threshold").read()
            let report = TagReport(tags: (0 ..< k).map { "t\($0)" }, scores: scores, labels: labels,
                                   thresholds: [Float](repeating: 0.5, count: k))
            for c in 0 ..< k {
                let tag = report.perTag[c]
                if auc[c].isNaN { XCTAssertNil(tag.rocAUC, "\(name) tag \(c)") } else { XCTAssertEqual(tag.rocAUC ?? .nan, auc[c], accuracy: 1e-6, "\(name) tag \(c) ROC-AUC") }
                if ap[c].isNaN { XCTAssertNil(tag.averagePrecision, "\(name) tag \(c)") } else { XCTAssertEqual(tag.averagePrecision ?? .nan, ap[c], accuracy: 1e-6, "\(name) tag \(c) AP") }
                XCTAssertEqual(tag.precision, precision[c], accuracy: 1e-6, "\(name) tag \(c) precision")
                XCTAssertEqual(tag.recall, recall[c], accuracy: 1e-6, "\(name) tag \(c) recall")
                XCTAssertEqual(tag.f1, f1[c], accuracy: 1e-6, "\(name) tag \(c) F1")
            }
            XCTAssertEqual(TagReport.tunedThresholds(tags: k, scores: scores, labels: labels), best, name)
            for (key, value) in [("macro_roc_auc", report.macroROCAUC), ("macro_ap", report.macroAveragePrecision),
                                 ("micro_roc_auc", report.microROCAUC), ("micro_ap", report.microAveragePrecision)] {
                XCTAssertEqual(value, try g.attributes.read(key, as: Double.self), accuracy: 1e-6, "\(name) \(key)")
            }
            XCTAssertEqual(report.undefinedTags, name == "basic" ? ["t4", "t5"] : [], name)
        }
    }

    /// Hand-checked small cases: a full tie is AUC 0.5; a perfect ranking is 1.
    func testSmallCases() {
        XCTAssertEqual(TagMetrics.rocAUC(labels: [1, 0, 1, 0], scores: [0.5, 0.5, 0.5, 0.5]), 0.5)
        XCTAssertEqual(TagMetrics.rocAUC(labels: [1, 0, 1, 0], scores: [0.9, 0.1, 0.8, 0.2]), 1)
        // Ranking 1 0 1: AP = 1/2 * 1 + 1/2 * 2/3.
        XCTAssertEqual(TagMetrics.averagePrecision(labels: [1, 0, 1], scores: [0.9, 0.8, 0.7])!, 0.5 + 1.0 / 3, accuracy: 1e-12)
        XCTAssertNil(TagMetrics.rocAUC(labels: [0, 0], scores: [0.1, 0.2]))
        XCTAssertNil(TagMetrics.averagePrecision(labels: [0, 0], scores: [0.1, 0.2]))
        let p = TrackPredictions(probabilities: [0.2, 1, 0.4, 0, 0.9, 0.5], patchTracks: [0, 0, 1], embeddings: [], embeddingDim: 0)
        XCTAssertEqual(p.trackMeans(trackCount: 3, width: 2), [0.3, 0.5, 0.9, 0.5, 0, 0])
    }
}
