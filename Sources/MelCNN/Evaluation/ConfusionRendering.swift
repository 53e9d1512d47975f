import Foundation

extension ClassificationReport {
    /// A multi-line text summary: accuracies, the confusion matrix and per-class scores.
    public func textSummary() -> String {
        var out: [String] = []
        out.append(String(format: "patches %d  tracks %d  loss %.4f", patches, tracks, patchLoss))
        out.append(String(format: "accuracy  patch %.2f%%  track %.2f%%  top-%d patch %.2f%%  top-%d track %.2f%%  macro F1 %.3f",
                          100 * patchAccuracy, 100 * trackAccuracy, topK, 100 * patchTopKAccuracy,
                          topK, 100 * trackTopKAccuracy, macroF1))
        out.append("")
        out.append(confusionTable())
        out.append("")
        let width = max(5, classes.map(\.count).max() ?? 5)
        out.append("class".padding(toLength: width, withPad: " ", startingAt: 0) + "  precision  recall     f1  support")
        for s in perClass {
            out.append(s.name.padding(toLength: width, withPad: " ", startingAt: 0)
                + String(format: "  %9.3f  %6.3f  %5.3f  %7d", s.precision, s.recall, s.f1, s.support))
        }
        return out.joined(separator: "\n")
    }

    /// The track-level confusion matrix as an aligned table: rows true, columns predicted
    /// (column headers are the first 6 letters of each class name).
    public func confusionTable() -> String {
        let names = classes
        let rowWidth = max(10, (names.map(\.count).max() ?? 0) + 1)
        let short = names.map { String($0.prefix(6)) }
        let cell = max(6, (confusion.flatMap { $0 }.max() ?? 0).description.count + 1)
        func pad(_ s: String, _ n: Int) -> String { String(repeating: " ", count: max(0, n - s.count)) + s }
        var lines = ["true\\pred".padding(toLength: rowWidth, withPad: " ", startingAt: 0)
            + short.map { pad($0, cell + 1) }.joined() + pad("recall", 8)]
        for (i, row) in confusion.enumerated() {
            let total = row.reduce(0, +)
            let recall = total > 0 ? String(format: "%.0f%%", 100 * Double(row[i]) / Double(total)) : "-"
            let cells = row.enumerated().map { j, v in pad(i == j ? "[\(v)]" : (v == 0 ? "." : "\(v)"), cell + 1) }
            lines.append(names[i].padding(toLength: rowWidth, withPad: " ", startingAt: 0) + cells.joined() + pad(recall, 8))
        }
        return lines.joined(separator: "\n")
    }

    /// `confusion.csv`: a header row `true\predicted,<classes>` then one row per true class.
    public func confusionCSV() -> String {
        var lines = ["true\\predicted," + classes.map(csvField).joined(separator: ",")]
        for (i, row) in confusion.enumerated() {
            lines.append(csvField(classes[i]) + "," + row.map(String.init).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `confusion.svg`: a heat map of row-normalised counts (recall per cell) with class
    /// labels, the counts written in each cell and the overall track accuracy as title.
    public func confusionSVG() -> String {
        let k = classes.count
        let cellSize = 44
        let labelWidth = 12 + 7 * (classes.map(\.count).max() ?? 4)
        let left = labelWidth + 10, top = labelWidth + 40
        let width = left + k * cellSize + 20, height = top + k * cellSize + 50
        var svg = [#"<svg xmlns="http://www.w3.org/2000/svg" width="\#(width)" height="\#(height)" font-family="Helvetica, Arial, sans-serif" font-size="12">"#,
                   #"<rect width="100%" height="100%" fill="white"/>"#,
                   #"<text x="\#(left)" y="20" font-size="15" font-weight="bold">Confusion matrix (tracks) — accuracy \#(String(format: "%.1f", 100 * trackAccuracy))%</text>"#]
        for (j, name) in classes.enumerated() {
            let x = left + j * cellSize + cellSize / 2
            svg.append(#"<text x="\#(x)" y="\#(top - 6)" transform="rotate(-60 \#(x) \#(top - 6))">\#(xmlEscape(name))</text>"#)
        }
        for (i, row) in confusion.enumerated() {
            let total = max(1, row.reduce(0, +))
            let y = top + i * cellSize
            svg.append(#"<text x="\#(left - 6)" y="\#(y + cellSize / 2 + 4)" text-anchor="end">\#(xmlEscape(classes[i]))</text>"#)
            for (j, count) in row.enumerated() {
                let share = Double(count) / Double(total)
                let x = left + j * cellSize
                svg.append(#"<rect x="\#(x)" y="\#(y)" width="\#(cellSize)" height="\#(cellSize)" fill="\#(heatColor(share))" stroke="rgb(221,221,221)"><title>\#(xmlEscape(classes[i])) → \#(xmlEscape(classes[j])): \#(count)</title></rect>"#)
                if count > 0 {
                    let ink = share > 0.55 ? "white" : "black"
                    svg.append(#"<text x="\#(x + cellSize / 2)" y="\#(y + cellSize / 2 + 4)" text-anchor="middle" fill="\#(ink)">\#(count)</text>"#)
                }
            }
        }
        svg.append(#"<text x="\#(left + k * cellSize / 2)" y="\#(top + k * cellSize + 30)" text-anchor="middle">predicted genre (rows: true genre, colour: share of the row)</text>"#)
        svg.append("</svg>")
        return svg.joined(separator: "\n") + "\n"
    }
}

/// White → dark blue as `share` goes 0 → 1.
private func heatColor(_ share: Double) -> String {
    let s = min(max(share, 0), 1)
    let r = Int(247 - s * (247 - 8)), g = Int(251 - s * (251 - 48)), b = Int(255 - s * (255 - 107))
    return String(format: "#%02x%02x%02x", r, g, b)
}

/// `&`, `<`, `>`, `"` and `'` as XML entities (SVG text and attributes, HTML pages).
func xmlEscape(_ s: String) -> String {
    s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
        .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
        .replacingOccurrences(of: "'", with: "&#39;")
}

/// A CSV field, quoted when it holds a comma, quote or newline (RFC 4180).
public func csvField(_ s: String) -> String {
    guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) else { return s }
    return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
}
