import DSP
import XCTest
@testable import MelCNN

final class SpectrogramPictureTests: XCTestCase {
    let sr = 22050

    func tone(_ hz: Double, seconds: Double = 3) -> [Float] {
        (0 ..< Int(seconds * Double(sr))).map { Float(0.5 * sin(2 * Double.pi * hz * Double($0) / Double(sr))) }
    }

    func settings() -> SpectrogramSettings {
        var logMel = LogMelParameters()   // librosa's defaults: n_fft 2048, hop 512, 128 mels, top_db 80
        logMel.sampleRate = sr
        return SpectrogramSettings(logMel: logMel, nMFCC: 20)
    }

    /// The picture row (y, in picture pixels) whose plot pixels are brightest on average.
    func brightestRow(_ image: RasterImage, _ L: SpectrogramPicture.Layout) -> Int {
        var best = (y: 0, score: -1)
        for y in L.plotY ..< L.plotY + L.plotH {
            var s = 0
            for x in L.plotX ..< L.plotX + L.plotW { let p = image.pixel(x: x, y: y); s += Int(p.0) + Int(p.1) + Int(p.2) }
            if s > best.score { best = (y, s) }
        }
        return best.y
    }

    func tickY(_ p: SpectrogramPicture, _ L: SpectrogramPicture.Layout, hz: Double) -> Int {
        let bin = p.binPosition(ofHz: hz)!
        return L.plotY + L.plotH - Int(((bin + 0.5) / Double(p.matrix.bins) * Double(L.plotH)).rounded())
    }

    func testToneLandsAtItsFrequencyOnLinearAndMelAxes() throws {
        let s = settings()
        for kind in [SpectrogramKind.stft, .mel, .dbMel] {
            let m = try kind.compute(tone(1000), s)
            let picture = SpectrogramPicture(matrix: m, display: kind.display, settings: s, title: kind.name)
            let image = try RasterImage(png: try picture.png())
            let L = try SpectrogramPicture.Layout(picture)
            XCTAssertEqual((image.width, image.height) == (L.width, L.height), true)
            let row = brightestRow(image, L), expected = tickY(picture, L, hz: 1000)
            XCTAssertLessThanOrEqual(abs(row - expected), 3, "\(kind.name): 1 kHz drawn at y \(row), its tick at \(expected)")
        }
    }

    func testToneLandsAtItsNoteOnTheCQTAxis() throws {
        var s = settings()
        s.cqt = CQTSettings(nBins: 60)
        let a4 = 440.0
        let m = try SpectrogramKind.cqt.compute(tone(a4), s)
        let picture = SpectrogramPicture(matrix: m, display: SpectrogramKind.cqt.display, settings: s, title: "cqt")
        let image = try RasterImage(png: try picture.png())
        let L = try SpectrogramPicture.Layout(picture)
        XCTAssertLessThanOrEqual(abs(brightestRow(image, L) - tickY(picture, L, hz: a4)), 4)
        XCTAssertEqual(picture.rowTicks(rows: m.bins, plotHeight: L.plotH).map(\.1), ["C1", "C2", "C3", "C4", "C5"], "60 bins from C1: C6 would be bin 60")
    }

    func testColourBarRunsFromLowToHighAndDecibelsAreReMax() throws {
        let s = settings()
        let m = try SpectrogramKind.mel.compute(tone(440), s)
        let picture = SpectrogramPicture(matrix: m, display: SpectrogramKind.mel.display, settings: s, title: "mel")
        let (values, low, high, unit) = picture.displayValues()
        XCTAssertEqual(unit, "dB")
        XCTAssertEqual(high, 0, accuracy: 1e-4, "power_to_db(ref=np.max) peaks at 0 dB")
        XCTAssertEqual(low, -80, accuracy: 1e-3, "top_db 80")
        XCTAssertEqual(values.count, m.data.count)
        let image = try RasterImage(png: try picture.png())
        let L = try SpectrogramPicture.Layout(picture)
        XCTAssertTrue(image.pixel(x: L.barX + 7, y: L.plotY) == ColourMap.magma.rgb(1 - 0.5 / Double(L.plotH)))
        XCTAssertTrue(image.pixel(x: L.barX + 7, y: L.plotY + L.plotH - 1) == ColourMap.magma.rgb(0.5 / Double(L.plotH)))
        XCTAssertEqual(picture.barTicks(low: low, high: high, unit: unit).map(\.1), ["-80 dB", "-60 dB", "-40 dB", "-20 dB", "+0 dB"])
    }

    func testEveryKindDrawsDeterministicallyAsPNGAndSVG() throws {
        var s = settings()
        s.cqt = CQTSettings(nBins: 48)
        let y = tone(330, seconds: 2)
        for kind in SpectrogramKind.all where kind.name != "tempogram" {
            let m = try kind.compute(y, s)
            let picture = SpectrogramPicture(matrix: m, display: kind.display, settings: s, title: kind.name)
            let png = try picture.png()
            XCTAssertEqual(try picture.png(), png, kind.name)
            let svg = try picture.svg()
            XCTAssertEqual(try picture.svg(), svg, kind.name)
            XCTAssertTrue(svg.contains("data:image/png;base64,"), kind.name)
            XCTAssertFalse(svg.contains("http://") && svg.replacingOccurrences(of: "http://www.w3.org/2000/svg", with: "").contains("http"),
                           "\(kind.name): no external references")
            XCTAssertTrue(svg.contains(">time (s)</text>"), kind.name)
        }
    }

    func testLongAudioUsesMinutesAndMFCCGetsADivergingMap() throws {
        let s = settings()
        let frames = 130 * sr / 512
        let m = FeatureMatrix(frames: frames, bins: 20, data: (0 ..< frames * 20).map { Float($0 % 41) - 20 })
        let picture = SpectrogramPicture(matrix: m, display: SpectrogramKind.mfcc.display, settings: s, title: "mfcc")
        XCTAssertEqual(picture.timeTicks(duration: 130).map(\.1), ["0:00", "0:30", "1:00", "1:30", "2:00"])
        XCTAssertEqual(ColourMap.automatic(for: m.data), .coolwarm)
        XCTAssertTrue(try picture.svg().contains(">time (m:ss)</text>"))
    }

    func testEmptyMatrixIsAnErrorNotATrap() {
        let picture = SpectrogramPicture(matrix: FeatureMatrix(frames: 0, bins: 128, data: []),
                                         display: SpectrogramKind.mel.display, settings: settings(), title: "x")
        XCTAssertThrowsError(try picture.png())
    }
}
