import Foundation

/// `report.html` of `melcnn eval --out` for a tag model: one self-contained page (no scripts,
/// no network fetches) with the averages (macro/micro ROC-AUC and PR-AUC, macro F1), a per-tag
/// table (ROC-AUC, PR-AUC, threshold, precision / recall / F1 at it, support) and the worst
/// tracks: those whose most confidently wrong tag is furthest off (`|label - score|` largest).
public struct TagEvaluationPage {
    /// One track of the evaluated split.
    public struct Track: Sendable {
        public var path: String
        /// The true tags, one 0/1 per tag of the report.
        public var labels: [UInt8]
        /// The track's score (mean patch probability) per tag.
        public var scores: [Float]

        public init(path: String, labels: [UInt8], scores: [Float]) {
            (self.path, self.labels, self.scores) = (path, labels, scores)
        }

        /// The tag with the largest `|label - score|` (first on ties) and that error.
        public func worstTag() -> (tag: Int, error: Float) {
            var best = (tag: 0, error: -Float.infinity)
            for c in labels.indices {
                let e = abs((labels[c] != 0 ? 1 : 0) - scores[c])
                if e > best.error { best = (c, e) }
            }
            return best
        }
    }

    public var title: String
    public var report: TagReport
    public var tracks: [Track]
    /// A link to the run's `curves.svg`, relative to the page (nil: none).
    public var curvesLink: String?
    /// How many of the worst tracks to list.
    public var worstCount = 20

    public init(title: String, report: TagReport, tracks: [Track], curvesLink: String? = nil) {
        (self.title, self.report, self.tracks, self.curvesLink) = (title, report, tracks, curvesLink)
    }

    /// The tracks with the largest error on their most confidently wrong tag, largest first (ties by path).
    public func worstTracks() -> [Track] {
        let k = report.tags.count
        let valid = tracks.filter { k > 0 && $0.labels.count == k && $0.scores.count == k }
        let errors = valid.map { $0.worstTag().error }
        return Array(valid.indices.sorted {
            errors[$0] != errors[$1] ? errors[$0] > errors[$1] : valid[$0].path < valid[$1].path
        }.prefix(worstCount).map { valid[$0] })
    }

    public func html() -> String {
        let r = report
        func num(_ v: Double?) -> String { v.map { $0.isNaN ? "-" : String(format: "%.4f", $0) } ?? "-" }
        var out = ["<!DOCTYPE html>", "<html lang=\"en\"><head><meta charset=\"utf-8\">",
                   "<title>\(xmlEscape(title))</title>", "<style>\(EvaluationPage.style)</style></head><body>",
                   "<h1>\(xmlEscape(title))</h1>"]
        var links = ["<a href=\"metrics.json\">metrics.json</a>"]
        if let curvesLink { links.append("<a href=\"\(xmlEscape(curvesLink))\">learning curves</a>") }
        out.append("<p class=\"links\">" + links.joined(separator: " · ") + "</p>")

        out.append("<h2>Metrics</h2><table id=\"metrics\"><tbody>")
        let rows: [(String, String)] = [
            ("tracks", "\(r.tracks)"), ("tags", "\(r.tags.count)"),
            ("ROC-AUC macro", num(r.macroROCAUC)), ("ROC-AUC micro", num(r.microROCAUC)),
            ("PR-AUC macro", num(r.macroAveragePrecision)), ("PR-AUC micro", num(r.microAveragePrecision)),
            ("macro F1", num(r.macroF1)), ("patch loss (binary cross-entropy)", num(r.patchLoss)),
        ]
        for (name, value) in rows { out.append("<tr><th>\(xmlEscape(name))</th><td>\(value)</td></tr>") }
        out.append("</tbody></table>")
        if !r.undefinedTags.isEmpty {
            out.append("<p>Left out of the macro averages (no positive or no negative track): "
                + xmlEscape(r.undefinedTags.joined(separator: ", ")) + "</p>")
        }

        out.append("<h2>Per tag</h2><table id=\"per-tag\"><thead><tr><th>tag</th><th>ROC-AUC</th><th>PR-AUC</th><th>threshold</th>"
            + "<th>precision</th><th>recall</th><th>F1</th><th>support</th></tr></thead><tbody>")
        for s in r.perTag {
            out.append("<tr><td>\(xmlEscape(s.name))</td><td>\(num(s.rocAUC))</td><td>\(num(s.averagePrecision))</td>"
                + String(format: "<td>%.3f</td><td>%.3f</td><td>%.3f</td><td>%.3f</td><td>%d</td></tr>",
                         s.threshold, s.precision, s.recall, s.f1, s.support))
        }
        out.append("</tbody></table>")

        let worst = worstTracks()
        out.append("<h2>Worst tracks</h2>")
        out.append("<p>The \(worst.count) tracks whose most confidently wrong tag is furthest off: the largest |true − score| "
            + "over their tags. Missed: tags of the track scored below their threshold; false: other tags at or above it.</p>")
        out.append("<table id=\"worst\"><thead><tr><th>track</th><th>worst tag</th><th>true</th><th>score</th><th>missed</th><th>false</th></tr></thead><tbody>")
        let thresholds = r.perTag.map(\.threshold)
        for t in worst {
            let (c, _) = t.worstTag()
            let missed = t.labels.indices.filter { t.labels[$0] != 0 && t.scores[$0] < thresholds[$0] }.map { r.tags[$0] }
            let wrong = t.labels.indices.filter { t.labels[$0] == 0 && t.scores[$0] >= thresholds[$0] }.map { r.tags[$0] }
            out.append("<tr><td>\(xmlEscape(t.path))</td><td>\(xmlEscape(r.tags[c]))</td><td>\(t.labels[c] != 0 ? "yes" : "no")</td>"
                + "<td>\(String(format: "%.3f", t.scores[c]))</td><td>\(xmlEscape(missed.joined(separator: ", ")))</td>"
                + "<td>\(xmlEscape(wrong.joined(separator: ", ")))</td></tr>")
        }
        out.append("</tbody></table>")
        out.append("</body></html>")
        return out.joined(separator: "\n") + "\n"
    }
}
