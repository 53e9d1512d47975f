import Foundation
import XCTest
@testable import MelCNN

final class MapRenderingTests: XCTestCase {
    func sample() -> TrackMap {
        TrackMap(title: "test <map>", coordinates: [0, 0, 1, 2, -3, 0.5, 2, 2],
                 paths: ["blues/a.wav", "rock/b & c.wav", "rock/</script>.wav", "x/\"q\".wav"],
                 group: [0, 1, 1, -1], groups: ["blues", "rock"], labels: ["blues", "rock", "rock", "?"],
                 splits: ["train", "test", "validation", "train"],
                 audio: TrackMap.audioSources(paths: ["blues/a.wav", "rock/b & c.wav", "rock/</script>.wav", "x/\"q\".wav"],
                                              audioRoot: "/data/gtzan", pageDirectory: "/data/maps"))
    }

    func testHTMLStructure() {
        let html = sample().html()
        XCTAssertEqual(html.components(separatedBy: "<circle class=\"pt\"").count - 1, 4)
        XCTAssertEqual(html.components(separatedBy: "class=\"legend-entry\"").count - 1, 3)  // blues, rock, unknown
        XCTAssertFalse(html.contains("http://"))
        XCTAssertFalse(html.contains("https://"))
        XCTAssertFalse(html.contains("src=\"http"))
        XCTAssertEqual(html.components(separatedBy: "</script>").count - 1, 1)
        XCTAssertTrue(html.contains("<audio id=\"player\""))
        XCTAssertTrue(html.contains("id=\"search\""))
        XCTAssertTrue(html.contains("addEventListener('wheel'"))
        XCTAssertTrue(html.contains("\"../gtzan/blues/a.wav\""))
        XCTAssertTrue(html.contains("\"../gtzan/rock/b%20&%20c.wav\"") || html.contains("\"../gtzan/rock/b%20\\u0026%20c.wav\""), html)
        XCTAssertTrue(html.contains("\"validation\""))
        XCTAssertTrue(html.contains("test &lt;map&gt;"))
        XCTAssertEqual(html, sample().html())  // deterministic
    }

    func testSVGStructure() {
        let svg = sample().svg()
        XCTAssertTrue(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        XCTAssertEqual(svg.components(separatedBy: "<circle class=\"pt\"").count - 1, 4)
        XCTAssertEqual(svg.components(separatedBy: "class=\"legend-entry\"").count - 1, 3)
        XCTAssertTrue(svg.contains("b &amp; c.wav"))
        XCTAssertTrue(svg.hasSuffix("</svg>\n"))
    }

    /// Every point is drawn in its group's colour at its SVG position.
    func testPNGDrawsEachPointWhereTheSVGPutsIt() throws {
        let map = sample()
        let image = try RasterImage(png: try map.png())
        for (i, p) in map.scaledPositions().enumerated() {
            let pixel = image.pixel(x: Int(p.x), y: Int(p.y + 40))
            XCTAssertTrue(pixel == TrackMap.colourRGB(map.group[i], of: map.groups.count), "point \(i): \(pixel)")
        }
        XCTAssertEqual(try map.png(), try map.png())
    }

    /// The RGB of the HSL colours (more than 10 groups) agrees with CSS: hsl(0,70%,45%) = rgb(195,34,34).
    func testHSLColoursAsRGB() {
        XCTAssertEqual(TrackMap.colour(0, of: 20), "hsl(0.0,70%,45%)")
        XCTAssertTrue(TrackMap.colourRGB(0, of: 20) == (195, 34, 34))
        XCTAssertTrue(TrackMap.colourRGB(1, of: 3) == (0xff, 0x7f, 0x0e))
    }

    func testColoursForManyGroups() {
        XCTAssertEqual(TrackMap.colour(0, of: 3), "#1f77b4")
        XCTAssertEqual(TrackMap.colour(-1, of: 3), "#b0b0b0")
        XCTAssertEqual(Set((0 ..< 50).map { TrackMap.colour($0, of: 50) }).count, 50)
    }
}
