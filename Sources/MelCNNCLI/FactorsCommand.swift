import ArgumentParser
import FileOutput
import Foundation
import MelCNN
import Tensor

/// `melcnn factors`: latent factors of listening data by implicit-feedback ALS.
struct FactorsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "factors",
        abstract: "Factorise play counts into user and track factors (implicit-feedback ALS).",
        discussion: """
        Reads user,track,count rows (header optional), weights each play by the confidence \
        1 + alpha * count and fits user and track factors by alternating least squares \
        (Hu, Koren, Volinsky 2008; 3 conjugate-gradient steps per row as the `implicit` \
        package, or --cg-steps 0 for an exact Cholesky solve). Writes factors.h5 \
        (docs/formats.md).
          melcnn factors --plays plays.csv --out factors.h5
          melcnn factors --plays plays.csv --out factors.h5 --holdout 0.2 --factors 32
        --holdout F keeps a share F of each user's tracks out of training, stores them in \
        the output and reports mAP@500 and AUC on them for the factors and for the \
        popularity and random baselines (as `melcnn recommend --eval`).
        """
    )

    @Option(name: .long, parsing: .unconditional, help: "Play counts: a CSV of user,track,count rows.")
    var plays: String
    @Option(name: .long, parsing: .unconditional, help: "Output factors file (.h5).")
    var out: String
    @Option(name: .long, parsing: .unconditional, help: "Latent dimensions.")
    var factors: Int = 64
    @Option(name: .long, parsing: .unconditional, help: "ALS alternations.")
    var iterations: Int = 15
    @Option(name: .long, parsing: .unconditional, help: "L2 regularisation lambda.")
    var regularization: Float = 0.01
    @Option(name: .long, parsing: .unconditional, help: "Confidence slope: c = 1 + alpha * count.")
    var alpha: Float = 40
    @Option(name: .customLong("cg-steps"), parsing: .unconditional, help: "Conjugate-gradient steps per row (0 = Cholesky).")
    var cgSteps: Int = 3
    @Option(name: .long, parsing: .unconditional, help: "Seed of the initial factors and of the hold-out split.")
    var seed: UInt64 = 0
    @Option(name: .long, parsing: .unconditional, help: "Share of each user's tracks held out for evaluation, in [0, 1).")
    var holdout: Double = 0
    @Option(name: .long, parsing: .unconditional, help: "Cut-off of average precision in the evaluation.")
    var k: Int = 500
    @Flag(name: .long, help: "Print JSON instead of text.")
    var json = false
    @OptionGroup var threads: ThreadsOption

    func validate() throws {
        guard ["h5", "hdf5"].contains((out as NSString).pathExtension.lowercased()) else {
            throw CLIError("--out \(out): the output must end in .h5")
        }
        guard holdout >= 0, holdout < 1 else { throw CLIError("--holdout must be in [0, 1), got \(holdout)") }
        guard k >= 1 else { throw CLIError("--k must be >= 1, got \(k)") }
    }

    func run() throws {
        if isSameFile(plays, out) { throw CLIError("--out \(out): is the --plays file; choose another output") }
        threads.apply()
        let options = ImplicitALS.Options(factors: factors, iterations: iterations, regularization: regularization,
                                          alpha: alpha, seed: seed, threads: Threads.count, cgSteps: cgSteps)
        try options.validate()
        let readStart = Date()
        let counts = try PlayCounts.read(csv: plays)
        let split = holdout > 0 ? counts.holdout(fraction: holdout, seed: seed)
            : (train: counts.matrix, test: SparseMatrix(rows: counts.matrix.rows, cols: counts.matrix.cols,
                                                         indptr: [Int](repeating: 0, count: counts.matrix.rows + 1),
                                                         indices: [], values: []))
        let readSeconds = Date().timeIntervalSince(readStart)
        if let largest = counts.matrix.values.max(), !(1 + alpha * largest).isFinite {
            throw CLIError("\(plays): the confidence 1 + alpha * count overflows float32 for count \(largest) (--alpha \(alpha))")
        }
        let fitStart = Date(), cpuStart = processCPUSeconds()
        let model = ImplicitALS(options: options).fit(split.train)
        let fitSeconds = Date().timeIntervalSince(fitStart), fitCPU = processCPUSeconds() - cpuStart
        guard model.userFactors.allSatisfy(\.isFinite), model.itemFactors.allSatisfy(\.isFinite) else {
            throw CLIError("\(plays): the factors are not finite (counts too large for --alpha \(alpha)?); lower --alpha or raise --regularization")
        }
        let file = FactorsFile(userIDs: counts.users, trackIDs: counts.tracks, model: model, options: options,
                               holdoutFraction: holdout, train: split.train, holdout: split.test, plays: plays)
        try file.write(to: out)
        let evaluation = split.test.nonzeros > 0 ? file.evaluate(k: k, seed: seed, threads: Threads.count) : []
        if json {
            try printJSON(FactorsJSON(plays: plays, out: out, rows: counts.rowsRead, users: counts.users.count,
                                      tracks: counts.tracks.count, trainPlays: split.train.nonzeros,
                                      heldoutPlays: split.test.nonzeros, readSeconds: Rounded(readSeconds),
                                      fitSeconds: Rounded(fitSeconds), fitCPUSeconds: Rounded(fitCPU), threads: Threads.count,
                                      k: k, evaluation: evaluation.map(RecommendationRow.init)))
            return
        }
        print("factors: \(counts.rowsRead) rows of \(plays): \(counts.users.count) users x \(counts.tracks.count) tracks, \(counts.matrix.nonzeros) plays (read in \(String(format: "%.2f", readSeconds)) s)")
        if holdout > 0 {
            print("factors: held out \(split.test.nonzeros) plays, trained on \(split.train.nonzeros)"
                  + (split.test.nonzeros == 0 ? " (no user has enough tracks to hold one out: nothing to evaluate)" : ""))
        }
        print("factors: \(factors) factors, \(iterations) iterations, lambda \(regularization), alpha \(alpha) in \(String(format: "%.2f", fitSeconds)) s on \(Threads.count) threads; wrote \(out)")
        if !evaluation.isEmpty { printEvaluation(evaluation, k: k) }
    }
}

/// CPU time of the process so far (all threads), in seconds.
func processCPUSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
}

/// The evaluation table of `factors --holdout` and `recommend --eval`.
func printEvaluation(_ rows: [(name: String, result: RankingMetrics.Result)], k: Int) {
    guard let first = rows.first else { return }
    print("held-out evaluation: \(first.result.users) users (candidates: tracks not played in training)")
    print("  model        mAP@\(k)    AUC")
    for row in rows {
        print("  " + row.name.padding(toLength: 12, withPad: " ", startingAt: 0)
              + String(format: " %.4f     %.4f", row.result.meanAveragePrecision, row.result.auc))
    }
}

/// `factors --json`: what was read and fitted, timings, and the held-out evaluation.
private struct FactorsJSON: Encodable {
    let plays, out: String
    let rows, users, tracks, trainPlays, heldoutPlays: Int
    let readSeconds, fitSeconds, fitCPUSeconds: Rounded
    let threads, k: Int
    let evaluation: [RecommendationRow]
}
