import DSP
import Foundation

/// How a spectrogram kind is drawn: what its rows are and how its values are coloured.
public struct SpectrogramDisplay: Sendable {
    /// The row (vertical) axis.
    public enum Axis: Sendable {
        /// STFT bins: Hz, linear (librosa specshow `y_axis="linear"`).
        case linearHz
        /// Mel bands: Hz ticks on the mel scale (`y_axis="mel"`).
        case mel
        /// Constant-Q bins: note names at each C (`y_axis="cqt_note"`).
        case cqtNotes
        /// 12 pitch classes from C (`y_axis="chroma"`).
        case chroma
        /// librosa's six tonal-centroid dimensions (`y_axis="tonnetz"`).
        case tonnetz
        /// Row numbers from 0 under the given axis title.
        case index(String)
    }

    /// The colour scale.
    public enum Scale: Sendable {
        /// Magnitudes shown as `amplitude_to_db(S, ref=np.max)` (top_db 80).
        case amplitudeToDb
        /// Powers shown as `power_to_db(S, ref=np.max)` (top_db 80).
        case powerToDb
        /// The values as they are, with this unit on the colour bar ("" for none).
        case values(String)
    }

    public var axis: Axis
    public var scale: Scale

    public init(axis: Axis, scale: Scale) {
        self.axis = axis
        self.scale = scale
    }
}

/// A `[frames x bins]` matrix drawn like `librosa.display.specshow(..., x_axis="time",
/// y_axis=...)` with a colour bar: time runs left to right in seconds, the lowest bin is at the
/// bottom, magnitudes and powers are shown in dB relative to their maximum. The same layout is
/// written as PNG (`RasterImage`) or SVG (`SVGPicture`), deterministic byte for byte.
public struct SpectrogramPicture {
    public var matrix: FeatureMatrix
    public var display: SpectrogramDisplay
    public var settings: SpectrogramSettings
    public var title: String
    /// nil: magma for decibels, else librosa's choice (`ColourMap.automatic`).
    public var colourMap: ColourMap?

    public init(matrix: FeatureMatrix, display: SpectrogramDisplay, settings: SpectrogramSettings, title: String,
                colourMap: ColourMap? = nil) {
        (self.matrix, self.display, self.settings, self.title, self.colourMap) = (matrix, display, settings, title, colourMap)
    }

    /// The picture as PNG bytes.
    public func png() throws -> [UInt8] {
        let layout = try Layout(self)
        var image = RasterImage(width: layout.width, height: layout.height)
        try draw(on: &image, layout)
        return try image.pngData()
    }

    /// The picture as an SVG document (the plot and colour bar embedded as PNG).
    public func svg() throws -> String {
        let layout = try Layout(self)
        var picture = SVGPicture(width: layout.width, height: layout.height)
        try draw(on: &picture, layout)
        return picture.render()
    }

    // MARK: - Values and geometry

    /// The values drawn (dB conversions applied) and their colour range.
    func displayValues() -> (values: [Float], low: Float, high: Float, unit: String) {
        var v = matrix.data
        var unit = ""
        switch display.scale {
        case .amplitudeToDb, .powerToDb:
            // librosa amplitude_to_db / power_to_db with ref=np.max, amin 1e-5 / 1e-10, top_db 80.
            let isPower: Bool = { if case .powerToDb = display.scale { return true } else { return false } }()
            let amin: Float = isPower ? 1e-10 : 1e-5
            let factor: Float = isPower ? 10 : 20
            let peak = max(v.filter(\.isFinite).map { abs($0) }.max() ?? 0, amin)
            let ref = factor * log10f(peak)
            for i in v.indices { v[i] = factor * log10f(max(abs(v[i]), amin)) - ref }
            let floor = (v.max() ?? 0) - 80
            for i in v.indices { v[i] = max(v[i], floor) }
            unit = "dB"
        case .values(let u):
            unit = u
        }
        let finite = v.filter(\.isFinite)
        var low = finite.min() ?? 0, high = finite.max() ?? 1
        if !(high > low) { (low, high) = (low - 0.5, low + 0.5) }
        return (v, low, high, unit)
    }

    /// Fractional bin (0 = centre of the lowest row) of a row-axis value, for tick placement.
    func binPosition(ofHz hz: Double) -> Double? {
        let s = settings
        switch display.axis {
        case .linearHz:
            return hz * Double(s.stft.nFFT) / Double(s.sampleRate)
        case .mel:
            // Band i is centred at mel(fmin) + (i + 1) * step (librosa mel_frequencies(n_mels + 2)).
            let scale = s.mel.scale
            let lo = scale.mel(fromHz: s.mel.fmin), hi = scale.mel(fromHz: s.mel.resolvedFmax)
            let step = (hi - lo) / Double(s.mel.nMels + 1)
            return (scale.mel(fromHz: hz) - lo) / step - 1
        case .cqtNotes:
            guard hz > 0 else { return nil }
            return Double(cqtBinsPerOctave) * log2(hz / cqtFmin)
        default:
            return nil
        }
    }

    var cqtFmin: Double { settings.cqt.fmin ?? 32.70319566257483 }  // C1, librosa.note_to_hz("C1")
    var cqtBinsPerOctave: Int { settings.cqt.binsPerOctave ?? 12 }

    /// Ticks of the row axis: (fractional bin, label).
    func rowTicks(rows: Int, plotHeight: Int) -> [(Double, String)] {
        let bins = matrix.bins
        let minSpacing = Double(RasterImage.lineHeight + 4) * Double(bins) / Double(plotHeight)
        func thin(_ ticks: [(Double, String)]) -> [(Double, String)] {
            var out: [(Double, String)] = []
            for t in ticks where t.0 >= -0.5 && t.0 <= Double(bins) - 0.5 {
                if let last = out.last, t.0 - last.0 < minSpacing { continue }
                out.append(t)
            }
            return out
        }
        switch display.axis {
        case .linearHz:
            let nyquist = Double(settings.sampleRate) / 2
            let step = niceStep(span: nyquist, maxTicks: 8)
            return thin(stride(from: 0.0, through: nyquist, by: step).compactMap { hz in
                binPosition(ofHz: hz).map { ($0, hzLabel(hz)) }
            })
        case .mel:
            let candidates = [0.0, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32768]
            return thin(candidates.filter { $0 >= settings.mel.fmin && $0 <= settings.mel.resolvedFmax }.compactMap { hz in
                binPosition(ofHz: hz).map { ($0, String(format: "%.0f", hz)) }
            })
        case .cqtNotes:
            // Each C from C0 to C10 (MIDI 12 k; C4 = MIDI 60 = 261.63 Hz).
            return thin((0 ... 10).compactMap { octave in
                let hz = 440 * pow(2, (Double(12 * (octave + 1)) - 69) / 12)
                return binPosition(ofHz: hz).map { ($0, "C\(octave)") }
            })
        case .chroma:
            let names = ["C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"]
            return thin((0 ..< bins).map { (Double($0), names[$0 % 12]) })
        case .tonnetz:
            let names = ["5_x", "5_y", "m3_x", "m3_y", "M3_x", "M3_y"]
            return thin((0 ..< bins).map { (Double($0), $0 < names.count ? names[$0] : "\($0)") })
        case .index:
            let step = max(1, Int(niceStep(span: Double(max(bins - 1, 1)), maxTicks: 8)))
            return thin(stride(from: 0, to: bins, by: step).map { (Double($0), "\($0)") })
        }
    }

    var rowTitle: String {
        switch display.axis {
        case .linearHz, .mel: return "frequency (Hz)"
        case .cqtNotes: return "note"
        case .chroma: return "pitch class"
        case .tonnetz: return "tonnetz"
        case .index(let name): return name
        }
    }

    /// Ticks of the time axis: (seconds, label).
    func timeTicks(duration: Double) -> [(Double, String)] {
        let step = niceStep(span: duration, maxTicks: 8, candidates: [0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600])
        return stride(from: 0.0, through: duration + 1e-9, by: step).map { t in
            let label: String
            if duration >= 60 { label = String(format: "%d:%02d", Int(t) / 60, Int(t) % 60) }
            else if step < 1 { label = String(format: "%.1f", t) }
            else { label = String(format: "%.0f", t) }
            return (t, label)
        }
    }

    /// magma for decibels (whatever their sign: dB re 1 straddles 0), else librosa's rule.
    func defaultColourMap(values: [Float], unit: String) -> ColourMap {
        unit == "dB" ? .magma : ColourMap.automatic(for: values)
    }

    // MARK: - Layout and drawing

    struct Layout {
        var width = 0, height = 0
        var plotX = 0, plotY = 0, plotW = 0, plotH = 0
        var barX = 0
        let margin = 10
        /// The values drawn, their colour range and unit (`displayValues()`, computed once).
        var shown: (values: [Float], low: Float, high: Float, unit: String) = ([], 0, 1, "")

        init(_ p: SpectrogramPicture) throws {
            let frames = p.matrix.frames, bins = p.matrix.bins
            guard frames > 0, bins > 0 else { throw PictureError("nothing to draw: \(frames) frames x \(bins) bins") }
            plotW = min(max(frames, 480), 960)
            plotH = bins >= 240 ? 400 : min(400, bins * Int((240.0 / Double(bins)).rounded(.up)))
            let lh = RasterImage.lineHeight
            let tickLabels = p.rowTicks(rows: bins, plotHeight: plotH).map { RasterImage.textWidth($0.1) }.max() ?? 0
            plotX = margin + lh + 8 + tickLabels + 8
            plotY = margin + lh + 10
            barX = plotX + plotW + 16
            shown = p.displayValues()
            let barLabels = p.barTicks(low: shown.low, high: shown.high, unit: shown.unit).map { RasterImage.textWidth($0.1) }.max() ?? 0
            width = barX + 14 + 6 + barLabels + margin + lh + 4
            width = max(width, margin + RasterImage.textWidth(p.title) + margin)
            height = plotY + plotH + 6 + lh + 6 + lh + margin
        }
    }

    /// Colour-bar ticks: (value, label).
    func barTicks(low: Float, high: Float, unit: String) -> [(Float, String)] {
        let step = niceStep(span: Double(high - low), maxTicks: 6)
        let first = (Double(low) / step).rounded(.up) * step
        let decimals = step >= 1 ? 0 : Int((-log10(step)).rounded(.up))
        return stride(from: first, through: Double(high) + step * 1e-6, by: step).map { v in
            let number = String(format: unit == "dB" ? "%+.\(decimals)f" : "%.\(decimals)f", abs(v) < step * 1e-6 ? 0 : v)
            return (Float(v), unit.isEmpty ? number : number + " " + unit)
        }
    }

    func draw<C: PictureCanvas>(on c: inout C, _ L: Layout) throws {
        let black: (UInt8, UInt8, UInt8) = (0, 0, 0), grey: (UInt8, UInt8, UInt8) = (85, 85, 85)
        let lh = RasterImage.lineHeight, asc = RasterImage.ascent
        let frames = matrix.frames, bins = matrix.bins
        let (values, low, high, unit) = L.shown
        let map = colourMap ?? defaultColourMap(values: values, unit: unit)
        c.text(title, x: L.margin, y: L.margin + asc, anchor: .start, rotated: false, colour: black)

        // The plot: column x shows frames [x * frames / W, (x+1) * frames / W) averaged (or the
        // nearest frame when upsampling); row y likewise over bins, lowest bin at the bottom.
        var rgb = [UInt8](repeating: 0, count: L.plotW * L.plotH * 3)
        let span = Double(high - low)
        var column = [Double](repeating: 0, count: bins)
        for x in 0 ..< L.plotW {
            let f0 = x * frames / L.plotW, f1 = max(f0 + 1, (x + 1) * frames / L.plotW)
            for b in 0 ..< bins {
                var sum = 0.0
                for f in f0 ..< f1 { sum += Double(values[f * bins + b]) }
                column[b] = sum / Double(f1 - f0)
            }
            for y in 0 ..< L.plotH {
                let r = L.plotH - 1 - y
                let b0 = r * bins / L.plotH, b1 = max(b0 + 1, (r + 1) * bins / L.plotH)
                var sum = 0.0
                for b in b0 ..< b1 { sum += column[b] }
                let (cr, cg, cb) = map.rgb((sum / Double(b1 - b0) - Double(low)) / span)
                let i = 3 * (y * L.plotW + x)
                (rgb[i], rgb[i + 1], rgb[i + 2]) = (cr, cg, cb)
            }
        }
        try c.image(x: L.plotX, y: L.plotY, width: L.plotW, height: L.plotH, rgb: rgb)
        // Frame.
        c.fill(x: L.plotX - 1, y: L.plotY - 1, width: L.plotW + 2, height: 1, grey)
        c.fill(x: L.plotX - 1, y: L.plotY + L.plotH, width: L.plotW + 2, height: 1, grey)
        c.fill(x: L.plotX - 1, y: L.plotY - 1, width: 1, height: L.plotH + 2, grey)
        c.fill(x: L.plotX + L.plotW, y: L.plotY - 1, width: 1, height: L.plotH + 2, grey)

        // Time axis.
        let duration = Double(frames * settings.stft.hopLength) / Double(settings.sampleRate)
        let axisY = L.plotY + L.plotH + 1
        for (t, label) in timeTicks(duration: duration) {
            let x = L.plotX + Int((t / duration * Double(L.plotW)).rounded())
            c.fill(x: x, y: axisY, width: 1, height: 4, black)
            c.text(label, x: x, y: axisY + 5 + asc, anchor: .middle, rotated: false, colour: black)
        }
        c.text(duration >= 60 ? "time (m:ss)" : "time (s)", x: L.plotX + L.plotW / 2, y: axisY + 5 + lh + 6 + asc,
               anchor: .middle, rotated: false, colour: black)

        // Row axis.
        for (bin, label) in rowTicks(rows: bins, plotHeight: L.plotH) {
            let y = L.plotY + L.plotH - Int(((bin + 0.5) / Double(bins) * Double(L.plotH)).rounded())
            c.fill(x: L.plotX - 5, y: y, width: 4, height: 1, black)
            c.text(label, x: L.plotX - 8, y: y + asc / 2 - 1, anchor: .end, rotated: false, colour: black)
        }
        c.text(rowTitle, x: L.margin + asc, y: L.plotY + L.plotH / 2, anchor: .middle, rotated: true, colour: black)

        // Colour bar: high at the top.
        var bar = [UInt8](repeating: 0, count: 14 * L.plotH * 3)
        for y in 0 ..< L.plotH {
            let (cr, cg, cb) = map.rgb(1 - (Double(y) + 0.5) / Double(L.plotH))
            for x in 0 ..< 14 { let i = 3 * (y * 14 + x); (bar[i], bar[i + 1], bar[i + 2]) = (cr, cg, cb) }
        }
        try c.image(x: L.barX, y: L.plotY, width: 14, height: L.plotH, rgb: bar)
        for (v, label) in barTicks(low: low, high: high, unit: unit) {
            let y = L.plotY + Int(((1 - Double(v - low) / span) * Double(L.plotH - 1)).rounded())
            c.fill(x: L.barX + 14, y: y, width: 4, height: 1, black)
            c.text(label, x: L.barX + 14 + 6, y: y + asc / 2 - 1, anchor: .start, rotated: false, colour: black)
        }
        if case .values = display.scale, unit.isEmpty {} else {
            let scaleTitle: String
            switch display.scale {
            case .amplitudeToDb: scaleTitle = "dB re max amplitude"
            case .powerToDb: scaleTitle = "dB re max power"
            case .values(let u): scaleTitle = u
            }
            c.text(scaleTitle, x: L.width - L.margin - 2, y: L.plotY + L.plotH / 2, anchor: .middle, rotated: true, colour: black)
        }
    }
}

/// Hz as a tick label: "512", "2k", "2.5k".
private func hzLabel(_ hz: Double) -> String {
    if hz < 1000 { return String(format: "%.0f", hz) }
    let k = hz / 1000
    return k == k.rounded() ? String(format: "%.0fk", k) : String(format: "%.1fk", k)
}

/// The smallest step among 1, 2, 2.5, 5 x 10^k (or `candidates`) giving at most `maxTicks` intervals over `span`.
func niceStep(span: Double, maxTicks: Int, candidates: [Double]? = nil) -> Double {
    guard span > 0, span.isFinite else { return 1 }
    if let candidates {
        return candidates.first { span / $0 <= Double(maxTicks) } ?? candidates.last!
    }
    let base = pow(10, (log10(span / Double(maxTicks))).rounded(.down))
    for m in [1.0, 2, 2.5, 5, 10] where span / (m * base) <= Double(maxTicks) { return m * base }
    return 10 * base
}
