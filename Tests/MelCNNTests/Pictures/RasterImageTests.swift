import XCTest
@testable import MelCNN

final class RasterImageTests: XCTestCase {
    func testPNGRoundTripsThroughLibpng() throws {
        var image = RasterImage(width: 37, height: 23, background: (10, 20, 30))
        image.fill(x: 5, y: 4, width: 10, height: 6, (250, 0, 128))
        image.text("Hz 123", x: 2, y: 20)
        let png = try image.pngData()
        XCTAssertEqual(Array(png.prefix(8)), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        let decoded = try RasterImage(png: png)
        XCTAssertEqual(decoded.width, 37)
        XCTAssertEqual(decoded.height, 23)
        XCTAssertEqual(decoded.pixels, image.pixels)
        XCTAssertEqual(try image.pngData(), png, "same pixels, same bytes")
    }

    func testDamagedPNGIsAnErrorNotATrap() throws {
        var image = RasterImage(width: 8, height: 8)
        image.fill(x: 0, y: 0, width: 4, height: 4, (0, 0, 0))
        let png = try image.pngData()
        XCTAssertThrowsError(try RasterImage(png: Array(png.prefix(png.count / 2))))
        XCTAssertThrowsError(try RasterImage(png: [1, 2, 3]))
    }

    func testTextIsDrawnWhereItsWidthSays() {
        var image = RasterImage(width: 200, height: 40)
        let w = RasterImage.textWidth("melcnn")
        XCTAssertGreaterThan(w, 30)
        image.text("melcnn", x: 100, y: 25, anchor: .middle)
        var inked: [Int] = []
        for x in 0 ..< 200 where (0 ..< 40).contains(where: { image.pixel(x: x, y: $0) != (255, 255, 255) }) { inked.append(x) }
        XCTAssertGreaterThanOrEqual(inked.min()!, 100 - w / 2 - 1)
        XCTAssertLessThanOrEqual(inked.max()!, 100 + w / 2 + 1)
        // Rotated text runs upwards from the anchor and stays within the font's height across.
        var rotated = RasterImage(width: 40, height: 200)
        rotated.text("melcnn", x: 20, y: 150, rotated: true)
        var rows: [Int] = [], cols: [Int] = []
        for y in 0 ..< 200 { for x in 0 ..< 40 where rotated.pixel(x: x, y: y) != (255, 255, 255) { rows.append(y); cols.append(x) } }
        XCTAssertLessThanOrEqual(rows.max()!, 151)
        XCTAssertGreaterThanOrEqual(rows.min()!, 150 - w - 1)
        XCTAssertGreaterThanOrEqual(cols.min()!, 20 - RasterImage.ascent)
        XCTAssertLessThanOrEqual(cols.max()!, 20 + RasterImage.lineHeight - RasterImage.ascent)
    }

    /// Latin-1 letters have their own glyphs (not the '?' that stands for other characters).
    func testLatin1TextHasItsOwnGlyphs() {
        XCTAssertEqual(RasterImage.textWidth("é"), RasterImage.textWidth("e"), "DejaVu's é advances like e")
        var a = RasterImage(width: 20, height: 20), b = RasterImage(width: 20, height: 20), q = RasterImage(width: 20, height: 20)
        a.text("é", x: 2, y: 15)
        b.text("e", x: 2, y: 15)
        q.text("\u{4E00}", x: 2, y: 15)   // CJK: drawn as '?'
        var r = RasterImage(width: 20, height: 20)
        r.text("?", x: 2, y: 15)
        XCTAssertNotEqual(a.pixels, b.pixels, "the accent is drawn")
        XCTAssertNotEqual(a.pixels, r.pixels)
        XCTAssertEqual(q.pixels, r.pixels)
    }

    func testColourMapsMatchMatplotlib() {
        // matplotlib: (np.array(colormaps[name]([0, 255]))[:, :3] * 255).round()
        XCTAssertTrue(ColourMap.magma.rgb(0) == (0, 0, 4))
        XCTAssertTrue(ColourMap.magma.rgb(1) == (252, 253, 191))
        XCTAssertTrue(ColourMap.viridis.rgb(0) == (68, 1, 84))
        XCTAssertTrue(ColourMap.viridis.rgb(1) == (253, 231, 37))
        XCTAssertTrue(ColourMap.coolwarm.rgb(0) == (59, 76, 192))
        XCTAssertTrue(ColourMap.coolwarm.rgb(1) == (180, 4, 38))
    }

    func testAutomaticColourMapFollowsLibrosa() {
        XCTAssertEqual(ColourMap.automatic(for: [0, 1, 2, 3]), .magma)
        XCTAssertEqual(ColourMap.automatic(for: [-80, -40, 0]), .magma)
        XCTAssertEqual(ColourMap.automatic(for: (-50 ... 50).map(Float.init)), .coolwarm)
        // The 2nd percentile ignores a few negative outliers, as librosa's robust rule does.
        XCTAssertEqual(ColourMap.automatic(for: [-1] + [Float](repeating: 5, count: 99)), .magma)
    }
}
