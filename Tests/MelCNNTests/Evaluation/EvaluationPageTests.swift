import Foundation
import XCTest
@testable import MelCNN

final class EvaluationPageTests: XCTestCase {
    func sample() -> EvaluationPage {
        let classes = ["blues", "rock & roll", "jazz"]
        // 6 tracks, 2 patches each; track 4 (jazz) is badly wrong, track 1 a little.
        let trackProbabilities: [[Float]] = [[0.9, 0.05, 0.05], [0.4, 0.5, 0.1], [0.1, 0.8, 0.1],
                                             [0.1, 0.2, 0.7], [0.7, 0.25, 0.05], [0.2, 0.2, 0.6]]
        let labels = [0, 0, 1, 2, 2, 1]
        var probabilities: [Float] = [], patchTracks: [Int] = []
        for (t, p) in trackProbabilities.enumerated() { for _ in 0 ..< 2 { probabilities += p; patchTracks.append(t) } }
        let report = ClassificationReport(classes: classes, probabilities: probabilities, patchTracks: patchTracks,
                                          trackLabels: labels, topK: 2)
        let tracks = (0 ..< 6).map { EvaluationPage.Track(path: "music/<track \($0)>.ogg", label: labels[$0], probabilities: trackProbabilities[$0]) }
        return EvaluationPage(title: "best.h5 on data.h5, test split", report: report, tracks: tracks, noun: "genre",
                              curvesLink: "../run/curves.svg")
    }

    func testWorstTracksAreThoseWithTheLowestTrueProbability() {
        let worst = sample().worstTracks()
        XCTAssertEqual(worst.map(\.path), ["music/<track 4>.ogg", "music/<track 5>.ogg", "music/<track 1>.ogg",
                                           "music/<track 3>.ogg", "music/<track 2>.ogg", "music/<track 0>.ogg"])
        var page = sample()
        page.worstCount = 2
        XCTAssertEqual(page.worstTracks().count, 2)
    }

    func testPageStructure() {
        let html = sample().html()
        XCTAssertTrue(html.hasPrefix("<!DOCTYPE html>"))
        XCTAssertEqual(html.components(separatedBy: "<svg ").count - 1, 2, "counts and row-normalised heat maps")
        XCTAssertTrue(html.contains("url(#recall-scale)") && html.contains("url(#recall-scale-rows)"), "distinct gradient ids")
        XCTAssertTrue(html.contains("<a href=\"../run/curves.svg\">learning curves</a>"))
        XCTAssertTrue(html.contains("<td>rock &amp; roll</td>"))
        XCTAssertTrue(html.contains("<td>music/&lt;track 4&gt;.ogg</td><td>jazz</td><td>0.050</td><td>blues</td><td>0.700</td>"), html)
        XCTAssertTrue(html.contains("<th>track accuracy</th><td>50.00%</td>"), html)
        XCTAssertTrue(html.contains("Confusion matrix (tracks, % of each row)"))
        // No network fetches: the only URL is the SVG namespace.
        XCTAssertFalse(html.replacingOccurrences(of: "http://www.w3.org/2000/svg", with: "").contains("http"))
        XCTAssertEqual(html, sample().html(), "deterministic")
    }

    func testNormalisedConfusionShowsRowShares() {
        let svg = sample().report.confusionSVG(noun: "genre", normalized: true)
        // blues row: 1 of 2 blues tracks right (50%), 1 predicted rock.
        XCTAssertTrue(svg.contains(">50%</text>"))
        XCTAssertFalse(svg.contains(">1</text>"))
    }

    func testCurvesLinkIsRelativeToThePage() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("evalpage-\(UUID().uuidString)")
        let run = dir.appendingPathComponent("runs/a")
        try FileManager.default.createDirectory(at: run, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let checkpoint = run.appendingPathComponent("best.h5").path
        XCTAssertNil(EvaluationPage.curvesLink(checkpoint: checkpoint, pageFolder: dir.appendingPathComponent("report").path))
        try Data("<svg/>".utf8).write(to: run.appendingPathComponent("curves.svg"))
        XCTAssertEqual(EvaluationPage.curvesLink(checkpoint: checkpoint, pageFolder: dir.appendingPathComponent("report").path),
                       "../runs/a/curves.svg")
        XCTAssertEqual(EvaluationPage.curvesLink(checkpoint: checkpoint, pageFolder: run.path), "curves.svg")
    }
}
