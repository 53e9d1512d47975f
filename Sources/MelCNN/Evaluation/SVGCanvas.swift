import Foundation

/// The estimated advance width of `text` in the sans-serif fonts the SVG pictures name:
/// 0.6 em per character (0.66 em bold), a little wider than Helvetica's average so that
/// layouts computed from it leave room for capitals.
func svgTextWidth(_ text: String, fontSize: Double, bold: Bool = false) -> Double {
    Double(text.count) * fontSize * (bold ? 0.66 : 0.6)
}

/// An SVG picture whose size follows its content: every text and shape added records its
/// estimated extent (texts through `svgTextWidth`, 0.8 em above and 0.25 em below the
/// baseline, rotations included), and `render` sizes the picture to the union plus a margin.
struct SVGCanvas {
    enum Anchor: String { case start, middle, end }

    let fontSize: Double
    private(set) var elements: [String] = []
    private(set) var maxX = 0.0, maxY = 0.0

    init(fontSize: Double = 12) { self.fontSize = fontSize }

    /// Extends the picture to hold the point (`x`, `y`).
    mutating func include(x: Double, y: Double) {
        maxX = max(maxX, x)
        maxY = max(maxY, y)
    }

    /// Adds raw SVG (definitions, polylines) whose extent the caller includes.
    mutating func raw(_ element: String) { elements.append(element) }

    mutating func rect(x: Double, y: Double, width: Double, height: Double, attributes: String, content: String = "") {
        include(x: x + width, y: y + height)
        let open = "<rect x=\"\(svgNumber(x))\" y=\"\(svgNumber(y))\" width=\"\(svgNumber(width))\" height=\"\(svgNumber(height))\" \(attributes)"
        elements.append(content.isEmpty ? open + "/>" : open + ">" + content + "</rect>")
    }

    mutating func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, stroke: String = "black", extra: String = "") {
        include(x: max(x1, x2), y: max(y1, y2))
        elements.append("<line x1=\"\(svgNumber(x1))\" y1=\"\(svgNumber(y1))\" x2=\"\(svgNumber(x2))\" y2=\"\(svgNumber(y2))\" stroke=\"\(stroke)\"\(extra.isEmpty ? "" : " " + extra)/>")
    }

    /// Adds a text at baseline (`x`, `y`); `rotation` in degrees about that point (SVG's sense).
    mutating func text(_ string: String, x: Double, y: Double, anchor: Anchor = .start, size: Double? = nil,
                       bold: Bool = false, rotation: Double = 0, extra: String = "") {
        let fs = size ?? fontSize
        for (px, py) in Self.textCorners(string, x: x, y: y, anchor: anchor, fontSize: fs, bold: bold, rotation: rotation) {
            include(x: px, y: py)
        }
        var attrs = "x=\"\(svgNumber(x))\" y=\"\(svgNumber(y))\""
        if anchor != .start { attrs += " text-anchor=\"\(anchor.rawValue)\"" }
        if size != nil { attrs += " font-size=\"\(svgNumber(fs))\"" }
        if bold { attrs += " font-weight=\"bold\"" }
        if rotation != 0 { attrs += " transform=\"rotate(\(svgNumber(rotation)) \(svgNumber(x)) \(svgNumber(y)))\"" }
        if !extra.isEmpty { attrs += " " + extra }
        elements.append("<text \(attrs)>\(xmlEscape(string))</text>")
    }

    /// The four corners of a text's estimated box (the same estimate tests check against).
    static func textCorners(_ string: String, x: Double, y: Double, anchor: Anchor, fontSize: Double,
                            bold: Bool, rotation: Double) -> [(Double, Double)] {
        let w = svgTextWidth(string, fontSize: fontSize, bold: bold)
        let x0: Double = anchor == .start ? 0 : anchor == .middle ? -w / 2 : -w
        let a = rotation * Double.pi / 180, c = cos(a), s = sin(a)
        return [(x0, -0.8 * fontSize), (x0 + w, -0.8 * fontSize), (x0, 0.25 * fontSize), (x0 + w, 0.25 * fontSize)].map { dx, dy in
            (x + c * dx - s * dy, y + s * dx + c * dy)
        }
    }

    /// The whole picture, `margin` px beyond the furthest extent, on a white background.
    func render(margin: Double = 10, extraRootAttributes: String = "") -> String {
        let width = Int((maxX + margin).rounded(.up)), height = Int((maxY + margin).rounded(.up))
        var out = ["<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(height)\" viewBox=\"0 0 \(width) \(height)\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"\(svgNumber(fontSize))\"\(extraRootAttributes)>",
                   "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>"]
        out += elements
        out.append("</svg>")
        return out.joined(separator: "\n") + "\n"
    }
}

/// A coordinate with at most two decimals and no trailing zeros (deterministic text).
func svgNumber(_ v: Double) -> String {
    let r = (v * 100).rounded() / 100
    if r == r.rounded() { return String(Int(r)) }
    var s = String(format: "%.2f", r)
    while s.hasSuffix("0") { s.removeLast() }
    return s
}
