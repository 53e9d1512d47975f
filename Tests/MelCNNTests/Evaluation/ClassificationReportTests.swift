import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest
@testable import MelCNN

final class ClassificationReportTests: XCTestCase {
    /// Four tracks, five patches, three classes; expected values worked out by hand.
    func makeReport(topK: Int = 2, aggregation: EvalConfig.Aggregation = .meanProb) -> ClassificationReport {
        let probs: [Float] = [
            0.7, 0.2, 0.1, // track 0 (a): right
            0.4, 0.5, 0.1, // track 0 (a): wrong, a second
            0.1, 0.8, 0.1, // track 1 (b): right
            0.6, 0.1, 0.3, // track 2 (c): wrong, c second
            0.1, 0.2, 0.7, // track 3 (c): right
        ]
        return ClassificationReport(classes: ["a", "b", "c"], probabilities: probs, patchTracks: [0, 0, 1, 2, 3],
                                    trackLabels: [0, 1, 2, 2], topK: topK, aggregation: aggregation)
    }

    func testHandMadePredictions() {
        let r = makeReport()
        XCTAssertEqual(r.patches, 5)
        XCTAssertEqual(r.tracks, 4)
        XCTAssertEqual(r.patchAccuracy, 0.6, accuracy: 1e-12)
        XCTAssertEqual(r.trackAccuracy, 0.75, accuracy: 1e-12)
        XCTAssertEqual(r.patchTopKAccuracy, 1.0, accuracy: 1e-12)
        XCTAssertEqual(r.trackTopKAccuracy, 1.0, accuracy: 1e-12)
        XCTAssertEqual(r.confusion, [[1, 0, 0], [0, 1, 0], [1, 0, 1]])
        XCTAssertEqual(r.perClass.map(\.precision), [0.5, 1, 1])
        XCTAssertEqual(r.perClass.map(\.recall), [1, 1, 0.5])
        XCTAssertEqual(r.perClass[0].f1, 2.0 / 3.0, accuracy: 1e-12)
        XCTAssertEqual(r.perClass[1].f1, 1, accuracy: 1e-12)
        XCTAssertEqual(r.perClass[2].f1, 2.0 / 3.0, accuracy: 1e-12)
        XCTAssertEqual(r.perClass.map(\.support), [1, 1, 2])
        XCTAssertEqual(r.macroF1, 7.0 / 9.0, accuracy: 1e-12)
        let loss = -(log(0.7) + log(0.4) + log(0.8) + log(0.3) + log(0.7)) / 5
        XCTAssertEqual(r.patchLoss, loss, accuracy: 1e-6)
        XCTAssertEqual(makeReport(topK: 1).patchTopKAccuracy, 0.6, accuracy: 1e-12)
    }

    /// An ensemble's report: track metrics of the mean track probabilities, patch metrics the members' means.
    func testEnsembleReportScoresTracksOnTheMeanProbabilities() {
        let a = makeReport(), b = makeReport(topK: 1)
        // The second track is wrong, the others right; track 3 has "c" second, so top-2 gets every track.
        let means: [Float] = [0.6, 0.3, 0.1, 0.2, 0.1, 0.7, 0.1, 0.3, 0.6, 0.2, 0.1, 0.7]
        let r = ClassificationReport(classes: ["a", "b", "c"], trackProbabilities: means, trackLabels: [0, 1, 2, 2], members: [a, b], topK: 2)
        XCTAssertEqual(r.tracks, 4)
        XCTAssertEqual(r.trackAccuracy, 0.75, accuracy: 1e-12)
        XCTAssertEqual(r.trackTopKAccuracy, 0.75, accuracy: 1e-12)   // track 1's "b" is third
        XCTAssertEqual(r.confusion, [[1, 0, 0], [0, 0, 1], [0, 0, 2]])
        XCTAssertEqual(r.macroF1, (1 + 0 + 0.8) / 3, accuracy: 1e-12)
        XCTAssertEqual(r.patches, 10)
        XCTAssertEqual(r.patchAccuracy, 0.6, accuracy: 1e-12)
        XCTAssertEqual(r.patchTopKAccuracy, (1.0 + 0.6) / 2, accuracy: 1e-12)
        XCTAssertEqual(r.patchLoss, a.patchLoss, accuracy: 1e-12)
    }

    func testVoteAggregation() {
        // Track 0 has one vote for a and one for b; the tie goes to the higher mean probability (a).
        let r = makeReport(aggregation: .vote)
        XCTAssertEqual(r.confusion, [[1, 0, 0], [0, 1, 0], [1, 0, 1]])
    }

    func testRenderings() throws {
        let r = makeReport()
        let csv = r.confusionCSV()
        XCTAssertEqual(csv, "true\\predicted,a,b,c\na,1,0,0\nb,0,1,0\nc,1,0,1\n")
        let table = r.confusionTable()
        XCTAssertTrue(table.contains("[1]"), table)
        XCTAssertEqual(table.split(separator: "\n").count, 4)
        let svg = r.confusionSVG()
        XCTAssertTrue(svg.hasPrefix("<svg"))
        XCTAssertTrue(svg.contains(">c</text>"))
        XCTAssertEqual(svg.components(separatedBy: "<rect x=").count - 1, 9)
        // The SVG parses as XML.
        XCTAssertTrue(XMLParser(data: Data(svg.utf8)).parse())
        let json = try JSONSerialization.jsonObject(with: r.jsonData()) as? [String: Any]
        XCTAssertEqual(json?["track_accuracy"] as? Double, 0.75)
        XCTAssertNotNil(json?["per_class"])
        XCTAssertTrue(r.textSummary().contains("macro F1 0.778"))
    }
}
