import Foundation

/// A 2-D map of tracks ready to draw: positions, one colour group per point and the names of
/// the groups (the legend).
public struct TrackMap: Sendable {
    public var title: String
    /// `[n, 2]` row-major, any scale.
    public var coordinates: [Double]
    public var paths: [String]
    /// Group (label or cluster) of each point, an index into `groups`; -1 when unknown.
    public var group: [Int]
    public var groups: [String]
    /// Label name of each point (shown on hover).
    public var labels: [String]
    /// Split of each point, when known (shown on hover).
    public var splits: [String]?
    /// Audio `src` of each point, relative to the page (nil: no playback).
    public var audio: [String]?

    public init(title: String, coordinates: [Double], paths: [String], group: [Int], groups: [String],
                labels: [String], splits: [String]? = nil, audio: [String]? = nil) {
        self.title = title
        self.coordinates = coordinates
        self.paths = paths
        self.group = group
        self.groups = groups
        self.labels = labels
        self.splits = splits
        self.audio = audio
    }

    public var count: Int { paths.count }

    /// The plot area in SVG user units.
    static let width = 800.0, height = 800.0, margin = 20.0

    /// Point positions scaled into the plot area (aspect ratio kept, y up), rounded to 0.01.
    func scaledPositions() -> [(x: Double, y: Double)] {
        guard count > 0 else { return [] }
        var minX = Double.infinity, maxX = -Double.infinity, minY = Double.infinity, maxY = -Double.infinity
        for i in 0 ..< count {
            minX = min(minX, coordinates[2 * i]); maxX = max(maxX, coordinates[2 * i])
            minY = min(minY, coordinates[2 * i + 1]); maxY = max(maxY, coordinates[2 * i + 1])
        }
        let span = max(maxX - minX, maxY - minY, 1e-12)
        let scale = (Self.width - 2 * Self.margin) / span
        let offX = Self.margin + ((Self.width - 2 * Self.margin) - (maxX - minX) * scale) / 2
        let offY = Self.margin + ((Self.height - 2 * Self.margin) - (maxY - minY) * scale) / 2
        return (0 ..< count).map { i in
            ((coordinates[2 * i] - minX) * scale + offX, Self.height - ((coordinates[2 * i + 1] - minY) * scale + offY))
        }
    }

    /// The colour of group `g` (Tableau 10 up to 10 groups; beyond, golden-angle hues with three
    /// lightness levels so neighbouring groups differ; grey for unknown).
    public static func colour(_ g: Int, of groups: Int) -> String {
        let tableau = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                       "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"]
        if g < 0 { return "#b0b0b0" }
        if groups <= tableau.count { return tableau[g] }
        let hue = (Double(g) * 137.508).truncatingRemainder(dividingBy: 360)
        return String(format: "hsl(%.1f,70%%,%d%%)", hue, [45, 32, 60][g % 3])
    }

    /// `colour(g, of:)` as RGB bytes (the same colours in the PNG map).
    static func colourRGB(_ g: Int, of groups: Int) -> (UInt8, UInt8, UInt8) {
        let text = colour(g, of: groups)
        if text.hasPrefix("#"), let v = UInt32(text.dropFirst(), radix: 16) {
            return (UInt8(v >> 16), UInt8((v >> 8) & 255), UInt8(v & 255))
        }
        // hsl(h, 70%, l%): CSS Color 3's HSL to RGB.
        let hue = (Double(g) * 137.508).truncatingRemainder(dividingBy: 360) / 360
        let l = Double([45, 32, 60][g % 3]) / 100, s = 0.7
        let q = l < 0.5 ? l * (1 + s) : l + s - l * s, p = 2 * l - q
        func channel(_ t0: Double) -> UInt8 {
            var t = t0
            if t < 0 { t += 1 }
            if t > 1 { t -= 1 }
            let v = t < 1.0 / 6 ? p + (q - p) * 6 * t : t < 0.5 ? q : t < 2.0 / 3 ? p + (q - p) * (2.0 / 3 - t) * 6 : p
            return UInt8((v * 255).rounded())
        }
        return (channel(hue + 1.0 / 3), channel(hue), channel(hue - 1.0 / 3))
    }

    /// The map as PNG: the SVG's layout (title, framed plot, legend on the right) drawn with
    /// anti-aliased discs and the bitmap font (labels outside ASCII and Latin-1 show '?').
    public func png() throws -> [UInt8] {
        let legendWidth = 40 + (groups.map { RasterImage.textWidth($0) }.max() ?? 30)
        let legendRows = groups.count + (group.contains(-1) ? 1 : 0)
        let height = max(Int(Self.height) + 40, 60 + 18 * legendRows)
        var image = RasterImage(width: Int(Self.width) + legendWidth, height: height)
        image.text(title, x: 10, y: 24)
        let grey: (UInt8, UInt8, UInt8) = (204, 204, 204)
        let w = Int(Self.width), h = Int(Self.height)
        image.fill(x: 0, y: 40, width: w, height: 1, grey)
        image.fill(x: 0, y: 40 + h - 1, width: w, height: 1, grey)
        image.fill(x: 0, y: 40, width: 1, height: h, grey)
        image.fill(x: w - 1, y: 40, width: 1, height: h, grey)
        let radius = count > 2000 ? 2.5 : 4.0
        for (i, p) in scaledPositions().enumerated() {
            image.disc(cx: p.x, cy: p.y + 40, radius: radius, Self.colourRGB(group[i], of: groups.count))
        }
        var rows = groups.enumerated().map { ($0.offset, $0.element) }
        if group.contains(-1) { rows.append((-1, "unknown")) }
        for (r, entry) in rows.enumerated() {
            let y = 50 + 18 * Double(r)
            image.disc(cx: Self.width + 16, cy: y, radius: 5, Self.colourRGB(entry.0, of: groups.count))
            image.text(entry.1, x: w + 26, y: Int(y) + 4)
        }
        return try image.pngData()
    }

    /// A standalone SVG: the points, a title and a legend on the right.
    public func svg() -> String {
        let legendWidth = 40.0 + 7.5 * Double(min(40, groups.map(\.count).max() ?? 4))
        let legendRows = groups.count + (group.contains(-1) ? 1 : 0)
        let height = max(Self.height + 40, 60 + 18 * Double(legendRows))
        let width = Self.width + legendWidth
        var out = [String]()
        out.append(String(format: "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" font-family=\"sans-serif\" font-size=\"12\">", width, height, width, height))
        out.append(String(format: "<rect width=\"%.0f\" height=\"%.0f\" fill=\"white\"/>", width, height))
        out.append("<text x=\"10\" y=\"24\" font-size=\"16\">\(xmlEscape(title))</text>")
        out.append("<g transform=\"translate(0,40)\">")
        out.append(String(format: "<rect x=\"0.5\" y=\"0.5\" width=\"%.0f\" height=\"%.0f\" fill=\"none\" stroke=\"#ccc\"/>", Self.width - 1, Self.height - 1))
        out.append(contentsOf: pointElements(interactive: false))
        out.append("</g>")
        out.append(contentsOf: legendSVG(x: Self.width + 10, y: 50))
        out.append("</svg>")
        return out.joined(separator: "\n") + "\n"
    }

    /// One `<circle class="pt">` per track.
    func pointElements(interactive: Bool) -> [String] {
        let positions = scaledPositions()
        let radius = count > 2000 ? 2.5 : 4.0
        return (0 ..< count).map { i in
            let fill = Self.colour(group[i], of: groups.count)
            let tip = xmlEscape(paths[i] + " (" + labels[i] + ")")
            let data = interactive ? " data-i=\"\(i)\" data-g=\"\(group[i])\"" : ""
            return String(format: "<circle class=\"pt\" cx=\"%.2f\" cy=\"%.2f\" r=\"%.1f\" fill=\"%@\"", positions[i].x, positions[i].y, radius, fill)
                + data + "><title>\(tip)</title></circle>"
        }
    }

    func legendSVG(x: Double, y: Double) -> [String] {
        var rows = groups.enumerated().map { ($0.offset, $0.element) }
        if group.contains(-1) { rows.append((-1, "unknown")) }
        return rows.enumerated().map { r, entry in
            let yy = y + 18 * Double(r)
            return String(format: "<g class=\"legend-entry\"><circle cx=\"%.1f\" cy=\"%.1f\" r=\"5\" fill=\"%@\"/><text x=\"%.1f\" y=\"%.1f\">", x + 6, yy, Self.colour(entry.0, of: groups.count), x + 16, yy + 4)
                + xmlEscape(entry.1) + "</text></g>"
        }
    }
}
