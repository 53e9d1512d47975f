import Foundation

/// The drawing operations a picture is made of, so that one layout draws both a PNG
/// (`RasterImage`) and an SVG (`SVGPicture`) with the same geometry. Coordinates in pixels,
/// origin top-left; text is the 12 px bitmap font's (its widths from `RasterImage.textWidth`).
public protocol PictureCanvas {
    mutating func fill(x: Int, y: Int, width: Int, height: Int, _ colour: (UInt8, UInt8, UInt8))
    mutating func text(_ text: String, x: Int, y: Int, anchor: TextAnchor, rotated: Bool, colour: (UInt8, UInt8, UInt8))
    /// A block of RGB pixels (`width * height * 3` bytes, row-major) with its top-left at (`x`, `y`).
    mutating func image(x: Int, y: Int, width: Int, height: Int, rgb: [UInt8]) throws
}

extension RasterImage: PictureCanvas {
    public mutating func image(x: Int, y: Int, width: Int, height: Int, rgb: [UInt8]) throws {
        blit(x: x, y: y, width: width, height: height, rgb: rgb)
    }
}

/// An SVG document with a fixed size; pixel blocks are embedded as PNG data URIs, so the file is
/// self-contained, and texts are SVG text (selectable, scalable).
public struct SVGPicture: PictureCanvas {
    public let width: Int
    public let height: Int
    private var elements: [String] = []

    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }

    public mutating func fill(x: Int, y: Int, width: Int, height: Int, _ c: (UInt8, UInt8, UInt8)) {
        elements.append("<rect x=\"\(x)\" y=\"\(y)\" width=\"\(width)\" height=\"\(height)\" fill=\"\(Self.hex(c))\"/>")
    }

    public mutating func text(_ text: String, x: Int, y: Int, anchor: TextAnchor, rotated: Bool, colour: (UInt8, UInt8, UInt8)) {
        var attrs = "x=\"\(x)\" y=\"\(y)\""
        switch anchor {
        case .start: break
        case .middle: attrs += " text-anchor=\"middle\""
        case .end: attrs += " text-anchor=\"end\""
        }
        if rotated { attrs += " transform=\"rotate(-90 \(x) \(y))\"" }
        if colour != (0, 0, 0) { attrs += " fill=\"\(Self.hex(colour))\"" }
        elements.append("<text \(attrs)>\(xmlEscape(text))</text>")
    }

    public mutating func image(x: Int, y: Int, width: Int, height: Int, rgb: [UInt8]) throws {
        var block = RasterImage(width: width, height: height)
        block.blit(x: 0, y: 0, width: width, height: height, rgb: rgb)
        let png = Data(try block.pngData()).base64EncodedString()
        elements.append("<image x=\"\(x)\" y=\"\(y)\" width=\"\(width)\" height=\"\(height)\" preserveAspectRatio=\"none\" style=\"image-rendering:pixelated\" href=\"data:image/png;base64,\(png)\"/>")
    }

    /// The document text.
    public func render() -> String {
        var out = ["<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(height)\" viewBox=\"0 0 \(width) \(height)\" font-family=\"DejaVu Sans, Verdana, sans-serif\" font-size=\"12\">",
                   "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>"]
        out += elements
        out.append("</svg>")
        return out.joined(separator: "\n") + "\n"
    }

    static func hex(_ c: (UInt8, UInt8, UInt8)) -> String { String(format: "#%02x%02x%02x", c.0, c.1, c.2) }
}
