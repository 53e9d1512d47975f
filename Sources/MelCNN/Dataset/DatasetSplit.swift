import Foundation
import Tensor

/// How tracks are assigned to the train / validation / test splits.
public enum SplitSpec: Equatable, Sendable {
    /// Stratified by label: in each class a seeded shuffle, then the first
    /// `round(n * train)` tracks train, the next `round(n * validation)` validation, the rest test.
    case fractions(train: Double, validation: Double, test: Double)
    /// Three lists of paths relative to the audio folder (train, validation, test), one per
    /// line, as the published GTZAN fault-filtered split files. Files in no list are left out.
    case files(train: String, validation: String, test: String)

    /// The stratified split of the fractions `train`, `validation`, `test` (each >= 0, summing
    /// to 1, `train` > 0); throws `ParameterError` (`split`) otherwise.
    public static func stratified(train: Double, validation: Double, test: Double) throws -> SplitSpec {
        guard train > 0, validation >= 0, test >= 0, abs(train + validation + test - 1) < 1e-6 else {
            throw ParameterError("split", ": expected three fractions >= 0 summing to 1 with train > 0 (e.g. 0.8,0.1,0.1), got \(train),\(validation),\(test)")
        }
        return .fractions(train: train, validation: validation, test: test)
    }
}

extension DatasetPreparer {
    /// The split of every written track: the given assignment (split files, FMA's `set.split`)
    /// or the seeded stratified split over all written tracks in input order.
    static func assignSplits(labels: [Int], classCount: Int, options: PrepareOptions,
                             assigned: [TrainingTracks.Split]?) -> [TrainingTracks.Split] {
        if let assigned { return assigned }
        guard case let .fractions(train, validation, _) = options.split else { return [] }
        return stratifiedSplit(labels: labels, classCount: classCount, train: train, validation: validation, seed: options.seed)
    }

    /// Stratified split: within each class a Fisher-Yates shuffle with a generator seeded
    /// by `seed`, then `round(n * train)` train tracks, `round(n * validation)` validation
    /// tracks (never more than remain) and the rest test.
    public static func stratifiedSplit(labels: [Int], classCount: Int, train: Double, validation: Double,
                                       seed: UInt64) -> [TrainingTracks.Split] {
        var rng = SeededGenerator(seed: seed)
        var result = [TrainingTracks.Split](repeating: .test, count: labels.count)
        for c in 0 ..< classCount {
            var members = labels.indices.filter { labels[$0] == c }
            if members.count > 1 {
                for i in stride(from: members.count - 1, to: 0, by: -1) {
                    members.swapAt(i, Int(rng.next() % UInt64(i + 1)))
                }
            }
            let n = members.count
            let nTrain = min(n, Int((Double(n) * train).rounded()))
            let nValidation = min(n - nTrain, Int((Double(n) * validation).rounded()))
            for (k, t) in members.enumerated() {
                result[t] = k < nTrain ? .train : (k < nTrain + nValidation ? .validation : .test)
            }
        }
        return result
    }
}
