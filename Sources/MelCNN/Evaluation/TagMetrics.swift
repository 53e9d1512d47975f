import Foundation

/// Binary ranking and threshold metrics of one tag, as scikit-learn computes them
/// (`sklearn.metrics.roc_auc_score`, `average_precision_score`,
/// `precision_recall_fscore_support`): thresholds sit at the distinct scores, so tied
/// scores enter a curve together (`_binary_clf_curve`).
///
/// `labels[i]` is 1 when item `i` has the tag (any non-zero value counts), `scores[i]` its
/// score (a probability here); both have one entry per item.
public enum TagMetrics {
    /// True and false positives at each distinct score, from the highest score down:
    /// `tp[j]`, `fp[j]` count the items scored `>= thresholds[j]` (sklearn's `_binary_clf_curve`).
    public static func curve(labels: [UInt8], scores: [Float]) -> (thresholds: [Float], tp: [Int], fp: [Int]) {
        precondition(labels.count == scores.count, "TagMetrics: \(labels.count) labels for \(scores.count) scores")
        let order = scores.indices.sorted { scores[$0] > scores[$1] }
        var thresholds: [Float] = [], tp: [Int] = [], fp: [Int] = []
        var t = 0, f = 0
        for (k, i) in order.enumerated() {
            if labels[i] != 0 { t += 1 } else { f += 1 }
            // Close a point where the next score differs (or at the end).
            if k + 1 == order.count || scores[order[k + 1]] != scores[i] {
                thresholds.append(scores[i]); tp.append(t); fp.append(f)
            }
        }
        return (thresholds, tp, fp)
    }

    /// Area under the ROC curve (trapezoids between the distinct-score points from (0, 0),
    /// so a tie counts one half, as `roc_auc_score`); nil when the items are all positive or
    /// all negative (scikit-learn raises "Only one class present in y_true").
    public static func rocAUC(labels: [UInt8], scores: [Float]) -> Double? {
        let c = curve(labels: labels, scores: scores)
        guard let positives = c.tp.last, let negatives = c.fp.last, positives > 0, negatives > 0 else { return nil }
        var area = 0.0, tp0 = 0, fp0 = 0
        for j in c.tp.indices {
            area += Double(c.fp[j] - fp0) * Double(c.tp[j] + tp0)
            tp0 = c.tp[j]; fp0 = c.fp[j]
        }
        return area / (2 * Double(positives) * Double(negatives))
    }

    /// Average precision `AP = Σ_n (R_n - R_{n-1}) P_n` over the distinct-score thresholds
    /// (`average_precision_score`, no interpolation); nil when no item has the tag
    /// (scikit-learn warns and its recall is undefined).
    public static func averagePrecision(labels: [UInt8], scores: [Float]) -> Double? {
        let c = curve(labels: labels, scores: scores)
        guard let positives = c.tp.last, positives > 0 else { return nil }
        var ap = 0.0, tp0 = 0
        for j in c.tp.indices where c.tp[j] > tp0 {
            ap += Double(c.tp[j] - tp0) / Double(positives) * (Double(c.tp[j]) / Double(c.tp[j] + c.fp[j]))
            tp0 = c.tp[j]
        }
        return ap
    }

    /// Precision, recall and F1 with the items scored `>= threshold` predicted positive
    /// (0 where a ratio is 0/0, sklearn's `zero_division=0`), and the number of positives.
    public static func precisionRecallF1(labels: [UInt8], scores: [Float], threshold: Float)
        -> (precision: Double, recall: Double, f1: Double, support: Int) {
        precondition(labels.count == scores.count, "TagMetrics: \(labels.count) labels for \(scores.count) scores")
        var tp = 0, fp = 0, fn = 0
        for i in labels.indices {
            let predicted = scores[i] >= threshold, actual = labels[i] != 0
            if predicted && actual { tp += 1 } else if predicted { fp += 1 } else if actual { fn += 1 }
        }
        return (tp + fp > 0 ? Double(tp) / Double(tp + fp) : 0, tp + fn > 0 ? Double(tp) / Double(tp + fn) : 0,
                f1(tp: tp, fp: fp, fn: fn), tp + fn)
    }

    /// `2 tp / (2 tp + fp + fn)` (0 when undefined): one rounding, so equal ratios compare equal.
    static func f1(tp: Int, fp: Int, fn: Int) -> Double {
        2 * tp + fp + fn > 0 ? Double(2 * tp) / Double(2 * tp + fp + fn) : 0
    }

    /// The threshold among the distinct scores that maximises F1 (predicted positive when
    /// `score >= threshold`); on ties the lowest such threshold, as `np.argmax` over
    /// `precision_recall_curve`'s increasing thresholds. Nil when no item has the tag.
    public static func bestF1Threshold(labels: [UInt8], scores: [Float]) -> Float? {
        let c = curve(labels: labels, scores: scores)
        guard let positives = c.tp.last, positives > 0 else { return nil }
        var best: Float = 0, bestF1 = -1.0
        for j in c.tp.indices.reversed() {   // increasing thresholds
            let f = f1(tp: c.tp[j], fp: c.fp[j], fn: positives - c.tp[j])
            if f > bestF1 { bestF1 = f; best = c.thresholds[j] }
        }
        return best
    }
}

/// Multi-label tagging metrics of a model on one split, at track level.
///
/// Track scores are the mean of the track's patch probabilities (one sigmoid per tag).
/// Per tag: ROC-AUC, average precision (PR-AUC), and precision / recall / F1 with
/// `score >= threshold` predicted positive. Macro averages are the mean over the tags that
/// have both positive and negative tracks in the split (the others are listed in
/// `undefinedTags`: scikit-learn raises on them); micro averages score the flattened
/// `[tracks x tags]` matrix as one binary problem (`average='micro'`).
public struct TagReport: Codable, Equatable, Sendable {
    public struct TagScores: Codable, Equatable, Sendable {
        public var name: String
        /// nil when the split has no positive or no negative track for the tag.
        public var rocAUC: Double?
        /// nil when the split has no positive track for the tag.
        public var averagePrecision: Double?
        public var threshold: Float
        public var precision: Double
        public var recall: Double
        public var f1: Double
        /// Number of tracks with the tag.
        public var support: Int

        enum CodingKeys: String, CodingKey {
            case name, threshold, precision, recall, f1, support
            case rocAUC = "roc_auc", averagePrecision = "average_precision"
        }
    }

    enum CodingKeys: String, CodingKey {
        case tags, tracks
        case macroROCAUC = "macro_roc_auc", macroAveragePrecision = "macro_average_precision"
        case microROCAUC = "micro_roc_auc", microAveragePrecision = "micro_average_precision"
        case macroF1 = "macro_f1", patchLoss = "patch_loss", perTag = "per_tag", undefinedTags = "undefined_tags"
    }

    public var tags: [String]
    public var tracks: Int
    public var macroROCAUC: Double
    public var macroAveragePrecision: Double
    public var microROCAUC: Double
    public var microAveragePrecision: Double
    /// Mean F1 over the tags with support.
    public var macroF1: Double
    /// Mean patch binary cross-entropy (natural log) of the probabilities, when patches are given.
    public var patchLoss: Double
    public var perTag: [TagScores]
    /// Tags left out of the macro ROC-AUC (no positive or no negative track).
    public var undefinedTags: [String]

    /// Computes the report from track scores.
    /// - Parameters:
    ///   - scores: track tag probabilities, row-major `[tracks x tags]`.
    ///   - labels: the true tags, row-major `[tracks x tags]` (0 or 1).
    ///   - thresholds: one decision threshold per tag (e.g. all 0.5, or `TagReport.tunedThresholds`).
    public init(tags: [String], scores: [Float], labels: [UInt8], thresholds: [Float], patchLoss: Double = .nan) {
        let k = tags.count
        precondition(k > 0 && scores.count == labels.count && scores.count % k == 0 && thresholds.count == k,
                     "TagReport: scores and labels must be [tracks x tags], one threshold per tag")
        let n = scores.count / k
        self.tags = tags
        tracks = n
        self.patchLoss = patchLoss
        var perTag: [TagScores] = [], undefined: [String] = []
        for c in 0 ..< k {
            let y = (0 ..< n).map { labels[$0 * k + c] }, s = (0 ..< n).map { scores[$0 * k + c] }
            let auc = TagMetrics.rocAUC(labels: y, scores: s)
            if auc == nil { undefined.append(tags[c]) }
            let prf = TagMetrics.precisionRecallF1(labels: y, scores: s, threshold: thresholds[c])
            perTag.append(TagScores(name: tags[c], rocAUC: auc, averagePrecision: TagMetrics.averagePrecision(labels: y, scores: s),
                                    threshold: thresholds[c], precision: prf.precision, recall: prf.recall, f1: prf.f1,
                                    support: prf.support))
        }
        self.perTag = perTag
        undefinedTags = undefined
        func mean(_ values: [Double]) -> Double { values.isEmpty ? .nan : values.reduce(0, +) / Double(values.count) }
        macroROCAUC = mean(perTag.compactMap(\.rocAUC))
        macroAveragePrecision = mean(perTag.filter { $0.rocAUC != nil }.compactMap(\.averagePrecision))
        macroF1 = mean(perTag.filter { $0.support > 0 }.map(\.f1))
        microROCAUC = TagMetrics.rocAUC(labels: labels, scores: scores) ?? .nan
        microAveragePrecision = TagMetrics.averagePrecision(labels: labels, scores: scores) ?? .nan
    }

    /// The report of patch predictions over all `tracks` (of a tagged data set): track scores
    /// are the mean patch probabilities, `patchLoss` the mean patch binary cross-entropy.
    public init(tags: [String], predictions p: TrackPredictions, tracks: TrainingTracks, thresholds: [Float]) {
        let k = tags.count
        let scores = p.trackMeans(trackCount: tracks.count, width: k)
        self.init(tags: tags, scores: scores, labels: tracks.tagMatrix, thresholds: thresholds,
                  patchLoss: Self.patchLoss(patchProbabilities: p.probabilities, patchTracks: p.patchTracks, labels: tracks.tagMatrix, tags: k))
    }

    /// Per-tag thresholds maximising F1 on these track scores (`TagMetrics.bestF1Threshold`),
    /// `fallback` for a tag without positive tracks. Tune on validation, apply to test.
    public static func tunedThresholds(tags: Int, scores: [Float], labels: [UInt8], fallback: Float = 0.5) -> [Float] {
        precondition(tags > 0 && scores.count == labels.count && scores.count % tags == 0, "tunedThresholds: [tracks x tags]")
        let n = scores.count / tags
        return (0 ..< tags).map { c in
            TagMetrics.bestF1Threshold(labels: (0 ..< n).map { labels[$0 * tags + c] },
                                       scores: (0 ..< n).map { scores[$0 * tags + c] }) ?? fallback
        }
    }

    /// Mean binary cross-entropy of patch probabilities against their track's tags (clamped at 1e-12).
    public static func patchLoss(patchProbabilities: [Float], patchTracks: [Int], labels: [UInt8], tags: Int) -> Double {
        guard !patchTracks.isEmpty else { return .nan }
        var total = 0.0
        for (p, t) in patchTracks.enumerated() {
            for c in 0 ..< tags {
                let q = Double(patchProbabilities[p * tags + c])
                total -= labels[t * tags + c] != 0 ? log(max(q, 1e-12)) : log(max(1 - q, 1e-12))
            }
        }
        return total / Double(patchTracks.count * tags)
    }

    /// The metrics as pretty-printed JSON (`metrics.json`).
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try encoder.encode(self)
    }
}

extension TagReport {
    /// The averages, then one row per tag (ROC-AUC, PR-AUC, threshold, P/R/F1, support);
    /// "-" where a metric is undefined.
    public func textSummary() -> String {
        func num(_ v: Double?) -> String { v.map { $0.isNaN ? "-" : String(format: "%.4f", $0) } ?? "-" }
        var out = ["tracks \(tracks)  tags \(tags.count)  patch BCE \(num(patchLoss))",
                   "ROC-AUC  macro \(num(macroROCAUC))  micro \(num(microROCAUC))",
                   "PR-AUC   macro \(num(macroAveragePrecision))  micro \(num(microAveragePrecision))  macro F1 \(num(macroF1))"]
        if !undefinedTags.isEmpty {
            out.append("left out of the macro averages (no positive or no negative track): " + undefinedTags.joined(separator: ", "))
        }
        out.append("")
        let width = max(3, tags.map(\.count).max() ?? 3)
        func cell(_ s: String, _ n: Int) -> String { String(repeating: " ", count: max(0, n - s.count)) + s }
        out.append("tag".padding(toLength: width, withPad: " ", startingAt: 0) + "  ROC-AUC   PR-AUC  thresh  precision  recall     f1  support")
        for s in perTag {
            out.append(s.name.padding(toLength: width, withPad: " ", startingAt: 0) + cell(num(s.rocAUC), 9) + cell(num(s.averagePrecision), 9)
                + String(format: "  %6.3f  %9.3f  %6.3f  %5.3f  %7d", s.threshold, s.precision, s.recall, s.f1, s.support))
        }
        return out.joined(separator: "\n")
    }
}
