import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest
@testable import MelCNN

final class ConfusionSVGTests: XCTestCase {
    /// Every `<text>` element of an SVG, with the attributes the extent estimate needs.
    final class TextCollector: NSObject, XMLParserDelegate {
        struct Text { var attributes: [String: String]; var string = "" }
        var root: [String: String] = [:]
        var texts: [Text] = []
        private var open: Text?
        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            if name == "svg" { root = attributes }
            if name == "text" { open = Text(attributes: attributes) }
        }
        func parser(_ parser: XMLParser, foundCharacters string: String) { open?.string += string }
        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            if name == "text", let t = open { texts.append(t); open = nil }
        }
    }

    static func texts(_ svg: String) -> TextCollector {
        let collector = TextCollector()
        let parser = XMLParser(data: Data(svg.utf8))
        parser.delegate = collector
        XCTAssertTrue(parser.parse())
        return collector
    }

    /// Checks that each text's estimated box (the renderer's width per character, rotations
    /// applied) lies inside the viewBox; returns the number of texts checked.
    @discardableResult
    static func assertTextsInsideViewBox(_ svg: String, file: StaticString = #filePath, line: UInt = #line) -> Int {
        let c = texts(svg)
        let box = (c.root["viewBox"] ?? "").split(separator: " ").compactMap { Double($0) }
        XCTAssertEqual(box.count, 4, "viewBox", file: file, line: line)
        guard box.count == 4 else { return 0 }
        XCTAssertEqual(c.root["width"].flatMap(Double.init), box[2], file: file, line: line)
        XCTAssertEqual(c.root["height"].flatMap(Double.init), box[3], file: file, line: line)
        let rootSize = c.root["font-size"].flatMap(Double.init) ?? 12
        let rotate = try! NSRegularExpression(pattern: #"rotate\((-?[0-9.]+)"#)
        for t in c.texts {
            let a = t.attributes
            let x = Double(a["x"] ?? "") ?? .nan, y = Double(a["y"] ?? "") ?? .nan
            var rotation = 0.0
            if let tr = a["transform"], let m = rotate.firstMatch(in: tr, range: NSRange(tr.startIndex..., in: tr)) {
                rotation = Double(tr[Range(m.range(at: 1), in: tr)!]) ?? .nan
            }
            let corners = SVGCanvas.textCorners(t.string, x: x, y: y,
                                                anchor: SVGCanvas.Anchor(rawValue: a["text-anchor"] ?? "start") ?? .start,
                                                fontSize: a["font-size"].flatMap(Double.init) ?? rootSize,
                                                bold: a["font-weight"] == "bold", rotation: rotation)
            for (px, py) in corners {
                XCTAssertTrue(px >= box[0] && px <= box[0] + box[2] && py >= box[1] && py <= box[1] + box[3],
                              "\"\(t.string)\" reaches (\(px), \(py)) outside the viewBox \(box)", file: file, line: line)
            }
        }
        return c.texts.count
    }

    static func report(classes k: Int, nameLength: Int) -> ClassificationReport {
        let names = (0..<k).map { i in String(("class\(i)-" + String(repeating: "x", count: nameLength)).prefix(max(6, nameLength))) + "\(i)" }
        // Track t has label t % k and is predicted (t * 7) % k, three tracks per class.
        var probs: [Float] = [], labels: [Int] = []
        for t in 0..<(3 * k) {
            labels.append(t % k)
            var row = [Float](repeating: 0.5 / Float(k), count: k)
            row[t % 3 == 0 ? (t * 7) % k : t % k] += 0.5
            probs += row
        }
        return ClassificationReport(classes: names, probabilities: probs, patchTracks: Array(0..<(3 * k)),
                                    trackLabels: labels, topK: 1, aggregation: .meanProb)
    }

    func testNothingIsClippedFromTwoToFiftyClasses() throws {
        for k in [2, 3, 4, 10, 50] {
            for nameLength in [1, 5, 24] {
                let r = Self.report(classes: k, nameLength: nameLength)
                let svg = r.confusionSVG()
                let checked = Self.assertTextsInsideViewBox(svg)
                XCTAssertGreaterThan(checked, 2 * k + 7, "k \(k)")
                // Cells, the colour bar with 5 tick labels, the title.
                XCTAssertEqual(svg.components(separatedBy: "<rect x=").count - 1, k * k, "k \(k)")
                XCTAssertEqual(svg.components(separatedBy: #"<rect class="colour-bar""#).count - 1, 1)
                XCTAssertTrue(svg.contains(#"fill="url(#recall-scale)""#))
                for tick in ["0%", "25%", "50%", "75%", "100%"] {
                    XCTAssertTrue(svg.contains(#"class="colour-bar-tick">\#(tick)</text>"#), "\(tick) k \(k)")
                }
                XCTAssertTrue(svg.contains("Confusion matrix (tracks)"))
                for name in r.classes { XCTAssertTrue(svg.contains(">\(name)</text>"), name) }
            }
        }
    }

    func testTheShortTitleNoLongerClipsWithThreeClasses() {
        // The old renderer made this 244 px wide; the title alone needs more.
        let svg = Self.report(classes: 3, nameLength: 1).confusionSVG()
        let width = Double(Self.texts(svg).root["width"] ?? "") ?? 0
        XCTAssertGreaterThan(width, 10 + svgTextWidth("Confusion matrix (tracks) — accuracy 66.7%", fontSize: 15, bold: true))
    }

    func testColourBarUsesTheCellColourMap() {
        let svg = Self.report(classes: 4, nameLength: 3).confusionSVG()
        // White-ish at 0%, the darkest cell colour at 100%.
        XCTAssertTrue(svg.contains(##"<stop offset="0" stop-color="#f7fbff"/><stop offset="1" stop-color="#08306b"/>"##), svg)
    }

    func testNounIsAParameter() {
        let r = Self.report(classes: 3, nameLength: 2)
        let plain = r.confusionSVG()
        XCTAssertTrue(plain.contains(">true class</text>"))
        XCTAssertTrue(plain.contains("predicted class (rows: true class"))
        XCTAssertFalse(plain.contains("genre"))
        let genre = r.confusionSVG(noun: "genre")
        XCTAssertTrue(genre.contains(">true genre</text>"))
        XCTAssertTrue(genre.contains("predicted genre (rows: true genre"))
        XCTAssertFalse(genre.contains(">true class<") || genre.contains("predicted class"))
        Self.assertTextsInsideViewBox(r.confusionSVG(noun: "instrument family"))
    }
}
