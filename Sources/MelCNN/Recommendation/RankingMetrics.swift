import COpenBLAS
import Foundation
import Tensor

/// Offline evaluation of recommendations with held-out plays, as van den Oord, Dieleman,
/// Schrauwen 2013 ("Deep content-based music recommendation", section 5) report it: mean
/// average precision of the top 500 and AUC, per user, averaged over users.
///
/// For each user with held-out tracks, the candidates are all tracks the user did not play
/// in training; relevant ones are the held-out tracks. Candidates are ranked by score, ties
/// by track index (as numpy's stable `argsort(-scores)`).
/// - AP@k = (1 / min(n_relevant, k)) * sum over relevant tracks at rank r <= k of
///   (relevant tracks at ranks <= r) / r.
/// - AUC = P(score of a held-out track > score of another candidate), ties count 1/2
///   (scikit-learn's `roc_auc_score` on the candidates); users whose candidates are all
///   relevant have no AUC and are left out of its mean.
public enum RankingMetrics {
    /// Averages over the evaluated users.
    public struct Result: Equatable, Sendable {
        /// Users with at least one held-out track.
        public var users: Int
        /// The cut-off of average precision.
        public var k: Int
        /// Mean AP@k.
        public var meanAveragePrecision: Double
        /// Mean per-user AUC (over `aucUsers` users).
        public var auc: Double
        public var aucUsers: Int
    }

    /// AP@k and AUC of one user. `scores` has one value per track; `played` marks the
    /// training tracks (left out of the candidates); `relevant` lists the held-out tracks
    /// (not in `played`). Returns nil AUC when every candidate is relevant.
    public static func userMetrics(scores: UnsafePointer<Float>, count: Int, played: UnsafeBufferPointer<Int32>,
                                   relevant: UnsafeBufferPointer<Int32>, k: Int) -> (ap: Double, auc: Double?) {
        let candidates = count - played.count
        var ranks: [Int] = []
        ranks.reserveCapacity(relevant.count)
        var aucSum = 0.0
        let negatives = candidates - relevant.count
        for p in relevant {
            let sp = scores[Int(p)]
            // Over all tracks first (branch-free counts): above = ranked before p (a higher
            // score, or an equal score and a lower index), below, equal (p itself left out).
            var above = 0, below = 0, equalBefore = 0
            for t in 0 ..< count {
                let s = scores[t]
                above &+= s > sp ? 1 : 0
                below &+= s < sp ? 1 : 0
            }
            for t in 0 ..< Int(p) { equalBefore &+= scores[t] == sp ? 1 : 0 }
            var equal = count - above - below - 1
            above += equalBefore
            // Training tracks are not candidates.
            for t in played {
                let s = scores[Int(t)]
                if s > sp { above -= 1 } else if s < sp { below -= 1 } else {
                    equal -= 1
                    if t < p { above -= 1 }
                }
            }
            // Other held-out tracks are candidates but not negatives.
            for q in relevant where q != p {
                let s = scores[Int(q)]
                if s < sp { below -= 1 } else if s == sp { equal -= 1 }
            }
            let aboveCand = above, belowNeg = below, equalNeg = equal
            ranks.append(aboveCand + 1)
            aucSum += Double(belowNeg) + 0.5 * Double(equalNeg)
        }
        ranks.sort()
        var ap = 0.0
        for (j, r) in ranks.enumerated() where r <= k { ap += Double(j + 1) / Double(r) }
        ap /= Double(min(relevant.count, k))
        let auc: Double? = negatives > 0 ? aucSum / (Double(relevant.count) * Double(negatives)) : nil
        return (ap, auc)
    }

    /// Evaluates `score(users, out)` (fills one row of scores per track into `out` for each
    /// user of `users`, `[users.count x tracks]` row-major) on every user with held-out tracks
    /// in `test`, excluding their `train` tracks from the candidates, on `threads` workers in
    /// blocks of 32 users. `train` and `test` share their shape (users x tracks).
    public static func evaluate(train: SparseMatrix, test: SparseMatrix, k: Int = 500, threads: Int = 1,
                                score: @escaping @Sendable ([Int], UnsafeMutablePointer<Float>) -> Void) -> Result {
        precondition(train.rows == test.rows && train.cols == test.cols && k >= 1)
        let users = (0 ..< test.rows).filter { test.indptr[$0 + 1] > test.indptr[$0] }
        let items = train.cols
        let ap = UnsafeMutableBufferPointer<Double>.allocate(capacity: max(1, users.count))
        let auc = UnsafeMutableBufferPointer<Double>.allocate(capacity: max(1, users.count))
        defer { ap.deallocate(); auc.deallocate() }
        let out = MetricSlots(ap: ap, auc: auc)
        let block = 32
        forEachBlock((users.count + block - 1) / block, threads: threads, scratch: block * items) { b, scores in
            let range = b * block ..< min(users.count, (b + 1) * block)
            score(Array(users[range]), scores)
            for j in range {
                let u = users[j], row = scores + (j - range.lowerBound) * items
                train.indices.withUnsafeBufferPointer { trainIdx in
                    test.indices.withUnsafeBufferPointer { testIdx in
                        let played = UnsafeBufferPointer(rebasing: trainIdx[train.indptr[u] ..< train.indptr[u + 1]])
                        let relevant = UnsafeBufferPointer(rebasing: testIdx[test.indptr[u] ..< test.indptr[u + 1]])
                        let m = userMetrics(scores: row, count: items, played: played, relevant: relevant, k: k)
                        out.ap[j] = m.ap
                        out.auc[j] = m.auc ?? .nan
                    }
                }
            }
        }
        let apMean = users.isEmpty ? 0 : ap.prefix(users.count).reduce(0, +) / Double(users.count)
        let aucValues = auc.prefix(users.count).filter { !$0.isNaN }
        let aucMean = aucValues.isEmpty ? 0 : aucValues.reduce(0, +) / Double(aucValues.count)
        return Result(users: users.count, k: k, meanAveragePrecision: apMean, auc: aucMean, aucUsers: aucValues.count)
    }

    /// Scores from latent factors: `x_u . y_i` for every track, a block of users at a time
    /// (BLAS sgemm, `[block x f] x [f x tracks]`). `userFactors` `[users x f]`, `itemFactors` `[tracks x f]`.
    public static func evaluateFactors(userFactors: [Float], itemFactors: [Float], factors f: Int,
                                       train: SparseMatrix, test: SparseMatrix, k: Int = 500, threads: Int = 1) -> Result {
        precondition(userFactors.count == train.rows * f && itemFactors.count == train.cols * f)
        let holder = FactorPair(x: userFactors, y: itemFactors)
        let items = train.cols
        return evaluate(train: train, test: test, k: k, threads: threads) { users, out in
            var block = [Float](repeating: 0, count: users.count * f)
            holder.x.withUnsafeBufferPointer { x in
                for (r, u) in users.enumerated() { for j in 0 ..< f { block[r * f + j] = x[u * f + j] } }
            }
            holder.y.withUnsafeBufferPointer { y in
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, blasint(users.count), blasint(items), blasint(f),
                            1, block, blasint(f), y.baseAddress, blasint(f), 0, out, blasint(items))
            }
        }
    }

    /// Popularity baseline: every user gets the tracks ranked by how many users played them in `train`.
    public static func evaluatePopularity(train: SparseMatrix, test: SparseMatrix, k: Int = 500, threads: Int = 1) -> Result {
        let popularity = train.columnCounts().map(Float.init)
        return evaluate(train: train, test: test, k: k, threads: threads) { users, out in
            popularity.withUnsafeBufferPointer { p in
                for r in users.indices { (out + r * p.count).update(from: p.baseAddress!, count: p.count) }
            }
        }
    }

    /// Random baseline: uniform scores, seeded per user (independent of the thread count).
    public static func evaluateRandom(train: SparseMatrix, test: SparseMatrix, k: Int = 500, seed: UInt64,
                                      threads: Int = 1) -> Result {
        let items = train.cols
        return evaluate(train: train, test: test, k: k, threads: threads) { users, out in
            for (r, u) in users.enumerated() {
                var rng = SeededGenerator(seed: seed &+ UInt64(u) &* 0xA24B_AED4_963E_E407)
                for t in 0 ..< items { out[r * items + t] = rng.nextUniform() }
            }
        }
    }
}

private struct MetricSlots: @unchecked Sendable {
    let ap: UnsafeMutableBufferPointer<Double>
    let auc: UnsafeMutableBufferPointer<Double>
}

private struct FactorPair: Sendable {
    let x: [Float]
    let y: [Float]
}
