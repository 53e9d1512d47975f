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
    public func confusionCSV() -> String { Self.confusionCSV(confusion, classes: classes) }

    /// `confusion.csv` of any `confusion[true][predicted]` count matrix over `classes`.
    public static func confusionCSV(_ confusion: [[Int]], classes: [String]) -> String {
        var lines = ["true\\predicted," + classes.map(csvField).joined(separator: ",")]
        for (i, row) in confusion.enumerated() {
            lines.append(csvField(classes[i]) + "," + row.map(String.init).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `confusion.svg`: a heat map of row-normalised counts (recall per cell) with class
    /// labels, the counts written in each cell, the overall track accuracy as title, axis
    /// titles "true <noun>" / "predicted <noun>" and a colour bar (0–100% of the row, the
    /// cells' colour map). The picture's size follows the longest label and the title and
    /// caption, so nothing is clipped for any number of classes.
    /// `normalized`: each cell shows its share of the row (the recall of the true class among
    /// the predictions) in percent instead of its count.
    public func confusionSVG(noun: String = "class", normalized: Bool = false) -> String {
        let k = classes.count
        let fs = 12.0, titleSize = 15.0, m = 10.0
        let cell: Double = k <= 15 ? 44 : k <= 30 ? 32 : 24
        let countSize: Double = cell >= 32 ? 12 : 9
        let longest = classes.map { svgTextWidth($0, fontSize: fs) }.max() ?? 0
        var c = SVGCanvas(fontSize: fs)
        let titleY = m + 0.8 * titleSize
        c.text("Confusion matrix (tracks\(normalized ? ", % of each row" : "")) — accuracy \(String(format: "%.1f", 100 * trackAccuracy))%",
               x: m, y: titleY, size: titleSize, bold: true)
        // Row labels end at `left - 6`; the rotated y-axis title sits left of them.
        let yTitleX = m + 0.8 * fs
        let left = yTitleX + 0.25 * fs + 8 + longest + 6
        // Column labels run upwards from `top - 6`, below the title.
        let top = titleY + 0.25 * titleSize + 10 + longest + 6
        let side = Double(k) * cell
        c.text("true \(noun)", x: yTitleX, y: top + side / 2, anchor: .middle, rotation: -90, extra: #"class="axis-title""#)
        for (j, name) in classes.enumerated() {
            let x = left + Double(j) * cell + cell / 2 + 0.3 * fs
            c.text(name, x: x, y: top - 6, rotation: -90)
        }
        for (i, row) in confusion.enumerated() {
            let total = max(1, row.reduce(0, +))
            let y = top + Double(i) * cell
            c.text(classes[i], x: left - 6, y: y + cell / 2 + 0.35 * fs, anchor: .end)
            for (j, count) in row.enumerated() {
                let share = Double(count) / Double(total)
                let x = left + Double(j) * cell
                c.rect(x: x, y: y, width: cell, height: cell, attributes: #"fill="\#(heatColor(share))" stroke="rgb(221,221,221)""#,
                       content: "<title>\(xmlEscape(classes[i])) → \(xmlEscape(classes[j])): \(count)</title>")
                if count > 0 {
                    let shown = normalized ? String(format: "%.0f%%", 100 * share) : "\(count)"
                    c.text(shown, x: x + cell / 2, y: y + cell / 2 + 0.35 * countSize, anchor: .middle,
                           size: countSize == fs ? nil : countSize, extra: #"fill="\#(share > 0.55 ? "white" : "black")""#)
                }
            }
        }
        // Colour bar: 100% at the top, 0% at the bottom, ticks every 25%.
        let barX = left + side + 18, barW = 14.0, barH = max(side, 120)
        c.raw(#"<defs><linearGradient id="recall-scale" x1="0" y1="1" x2="0" y2="0"><stop offset="0" stop-color="\#(heatColor(0))"/><stop offset="1" stop-color="\#(heatColor(1))"/></linearGradient></defs>"#)
        c.text("recall", x: barX, y: top - 8, extra: #"class="colour-bar-title""#)
        c.raw(#"<rect class="colour-bar" x="\#(svgNumber(barX))" y="\#(svgNumber(top))" width="\#(svgNumber(barW))" height="\#(svgNumber(barH))" fill="url(#recall-scale)" stroke="rgb(153,153,153)"/>"#)
        c.include(x: barX + barW, y: top + barH)
        for t in 0...4 {
            let y = top + barH * (1 - Double(t) / 4)
            c.line(barX + barW, y, barX + barW + 4, y, stroke: "rgb(85,85,85)")
            c.text("\(t * 25)%", x: barX + barW + 7, y: y + 0.35 * fs, extra: #"class="colour-bar-tick""#)
        }
        let caption = "predicted \(noun) (rows: true \(noun), colour: share of the row)"
        let captionWidth = svgTextWidth(caption, fontSize: fs)
        let captionX = max(left + side / 2, m + captionWidth / 2)
        c.text(caption, x: captionX, y: top + max(side, barH) + 28, anchor: .middle, extra: #"class="axis-title""#)
        return c.render(margin: m)
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
