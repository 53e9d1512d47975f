import Foundation

/// Track factors of a factors file as regression targets for `prepare --targets`: the CNN
/// learns to predict a track's ALS factors from its audio (van den Oord, Dieleman,
/// Schrauwen 2013, "Deep content-based music recommendation").
public struct FactorTargets: Sendable {
    /// The factors file the targets come from (for messages and the data set's `targets` attribute).
    public var source: String
    /// Track ids (the audio paths relative to the prepared folder), one per row.
    public var ids: [String]
    /// `[ids.count x factors]` row-major.
    public var values: [Float]
    public var factors: Int
    private var rowOfID: [String: Int]

    public init(source: String, ids: [String], values: [Float], factors: Int) {
        precondition(factors >= 1 && values.count == ids.count * factors)
        self.source = source
        self.ids = ids
        self.values = values
        self.factors = factors
        rowOfID = Dictionary(ids.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The track factors of a file written by `melcnn factors`.
    public init(factorsFile path: String) throws {
        let file = try FactorsFile.read(from: path)
        self.init(source: path, ids: file.trackIDs, values: file.trackFactors, factors: file.factors)
    }

    /// Names of the regression outputs, stored as the data set's `/classes`: `factor00`, `factor01`, ...
    public var names: [String] { (0 ..< factors).map { String(format: "factor%02d", $0) } }

    /// Row of track `id`, nil when the file has no factors for it.
    public func row(of id: String) -> Int? { rowOfID[id] }

    /// Factor vector of row `r`.
    public func vector(of r: Int) -> ArraySlice<Float> { values[r * factors ..< (r + 1) * factors] }
}

extension SparseMatrix {
    /// The columns `columns` (in that order) as a `rows x columns.count` matrix.
    public func selectingColumns(_ columns: [Int]) -> SparseMatrix {
        var newIndex = [Int32](repeating: -1, count: cols)
        for (j, c) in columns.enumerated() { newIndex[c] = Int32(j) }
        var indptr = [0], indices: [Int32] = [], values: [Float] = []
        for r in 0 ..< rows {
            for p in self.indptr[r] ..< self.indptr[r + 1] where newIndex[Int(self.indices[p])] >= 0 {
                indices.append(newIndex[Int(self.indices[p])])
                values.append(self.values[p])
            }
            indptr.append(indices.count)
        }
        return SparseMatrix(rows: rows, cols: columns.count, indptr: indptr, indices: indices, values: values)
    }
}

extension FactorsFile {
    /// Cold-start evaluation: mAP@k and AUC on the held-out plays of every user, with the
    /// candidates restricted to `tracks` (rows of this file), for the ALS factors (an upper
    /// bound: they saw the tracks' training plays), the `predicted` factors
    /// (`[tracks.count x factors]`, e.g. from audio), popularity and random, in that order.
    public func evaluate(tracks: [Int], predicted: [Float], k: Int = 500, seed: UInt64 = 0,
                         threads: Int = 1) -> [(name: String, result: RankingMetrics.Result)] {
        precondition(predicted.count == tracks.count * factors)
        let trainSub = train.selectingColumns(tracks), testSub = holdout.selectingColumns(tracks)
        var als = [Float](repeating: 0, count: tracks.count * factors)
        for (j, t) in tracks.enumerated() {
            for d in 0 ..< factors { als[j * factors + d] = trackFactors[t * factors + d] }
        }
        return [("als", RankingMetrics.evaluateFactors(userFactors: userFactors, itemFactors: als, factors: factors,
                                                       train: trainSub, test: testSub, k: k, threads: threads)),
                ("audio", RankingMetrics.evaluateFactors(userFactors: userFactors, itemFactors: predicted, factors: factors,
                                                         train: trainSub, test: testSub, k: k, threads: threads)),
                ("popularity", RankingMetrics.evaluatePopularity(train: trainSub, test: testSub, k: k, threads: threads)),
                ("random", RankingMetrics.evaluateRandom(train: trainSub, test: testSub, k: k, seed: seed, threads: threads))]
    }
}
