import Foundation

/// `report.html` of `melcnn eval --out`: one self-contained page (inline SVG and a few lines of
/// JavaScript, no network fetches) with the metrics, the per-class table, the confusion heat map
/// (counts, or each row normalised), the worst-classified tracks with their probabilities, and
/// links to the files beside it and to the run's learning curves.
public struct EvaluationPage {
    /// One track of the evaluated split.
    public struct Track: Sendable {
        public var path: String
        /// The true class (index into the report's classes).
        public var label: Int
        /// Mean class probabilities over the track's patches, one per class.
        public var probabilities: [Float]

        public init(path: String, label: Int, probabilities: [Float]) {
            (self.path, self.label, self.probabilities) = (path, label, probabilities)
        }
    }

    public var title: String
    public var report: ClassificationReport
    public var tracks: [Track]
    /// What the labels are ("genre", "soundtrack"), for the headings.
    public var noun: String
    /// A link to the run's `curves.svg`, relative to the page (nil: none).
    public var curvesLink: String?
    /// How many of the worst-classified tracks to list.
    public var worstCount = 20

    public init(title: String, report: ClassificationReport, tracks: [Track], noun: String = "class", curvesLink: String? = nil) {
        (self.title, self.report, self.tracks, self.noun, self.curvesLink) = (title, report, tracks, noun, curvesLink)
    }

    /// The tracks whose true class got the lowest mean probability, lowest first (ties by path).
    public func worstTracks() -> [Track] {
        let valid = tracks.filter { report.classes.indices.contains($0.label) && $0.probabilities.count == report.classes.count }
        return Array(valid.sorted {
            let a = $0.probabilities[$0.label], b = $1.probabilities[$1.label]
            return a != b ? a < b : $0.path < $1.path
        }.prefix(worstCount))
    }

    public func html() -> String {
        let r = report
        var out = ["<!DOCTYPE html>", "<html lang=\"en\"><head><meta charset=\"utf-8\">",
                   "<title>\(xmlEscape(title))</title>", "<style>\(Self.style)</style></head><body>",
                   "<h1>\(xmlEscape(title))</h1>"]
        var links = ["<a href=\"metrics.json\">metrics.json</a>", "<a href=\"confusion.csv\">confusion.csv</a>",
                     "<a href=\"confusion.svg\">confusion.svg</a>"]
        if let curvesLink { links.append("<a href=\"\(xmlEscape(curvesLink))\">learning curves</a>") }
        out.append("<p class=\"links\">" + links.joined(separator: " · ") + "</p>")

        out.append("<h2>Metrics</h2><table id=\"metrics\"><tbody>")
        let rows: [(String, String)] = [
            ("tracks", "\(r.tracks)"), ("patches", "\(r.patches)"),
            ("track accuracy", Self.percent(r.trackAccuracy)), ("patch accuracy", Self.percent(r.patchAccuracy)),
            ("top-\(r.topK) track accuracy", Self.percent(r.trackTopKAccuracy)),
            ("top-\(r.topK) patch accuracy", Self.percent(r.patchTopKAccuracy)),
            ("macro F1", String(format: "%.3f", r.macroF1)), ("patch loss (cross-entropy)", String(format: "%.4f", r.patchLoss)),
        ]
        for (name, value) in rows { out.append("<tr><th>\(xmlEscape(name))</th><td>\(value)</td></tr>") }
        out.append("</tbody></table>")

        out.append("<h2>Per \(xmlEscape(noun))</h2><table id=\"per-class\"><thead><tr><th>\(xmlEscape(noun))</th><th>precision</th><th>recall</th><th>F1</th><th>support</th></tr></thead><tbody>")
        for s in r.perClass {
            out.append("<tr><td>\(xmlEscape(s.name))</td><td>\(String(format: "%.3f", s.precision))</td><td>\(String(format: "%.3f", s.recall))</td><td>\(String(format: "%.3f", s.f1))</td><td>\(s.support)</td></tr>")
        }
        out.append("</tbody></table>")

        out.append("<h2>Confusion matrix</h2>")
        out.append("<p><label><input type=\"checkbox\" id=\"normalize\"> show each row normalised (% of the true \(xmlEscape(noun)))</label></p>")
        out.append("<div id=\"confusion-counts\">\(Self.inline(r.confusionSVG(noun: noun)))</div>")
        // Its own gradient id: a gradient inside a hidden element does not paint in every browser.
        let normalized = r.confusionSVG(noun: noun, normalized: true).replacingOccurrences(of: "recall-scale", with: "recall-scale-rows")
        out.append("<div id=\"confusion-normalized\" hidden>\(Self.inline(normalized))</div>")

        let worst = worstTracks()
        out.append("<h2>Worst-classified tracks</h2>")
        out.append("<p>The \(worst.count) tracks whose true \(xmlEscape(noun)) got the lowest mean probability over their patches.</p>")
        out.append("<table id=\"worst\"><thead><tr><th>track</th><th>true</th><th>p(true)</th><th>predicted</th><th>p(predicted)</th></tr></thead><tbody>")
        for t in worst {
            let predicted = ClassificationReport.argmax(t.probabilities)
            out.append("<tr><td>\(xmlEscape(t.path))</td><td>\(xmlEscape(r.classes[t.label]))</td><td>\(String(format: "%.3f", t.probabilities[t.label]))</td><td>\(xmlEscape(r.classes[predicted]))</td><td>\(String(format: "%.3f", t.probabilities[predicted]))</td></tr>")
        }
        out.append("</tbody></table>")
        out.append("<script>document.getElementById('normalize').addEventListener('change',function(e){document.getElementById('confusion-counts').hidden=e.target.checked;document.getElementById('confusion-normalized').hidden=!e.target.checked;});</script>")
        out.append("</body></html>")
        return out.joined(separator: "\n") + "\n"
    }

    /// The path of the checkpoint's run folder's `curves.svg` relative to `pageFolder`, when it exists.
    public static func curvesLink(checkpoint: String, pageFolder: String) -> String? {
        let curves = URL(fileURLWithPath: checkpoint).standardizedFileURL.deletingLastPathComponent().appendingPathComponent("curves.svg")
        guard FileManager.default.fileExists(atPath: curves.path) else { return nil }
        let from = URL(fileURLWithPath: pageFolder, isDirectory: true).standardizedFileURL.pathComponents
        let to = curves.pathComponents
        var common = 0
        while common < min(from.count, to.count - 1) && from[common] == to[common] { common += 1 }
        return (Array(repeating: "..", count: from.count - common) + to[common...]).joined(separator: "/")
    }

    /// An SVG document's root element, for inlining into HTML (the XML declaration-free text as is).
    static func inline(_ svg: String) -> String { svg.trimmingCharacters(in: .whitespacesAndNewlines) }

    static func percent(_ v: Double) -> String { String(format: "%.2f%%", 100 * v) }

    static let style = """
    body{font-family:Helvetica,Arial,sans-serif;margin:24px;color:#222;max-width:1100px}
    h1{font-size:20px}h2{font-size:16px;margin-top:28px}
    table{border-collapse:collapse;font-size:13px}th,td{border-bottom:1px solid #ddd;padding:3px 10px;text-align:left}
    td{font-variant-numeric:tabular-nums}.links a{margin-right:4px}
    """
}
