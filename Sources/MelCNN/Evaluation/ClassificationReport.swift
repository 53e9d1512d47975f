import Foundation

/// Classification metrics of a model on one split, at patch and track level.
///
/// Track predictions aggregate the class probabilities of the track's patches
/// (mean of probabilities by default, as in `eval.aggregation: mean_prob`).
/// The confusion matrix and per-class scores are track level: rows are true
/// classes, columns predicted classes.
public struct ClassificationReport: Codable, Equatable, Sendable {
    public struct ClassScores: Codable, Equatable, Sendable {
        public var name: String
        public var precision: Double
        public var recall: Double
        public var f1: Double
        /// Number of tracks whose true class this is.
        public var support: Int
    }

    public var classes: [String]
    public var patches: Int
    public var tracks: Int
    /// Mean patch cross-entropy (natural log), when computed from probabilities.
    public var patchLoss: Double
    public var patchAccuracy: Double
    public var trackAccuracy: Double
    public var topK: Int
    public var patchTopKAccuracy: Double
    public var trackTopKAccuracy: Double
    public var macroF1: Double
    public var perClass: [ClassScores]
    /// `confusion[true][predicted]` track counts.
    public var confusion: [[Int]]

    /// Computes the report.
    /// - Parameters:
    ///   - probabilities: patch class probabilities, row-major `[patches x classes]`.
    ///   - patchTracks: the track index of each patch (`0 ..< trackLabels.count`).
    ///   - trackLabels: the true class of each track.
    ///   - aggregation: how patch probabilities become a track prediction.
    public init(classes: [String], probabilities: [Float], patchTracks: [Int], trackLabels: [Int],
                topK: Int = 3, aggregation: EvalConfig.Aggregation = .meanProb) {
        let k = classes.count
        precondition(k > 0 && probabilities.count == patchTracks.count * k, "probabilities must be [patches x classes]")
        self.classes = classes
        self.patches = patchTracks.count
        self.topK = min(topK, k)
        let nTracks = trackLabels.count

        var trackSum = [Double](repeating: 0, count: nTracks * k)
        var trackVotes = [Int](repeating: 0, count: nTracks * k)
        var trackPatchCount = [Int](repeating: 0, count: nTracks)
        var correct = 0, correctTopK = 0
        var loss = 0.0
        for (p, t) in patchTracks.enumerated() {
            let row = Array(probabilities[p * k ..< (p + 1) * k])
            let label = trackLabels[t]
            let best = Self.argmax(row)
            if best == label { correct += 1 }
            if Self.rank(of: label, in: row) < self.topK { correctTopK += 1 }
            loss -= log(max(Double(row[label]), 1e-12))
            trackVotes[t * k + best] += 1
            trackPatchCount[t] += 1
            for c in 0 ..< k { trackSum[t * k + c] += Double(row[c]) }
        }
        patchLoss = patches > 0 ? loss / Double(patches) : 0
        patchAccuracy = patches > 0 ? Double(correct) / Double(patches) : 0
        patchTopKAccuracy = patches > 0 ? Double(correctTopK) / Double(patches) : 0

        var confusion = [[Int]](repeating: [Int](repeating: 0, count: k), count: k)
        var trackCorrect = 0, trackCorrectTopK = 0, evaluated = 0
        for t in 0 ..< nTracks where trackPatchCount[t] > 0 {
            let mean = (0 ..< k).map { Float(trackSum[t * k + $0] / Double(trackPatchCount[t])) }
            let predicted: Int
            switch aggregation {
            case .meanProb:
                predicted = Self.argmax(mean)
            case .vote:
                let votes = Array(trackVotes[t * k ..< (t + 1) * k])
                let top = votes.max() ?? 0
                predicted = (0 ..< k).filter { votes[$0] == top }.max { mean[$0] < mean[$1] } ?? 0
            }
            let label = trackLabels[t]
            confusion[label][predicted] += 1
            evaluated += 1
            if predicted == label { trackCorrect += 1 }
            if Self.rank(of: label, in: mean) < self.topK { trackCorrectTopK += 1 }
        }
        tracks = evaluated
        trackAccuracy = evaluated > 0 ? Double(trackCorrect) / Double(evaluated) : 0
        trackTopKAccuracy = evaluated > 0 ? Double(trackCorrectTopK) / Double(evaluated) : 0
        self.confusion = confusion
        perClass = Self.scores(confusion: confusion, classes: classes)
        let withSupport = perClass.filter { $0.support > 0 }
        macroF1 = withSupport.isEmpty ? 0 : withSupport.map(\.f1).reduce(0, +) / Double(withSupport.count)
    }

    /// Precision, recall and F1 per class from a confusion matrix (0 where undefined).
    public static func scores(confusion: [[Int]], classes: [String]) -> [ClassScores] {
        classes.indices.map { c in
            let tp = Double(confusion[c][c])
            let predicted = Double(confusion.reduce(0) { $0 + $1[c] })
            let actual = Double(confusion[c].reduce(0, +))
            let precision = predicted > 0 ? tp / predicted : 0
            let recall = actual > 0 ? tp / actual : 0
            let f1 = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0
            return ClassScores(name: classes[c], precision: precision, recall: recall, f1: f1, support: Int(actual))
        }
    }

    /// Index of the largest value (first one on ties).
    public static func argmax(_ row: [Float]) -> Int {
        var best = 0
        for i in row.indices where row[i] > row[best] { best = i }
        return best
    }

    /// How many entries beat `row[index]` (0 = it is the top prediction; ties favour `index`).
    static func rank(of index: Int, in row: [Float]) -> Int {
        row.reduce(0) { $0 + ($1 > row[index] ? 1 : 0) }
    }

    /// The metrics as pretty-printed JSON (`metrics.json`).
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return try encoder.encode(self)
    }
}

extension ClassificationReport {
    /// The report of an ensemble whose members may cut different patches: track metrics from
    /// `trackProbabilities` (`[tracks x classes]`, the members' mean track probabilities, argmax
    /// per track), patch loss and accuracies the members' means, `patches` the members' total.
    public init(classes: [String], trackProbabilities: [Float], trackLabels: [Int], members: [ClassificationReport], topK: Int = 3) {
        self.init(classes: classes, probabilities: trackProbabilities, patchTracks: Array(trackLabels.indices),
                  trackLabels: trackLabels, topK: topK, aggregation: .meanProb)
        guard !members.isEmpty else { return }
        func mean(_ value: KeyPath<ClassificationReport, Double>) -> Double {
            members.reduce(0) { $0 + $1[keyPath: value] } / Double(members.count)
        }
        patches = members.reduce(0) { $0 + $1.patches }
        (patchLoss, patchAccuracy, patchTopKAccuracy) = (mean(\.patchLoss), mean(\.patchAccuracy), mean(\.patchTopKAccuracy))
    }
}
