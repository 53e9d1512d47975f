import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest
@testable import MelCNN

final class LearningCurvesTests: XCTestCase {
    static func rows(_ n: Int, validation: Bool = true) -> [EpochMetrics] {
        (1...n).map { e in
            let t = Double(e)
            return EpochMetrics(epoch: e, step: 10 * e, trainLoss: 2 / t, trainAccuracy: 1 - 0.8 / t,
                                valLoss: validation ? 2.2 / t + 0.01 * t : .nan,
                                valPatchAccuracy: validation ? 0.9 - 0.7 / t : .nan,
                                valTrackAccuracy: validation ? 0.95 - 0.7 / t : .nan,
                                lr: 0.004 * (1 - (t - 1) / Double(n)), samplesPerSecond: 100, seconds: 1, dataWaitShare: 0.1)
        }
    }

    /// Number of points of each `data-series` polyline.
    static func pointCounts(_ svg: String) -> [String: Int] {
        var out: [String: Int] = [:]
        let regex = try! NSRegularExpression(pattern: #"<polyline class="series" data-series="([a-z_]+)" points="([^"]*)""#)
        for m in regex.matches(in: svg, range: NSRange(svg.startIndex..., in: svg)) {
            let key = String(svg[Range(m.range(at: 1), in: svg)!])
            out[key, default: 0] += String(svg[Range(m.range(at: 2), in: svg)!]).split(separator: " ").count
        }
        return out
    }

    func testStructure() throws {
        let svg = learningCurvesSVG(Self.rows(12), bestEpoch: 9)
        XCTAssertTrue(XMLParser(data: Data(svg.utf8)).parse())
        XCTAssertTrue(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        XCTAssertEqual(Self.pointCounts(svg), ["train_loss": 12, "val_loss": 12, "train_acc": 12,
                                               "val_patch_acc": 12, "val_track_acc": 12, "lr": 12])
        XCTAssertEqual(svg.components(separatedBy: "<polyline").count - 1, 6, "one polyline per series")
        XCTAssertEqual(svg.components(separatedBy: #"class="panel""#).count - 1, 3)
        for label in ["training loss", "validation loss", "training accuracy", "validation patch accuracy",
                      "validation track accuracy", "learning rate"] {
            XCTAssertTrue(svg.contains(#"class="legend">\#(label)</text>"#), label)
        }
        XCTAssertEqual(svg.components(separatedBy: #"class="axis-label">epoch</text>"#).count - 1, 3)
        XCTAssertTrue(svg.contains(">loss</text>"))
        XCTAssertTrue(svg.contains(">accuracy (%)</text>"))
        XCTAssertTrue(svg.contains(#"class="tick">100%</text>"#))
        XCTAssertEqual(svg.components(separatedBy: #"class="best-epoch""#).count - 1, 3, "marked in every panel")
        // The learning-rate panel's axis tops at 0.004 (the first epoch's rate) and its tick labels are readable.
        XCTAssertTrue(svg.contains(#"class="tick">0.004</text>"#))
        XCTAssertTrue(svg.contains(#"class="tick">0.002</text>"#))
        XCTAssertTrue(svg.contains(">best epoch 9</text>"))
        XCTAssertEqual(svg.components(separatedBy: #"class="best-point""#).count - 1, 6)
        XCTAssertFalse(svg.contains("http://") && svg.replacingOccurrences(of: "http://www.w3.org/2000/svg", with: "").contains("http"))
        XCTAssertFalse(svg.contains("href"))
        // Deterministic.
        XCTAssertEqual(svg, learningCurvesSVG(Self.rows(12), bestEpoch: 9))
        ConfusionSVGTests.assertTextsInsideViewBox(svg)
    }

    func testWithoutValidationAndOneEpoch() throws {
        let svg = learningCurvesSVG(Self.rows(1, validation: false), bestEpoch: 1)
        XCTAssertTrue(XMLParser(data: Data(svg.utf8)).parse())
        XCTAssertEqual(Self.pointCounts(svg), ["train_loss": 1, "train_acc": 1, "lr": 1])
        XCTAssertFalse(svg.contains("nan"))
        XCTAssertFalse(svg.contains("validation"))
        XCTAssertEqual(learningCurvesSVG([]).components(separatedBy: "<polyline").count, 1)
        ConfusionSVGTests.assertTextsInsideViewBox(svg)
    }
}
