import Foundation
import XCTest
@testable import MelCNN

/// `report.html` of a tag model: averages, per-tag table, worst tracks (largest |true - score|).
final class TagEvaluationPageTests: XCTestCase {
    func sample() -> TagEvaluationPage {
        let tags = ["drums", "piano & keys", "slow"]
        let labels: [[UInt8]] = [[1, 0, 1], [0, 1, 0], [1, 1, 0], [0, 0, 1]]
        // Track 3 misses "slow" badly (0.05), track 1 calls drums at 0.9, track 2 is right but unsure.
        let scores: [[Float]] = [[0.8, 0.1, 0.7], [0.9, 0.6, 0.2], [0.6, 0.55, 0.4], [0.2, 0.3, 0.05]]
        let report = TagReport(tags: tags, scores: scores.flatMap { $0 }, labels: labels.flatMap { $0 }, thresholds: [0.5, 0.5, 0.5])
        let tracks = (0 ..< 4).map { TagEvaluationPage.Track(path: "music/<t\($0)>.ogg", labels: labels[$0], scores: scores[$0]) }
        return TagEvaluationPage(title: "best.h5 on tags.h5, test split", report: report, tracks: tracks, curvesLink: "../run/curves.svg")
    }

    func testWorstTracksHaveTheMostConfidentlyWrongTag() {
        let page = sample()
        XCTAssertEqual(page.worstTracks().map(\.path), ["music/<t3>.ogg", "music/<t1>.ogg", "music/<t2>.ogg", "music/<t0>.ogg"])
        let worst = page.tracks[3].worstTag()
        XCTAssertEqual(worst.tag, 2)
        XCTAssertEqual(worst.error, 0.95, accuracy: 1e-6)
        var short = page
        short.worstCount = 1
        XCTAssertEqual(short.worstTracks().count, 1)
    }

    func testPageStructure() {
        let page = sample()
        let html = page.html()
        XCTAssertTrue(html.hasPrefix("<!DOCTYPE html>"))
        XCTAssertEqual(html, page.html(), "deterministic")
        let r = page.report
        XCTAssertTrue(html.contains("<th>ROC-AUC macro</th><td>\(String(format: "%.4f", r.macroROCAUC))</td>"), html)
        XCTAssertTrue(html.contains("<th>PR-AUC micro</th><td>\(String(format: "%.4f", r.microAveragePrecision))</td>"), html)
        // drums: positives t0 (0.8), t2 (0.6); negatives t1 (0.9), t3 (0.2): ROC-AUC 0.5; at 0.5 P 2/3, R 1.
        XCTAssertTrue(html.contains("<tr><td>drums</td><td>0.5000</td><td>\(String(format: "%.4f", r.perTag[0].averagePrecision!))</td>"
            + "<td>0.500</td><td>0.667</td><td>1.000</td><td>0.800</td><td>2</td></tr>"), html)
        XCTAssertTrue(html.contains("<td>piano &amp; keys</td>"))
        XCTAssertTrue(html.contains("<tr><td>music/&lt;t3&gt;.ogg</td><td>slow</td><td>yes</td><td>0.050</td><td>slow</td><td></td></tr>"), html)
        XCTAssertTrue(html.contains("<tr><td>music/&lt;t1&gt;.ogg</td><td>drums</td><td>no</td><td>0.900</td><td></td><td>drums</td></tr>"), html)
        XCTAssertTrue(html.contains("<a href=\"../run/curves.svg\">learning curves</a>"))
        XCTAssertFalse(html.contains("http"), "no external URLs")
        XCTAssertFalse(html.contains("<script"))
    }
}
