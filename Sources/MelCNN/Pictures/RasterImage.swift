import CPNG
import Foundation

/// An RGB picture in memory (8 bits per channel, top row first) with the few drawing operations
/// melcnn's PNG pictures need: filled rectangles, axis-parallel lines, bitmap text (DejaVu Sans
/// 12 px, ASCII and Latin-1, see GlyphTables) horizontal or rotated a quarter turn, and blitted pixel blocks.
/// Drawing outside the picture is clipped. `pngData()` encodes it with libpng.
public struct RasterImage: Sendable {
    public let width: Int
    public let height: Int
    /// `height * width * 3` bytes.
    public private(set) var pixels: [UInt8]

    /// A `width` x `height` picture filled with `background`.
    public init(width: Int, height: Int, background: (UInt8, UInt8, UInt8) = (255, 255, 255)) {
        precondition(width > 0 && height > 0 && width <= 1 << 15 && height <= 1 << 15, "RasterImage: \(width) x \(height)")
        self.width = width
        self.height = height
        var p = [UInt8](repeating: 0, count: width * height * 3)
        for i in 0 ..< width * height { (p[3 * i], p[3 * i + 1], p[3 * i + 2]) = background }
        pixels = p
    }

    /// Decodes PNG bytes (any colour type; alpha dropped) with libpng.
    public init(png: [UInt8]) throws {
        var out: UnsafeMutablePointer<UInt8>?
        var w: UInt32 = 0, h: UInt32 = 0
        var message = [CChar](repeating: 0, count: 256)
        let status = png.withUnsafeBufferPointer { p in
            melcnn_png_decode_rgb(p.baseAddress, p.count, &out, &w, &h, &message, message.count)
        }
        guard status == 0, let bytes = out, w > 0, h > 0 else {
            throw PictureError("not a readable PNG: \(cMessage(message))")
        }
        defer { free(bytes) }
        width = Int(w)
        height = Int(h)
        pixels = [UInt8](UnsafeBufferPointer(start: bytes, count: Int(w) * Int(h) * 3))
    }

    /// The colour at (`x`, `y`).
    public func pixel(x: Int, y: Int) -> (UInt8, UInt8, UInt8) {
        let i = 3 * (y * width + x)
        return (pixels[i], pixels[i + 1], pixels[i + 2])
    }

    /// Fills the rectangle [x, x + w) x [y, y + h).
    public mutating func fill(x: Int, y: Int, width w: Int, height h: Int, _ colour: (UInt8, UInt8, UInt8)) {
        let x0 = max(0, x), x1 = min(width, x + w), y0 = max(0, y), y1 = min(height, y + h)
        guard x0 < x1, y0 < y1 else { return }
        for yy in y0 ..< y1 {
            for xx in x0 ..< x1 {
                let i = 3 * (yy * width + xx)
                (pixels[i], pixels[i + 1], pixels[i + 2]) = colour
            }
        }
    }

    /// Copies a block of `w` x `h` RGB pixels (row-major, 3 bytes each) with its top-left at (`x`, `y`).
    public mutating func blit(x: Int, y: Int, width w: Int, height h: Int, rgb: [UInt8]) {
        precondition(rgb.count == w * h * 3)
        for row in 0 ..< h where (0 ..< height).contains(y + row) {
            for col in 0 ..< w where (0 ..< width).contains(x + col) {
                let s = 3 * (row * w + col), d = 3 * ((y + row) * width + x + col)
                pixels[d] = rgb[s]; pixels[d + 1] = rgb[s + 1]; pixels[d + 2] = rgb[s + 2]
            }
        }
    }

    /// A filled disc centred at (`cx`, `cy`) (pixel centres are at +0.5), edges anti-aliased by
    /// 4 x 4 supersampling.
    public mutating func disc(cx: Double, cy: Double, radius: Double, _ colour: (UInt8, UInt8, UInt8)) {
        let x0 = max(0, Int((cx - radius).rounded(.down))), x1 = min(width - 1, Int((cx + radius).rounded(.up)))
        let y0 = max(0, Int((cy - radius).rounded(.down))), y1 = min(height - 1, Int((cy + radius).rounded(.up)))
        guard x0 <= x1, y0 <= y1 else { return }
        let r2 = radius * radius
        for y in y0 ... y1 {
            for x in x0 ... x1 {
                var inside = 0
                for sy in 0 ..< 4 {
                    for sx in 0 ..< 4 {
                        let dx = Double(x) + (Double(sx) + 0.5) / 4 - cx, dy = Double(y) + (Double(sy) + 0.5) / 4 - cy
                        if dx * dx + dy * dy <= r2 { inside += 1 }
                    }
                }
                if inside > 0 { blend(x, y, colour, UInt8(inside * 255 / 16)) }
            }
        }
    }

    /// Width in pixels of `text` in the bitmap font (characters outside ASCII and Latin-1 draw as '?').
    public static func textWidth(_ text: String) -> Int {
        text.unicodeScalars.reduce(0) { $0 + Glyphs.advance(of: $1) }
    }

    /// The font's line height and ascent, px.
    public static var lineHeight: Int { GlyphTables.height }
    public static var ascent: Int { GlyphTables.ascent }

    /// Draws `text` with its baseline at `y`, starting at `x` (or centred/ending there), in `colour`.
    /// `rotated`: a quarter turn anticlockwise (reads bottom to top); then (`x`, `y`) is the
    /// baseline point and the anchor runs along the rotated baseline.
    public mutating func text(_ text: String, x: Int, y: Int, anchor: TextAnchor = .start, rotated: Bool = false,
                              colour: (UInt8, UInt8, UInt8) = (0, 0, 0)) {
        let total = Self.textWidth(text)
        let shift = anchor == .start ? 0 : anchor == .middle ? total / 2 : total
        var pen = -shift
        for scalar in text.unicodeScalars {
            let (advance, cell) = Glyphs.glyph(of: scalar)
            for row in 0 ..< GlyphTables.height {
                for col in 0 ..< advance {
                    let coverage = cell[row * advance + col]
                    guard coverage > 0 else { continue }
                    // Unrotated: pixel (x + pen + col, y - ascent + row). Rotated anticlockwise: the
                    // baseline runs upwards, so along-text offsets go to -y and rows go to +x.
                    let along = pen + col, across = row - GlyphTables.ascent
                    let (px, py) = rotated ? (x + across, y - along) : (x + along, y + across)
                    blend(px, py, colour, coverage)
                }
            }
            pen += advance
        }
    }

    private mutating func blend(_ x: Int, _ y: Int, _ c: (UInt8, UInt8, UInt8), _ coverage: UInt8) {
        guard x >= 0, x < width, y >= 0, y < height else { return }
        let i = 3 * (y * width + x), a = Int(coverage)
        pixels[i] = UInt8((Int(c.0) * a + Int(pixels[i]) * (255 - a) + 127) / 255)
        pixels[i + 1] = UInt8((Int(c.1) * a + Int(pixels[i + 1]) * (255 - a) + 127) / 255)
        pixels[i + 2] = UInt8((Int(c.2) * a + Int(pixels[i + 2]) * (255 - a) + 127) / 255)
    }

    /// The picture as PNG bytes (libpng; the same pixels always give the same bytes).
    public func pngData() throws -> [UInt8] {
        var out: UnsafeMutablePointer<UInt8>?
        var length = 0
        var message = [CChar](repeating: 0, count: 256)
        let status = pixels.withUnsafeBufferPointer { p in
            melcnn_png_encode_rgb(p.baseAddress, UInt32(width), UInt32(height), &out, &length, &message, message.count)
        }
        guard status == 0, let bytes = out else {
            throw PictureError("PNG encoding failed: \(cMessage(message))")
        }
        defer { free(bytes) }
        return [UInt8](UnsafeBufferPointer(start: bytes, count: length))
    }
}

/// Where a text's anchor point lies along it.
public enum TextAnchor: Sendable { case start, middle, end }

/// A picture that could not be made (encoding failure, nothing to draw).
public struct PictureError: Error, CustomStringConvertible {
    public let description: String
    public init(_ message: String) { description = message }
}

/// The decoded glyph cells of GlyphTables.
private enum Glyphs {
    static let cells: [[UInt8]] = {
        let bytes = [UInt8](Data(base64Encoded: GlyphTables.cells, options: .ignoreUnknownCharacters) ?? Data())
        var out: [[UInt8]] = []
        var offset = 0
        for advance in GlyphTables.advances {
            let n = Int(advance) * GlyphTables.height
            precondition(offset + n <= bytes.count, "GlyphTables: cells too short")
            out.append(Array(bytes[offset ..< offset + n]))
            offset += n
        }
        return out
    }()

    /// Cells hold ASCII 32-126 (indices 0-94), then Latin-1 160-255 (95-190); anything else is '?'.
    static func index(of scalar: Unicode.Scalar) -> Int {
        switch scalar.value {
        case 32 ... 126: return Int(scalar.value) - 32
        case 160 ... 255: return Int(scalar.value) - 160 + 95
        default: return Int(("?" as Unicode.Scalar).value) - 32
        }
    }

    static func advance(of scalar: Unicode.Scalar) -> Int { Int(GlyphTables.advances[index(of: scalar)]) }

    static func glyph(of scalar: Unicode.Scalar) -> (Int, [UInt8]) {
        let i = index(of: scalar)
        return (Int(GlyphTables.advances[i]), cells[i])
    }
}

/// A NUL-terminated C message buffer as a String (invalid UTF-8 repaired).
private func cMessage(_ buffer: [CChar]) -> String {
    String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}
