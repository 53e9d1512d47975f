import Foundation
import HDF5
import Tensor

/// K-fold cross-validation splits over the tracks of a data set: stratified by label and
/// grouped (every track of a group, e.g. an album or artist, falls in the same fold).
///
/// The assignment follows scikit-learn's `StratifiedGroupKFold(shuffle=True)`
/// (sklearn/model_selection/_split.py): groups are shuffled with the seed, sorted by the
/// standard deviation of their class distribution (most concentrated first, stable), and
/// each is given to the fold whose per-class proportions it evens out best (the mean over
/// classes of the standard deviation over folds of `fold count / class count`), ties to the
/// fold with fewer tracks, then the lower index. The random stream is melcnn's
/// (`SeededGenerator`), so fold numbers differ from scikit-learn's for the same seed.
public enum CrossValidation {
    /// How a fold's validation tracks (which choose `best.h5` and early stopping) are picked.
    public enum ValidationChoice: String, CaseIterable, Sendable {
        /// A grouped, stratified slice of the training folds (`fraction` of their tracks).
        case inner
        /// The held-out fold itself (optimistic: the fold also chooses the epoch).
        case fold
        /// No validation: `best.h5` is the epoch of lowest training loss.
        case none
    }

    /// The fold (`0 ..< k`) of each track.
    /// - Parameters:
    ///   - labels: class of each track (`>= 0`).
    ///   - groups: group of each track (same count as `labels`); a track's own path when ungrouped.
    ///   - folds: number of folds, `2 ... number of distinct groups`.
    ///   - seed: shuffles the groups before the greedy assignment; same seed, same folds. Nil:
    ///     no shuffle (groups in sorted order, scikit-learn's `shuffle=False`, matched exactly).
    public static func folds(labels: [Int], groups: [String], folds k: Int, seed: UInt64?) throws -> [Int] {
        precondition(labels.count == groups.count, "CrossValidation.folds: labels and groups differ in length")
        precondition(labels.allSatisfy { $0 >= 0 }, "CrossValidation.folds: negative label")
        // Groups in sorted order (numpy.unique), each track's group index.
        let names = Array(Set(groups)).sorted { Array($0.unicodeScalars.map(\.value)).lexicographicallyPrecedes($1.unicodeScalars.map(\.value)) }
        let groupIndex = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })
        let groupOf = groups.map { groupIndex[$0]! }
        guard k >= 2 else { throw ParameterError("folds", " must be at least 2, got \(k)") }
        guard k <= names.count else {
            throw ParameterError("folds", " \(k) is more than the \(names.count) groups (tracks or group values) of the data set")
        }
        let classCount = (labels.max() ?? 0) + 1
        var counts = [[Int]](repeating: [Int](repeating: 0, count: classCount), count: names.count)
        for (t, l) in labels.enumerated() { counts[groupOf[t]][l] += 1 }
        var classTotals = [Int](repeating: 0, count: classCount)
        for l in labels { classTotals[l] += 1 }

        var shuffled = Array(0 ..< names.count)
        if let seed {
            var rng = SeededGenerator(seed: seed)
            shuffled.shuffle(using: &rng)
        }
        let spread = counts.map { populationStd($0.map(Double.init)) }
        // Stable sort by decreasing spread (scikit-learn: argsort(-std, kind="mergesort")).
        let order = shuffled.enumerated().sorted { a, b in
            spread[a.element] != spread[b.element] ? spread[a.element] > spread[b.element] : a.offset < b.offset
        }.map(\.element)

        var foldCounts = [[Int]](repeating: [Int](repeating: 0, count: classCount), count: k)
        var foldSizes = [Int](repeating: 0, count: k)
        var foldOfGroup = [Int](repeating: 0, count: names.count)
        for g in order {
            var best = 0, bestEval = Double.infinity, bestSize = Int.max
            for f in 0 ..< k {
                for c in 0 ..< classCount { foldCounts[f][c] += counts[g][c] }
                var eval = 0.0
                for c in 0 ..< classCount where classTotals[c] > 0 {
                    eval += populationStd((0 ..< k).map { Double(foldCounts[$0][c]) / Double(classTotals[c]) })
                }
                eval /= Double(classCount)
                for c in 0 ..< classCount { foldCounts[f][c] -= counts[g][c] }
                // scikit-learn compares with numpy.isclose(rtol=1e-10, atol=1e-8) before the size tie-break.
                let close = abs(eval - bestEval) <= 1e-8 + 1e-10 * abs(bestEval)
                if eval < bestEval || close && foldSizes[f] < bestSize {
                    best = f; bestEval = eval; bestSize = foldSizes[f]
                }
            }
            for c in 0 ..< classCount { foldCounts[best][c] += counts[g][c] }
            foldSizes[best] += counts[g].reduce(0, +)
            foldOfGroup[g] = best
        }
        return groupOf.map { foldOfGroup[$0] }
    }

    /// Train / validation / test split of every track for fold `fold`: the fold's tracks are
    /// `.test`; with `.inner`, a grouped stratified slice of about `fraction` of the other
    /// tracks (one part of `round(1 / fraction)`, seeded by `seed`) is `.validation`; with
    /// `.fold` the fold's tracks are also evaluated every epoch as the validation split
    /// (returned as `.validation`: the caller evaluates them as the test fold too).
    public static func splits(folds: [Int], fold: Int, labels: [Int], groups: [String], validation: ValidationChoice,
                              fraction: Double, seed: UInt64) throws -> [TrainingTracks.Split] {
        var out: [TrainingTracks.Split] = folds.map { $0 == fold ? .test : .train }
        switch validation {
        case .none:
            break
        case .fold:
            for t in out.indices where out[t] == .test { out[t] = .validation }
        case .inner:
            let rest = out.indices.filter { out[$0] == .train }
            let restGroups = Set(rest.map { groups[$0] }).count
            let parts = min(max(2, Int((1 / fraction).rounded())), restGroups)
            guard parts >= 2 else {
                throw ParameterError("validation", ": fold \(fold + 1) has one training group: no validation slice can be cut (use none or fold)")
            }
            let inner = try Self.folds(labels: rest.map { labels[$0] }, groups: rest.map { groups[$0] }, folds: parts,
                                  seed: seed &+ 0x5EED &+ UInt64(fold))
            for (i, t) in rest.enumerated() where inner[i] == 0 { out[t] = .validation }
        }
        return out
    }

    /// `/tracks/group` of a dataset.h5 (one string per track), or each track's path when the
    /// file has none (files written before groups, or prepared without a group column).
    public static func groups(dataset path: String) throws -> [String] {
        let file = try MelDataset.open(path)
        defer { file.close() }
        let paths = try file.openDataset("tracks/path").readStrings()
        guard try file.exists("tracks/group") else { return paths }
        let groups = try file.openDataset("tracks/group").readStrings()
        guard groups.count == paths.count else {
            throw MelCNNError.invalidFile(path: path, reason: "/tracks/group has \(groups.count) entries, /tracks/path \(paths.count)")
        }
        return groups
    }

    /// Mean and sample standard deviation (n - 1; 0 for one value) of `values`.
    public static func meanAndStd(_ values: [Double]) -> (mean: Double, std: Double) {
        guard !values.isEmpty else { return (.nan, .nan) }
        let mean = values.reduce(0, +) / Double(values.count)
        guard values.count > 1 else { return (mean, 0) }
        let ss = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        return (mean, (ss / Double(values.count - 1)).squareRoot())
    }

    static func populationStd(_ v: [Double]) -> Double {
        guard !v.isEmpty else { return 0 }
        let m = v.reduce(0, +) / Double(v.count)
        return (v.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(v.count)).squareRoot()
    }
}
