import FileOutput
import Foundation

/// The held-out metrics of one cross-validation fold (`fold-i/fold.json`).
public struct FoldResult: Codable, Equatable, Sendable {
    /// Repeat (0-based, `--repeat`) and fold (0-based; folders and tables count from 1).
    public var repeatIndex: Int
    public var fold: Int
    /// Seed of the fold split and of the fold's training (`train.seed`).
    public var seed: Int
    public var trainTracks: Int
    public var validationTracks: Int
    public var testTracks: Int
    public var bestEpoch: Int
    public var patchAccuracy: Double
    public var trackAccuracy: Double
    public var macroF1: Double
    /// Wall time of the fold's training and evaluation (s) in the process that finished it (a resumed fold: its last part).
    public var seconds: Double
    /// Track-level confusion matrix of the held-out fold, `confusion[true][predicted]`
    /// (classes in the data set's order); nil in a `fold.json` written before it was stored.
    public var confusion: [[Int]]?
    /// Models averaged in the fold (configs x `CrossValidationRun.members`); nil for one model.
    public var members: Int?
    /// Track accuracy of each member alone (member 1 first); nil for one model.
    public var memberTrackAccuracy: [Double]?

    enum CodingKeys: String, CodingKey {
        case repeatIndex = "repeat", fold, seed, trainTracks = "train_tracks", validationTracks = "validation_tracks",
             testTracks = "test_tracks", bestEpoch = "best_epoch", patchAccuracy = "patch_accuracy",
             trackAccuracy = "track_accuracy", macroF1 = "macro_f1", seconds, confusion,
             members, memberTrackAccuracy = "member_track_accuracy"
    }
}

/// K-fold cross-validation of a config on a data set: each fold trains a fresh model
/// (`Trainer`, on the data set's tracks with splits reassigned in memory) in its own run
/// folder and evaluates its `best.h5` on the held-out fold.
///
/// Layout of the cv folder: `folds.csv` (repeat, fold, group, label, path of every track),
/// `fold-<i>/` (or `repeat-<j>/fold-<i>/` with several repeats) run folders with
/// `fold.json` once finished, `cv.csv` and `cv.json` (per-fold rows, mean and sample std),
/// `confusion.csv` (the folds' track-level confusion matrices summed).
/// An ensemble (`members` > 1 or `otherConfigs`) trains its models in `fold-<i>/member-<j>/`.
/// A finished fold (`fold.json`) is skipped; an unfinished one with `last.h5` resumes.
public final class CrossValidationRun {
    public let config: MelCNNConfig
    public let dataset: String
    public let directory: URL
    public let k: Int
    public let seed: Int
    public let repeats: Int
    public let validation: CrossValidation.ValidationChoice
    public let validationFraction: Double
    /// A checkpoint every fold starts from (`Trainer.warmStart`: transfer / fine-tuning), nil
    /// for a fresh initialisation. A resumed fold continues from its own `last.h5`.
    public var initCheckpoint: String?
    /// Models trained per fold and config, differing only in their seed (the m-th, counted from 0,
    /// trains with `train.seed` + `memberSeedStride` x m, so the first is the model of a one-member
    /// run); the fold is scored on the mean of all members' track probabilities, an ensemble
    /// (Lakshminarayanan et al. 2017 without the adversarial term). At least 1.
    public var members = 1
    public static let memberSeedStride = 1000
    /// More configs whose models join every fold's ensemble (e.g. the same network on longer
    /// patches; their data sections must describe the data set's log-mels), each with `members`
    /// seeds: member j trains `([config] + otherConfigs)[j / members]` with seed offset j % members.
    public var otherConfigs: [MelCNNConfig] = []
    /// The config of every member, in member order.
    var memberConfigs: [MelCNNConfig] { ([config] + otherConfigs).flatMap { Array(repeating: $0, count: members) } }

    public init(config: MelCNNConfig, dataset: String, directory: URL, folds k: Int, seed: Int, repeats: Int,
                validation: CrossValidation.ValidationChoice, validationFraction: Double) throws {
        guard repeats >= 1 else { throw ParameterError("repeats", " must be at least 1, got \(repeats)") }
        guard validationFraction > 0, validationFraction < 1 else {
            throw ParameterError("validationFraction", " must be in (0, 1), got \(validationFraction)")
        }
        guard k >= 2 else { throw ParameterError("folds", " must be at least 2, got \(k)") }
        self.config = config
        self.dataset = dataset
        self.directory = directory
        self.k = k
        self.seed = seed
        self.repeats = repeats
        self.validation = validation
        self.validationFraction = validationFraction
    }

    /// Folder of a fold (its run folder with one member).
    public func foldDirectory(repeatIndex: Int, fold: Int) -> URL {
        let base = repeats > 1 ? directory.appendingPathComponent("repeat-\(repeatIndex + 1)") : directory
        return base.appendingPathComponent("fold-\(fold + 1)")
    }

    /// Run folder of member `member` (0-based) of a fold: the fold's folder for one member.
    public func memberDirectory(repeatIndex: Int, fold: Int, member: Int) -> URL {
        let folder = foldDirectory(repeatIndex: repeatIndex, fold: fold)
        return memberConfigs.count > 1 ? folder.appendingPathComponent("member-\(member + 1)") : folder
    }

    /// Progress of the whole run.
    public enum Event {
        case loaded(tracks: Int, groups: Int, classes: Int)
        case foldSkipped(FoldResult)
        case foldStarted(repeatIndex: Int, fold: Int, train: Int, validation: Int, test: Int, resuming: Bool)
        /// Member `member` (0-based) of an ensemble of `members` starts or resumes training.
        case memberStarted(member: Int, members: Int, resuming: Bool)
        /// The fold's model was initialised from `initCheckpoint` (first fold only: every fold loads the same).
        case warmStarted(WarmStartReport)
        case training(TrainingEvent)
        case foldFinished(FoldResult)
    }

    /// Trains and evaluates every fold not yet finished; returns all folds' results, or nil
    /// when `shouldStop` interrupted a fold (its last.h5 is saved: run again to resume).
    public func run(shouldStop: @escaping () -> Bool = { false }, events: (Event) -> Void = { _ in }) throws -> [FoldResult]? {
        guard members >= 1 else { throw ParameterError("members", " must be at least 1, got \(members)") }
        try Trainer.makeRunDirectory(directory)
        var tracks = try TrainingTracks.load(path: dataset, storage: config.data.storage, memoryBudget: config.data.memoryBudget)
        guard !tracks.isTagged else {
            throw MelCNNError.invalidArgument("\(dataset) is a tagged data set: cv supports single-label data sets only")
        }
        let groups = try CrossValidation.groups(dataset: dataset)
        // Fold assignments of every repeat, checked against an earlier run's folds.csv.
        var assignments: [[Int]] = []
        var lines = ["repeat,fold,group,label,path"]
        for r in 0 ..< repeats {
            let f = try CrossValidation.folds(labels: tracks.labels, groups: groups, folds: k, seed: UInt64(repeatSeed(r)))
            assignments.append(f)
            for t in 0 ..< tracks.count {
                lines.append([String(r + 1), String(f[t] + 1), csvField(groups[t]), csvField(tracks.classes[tracks.labels[t]]),
                              csvField(tracks.paths[t])].joined(separator: ","))
            }
        }
        let foldsText = lines.joined(separator: "\n") + "\n"
        let foldsURL = directory.appendingPathComponent("folds.csv")
        if let old = try? String(contentsOf: foldsURL, encoding: .utf8) {
            guard old == foldsText else {
                throw ParameterError("directory", ": \(foldsURL.path) holds other folds (another data set, `folds`, `seed` or `repeats`); use another folder")
            }
        } else {
            try atomicWrite(to: foldsURL.path, text: foldsText)
        }
        for r in 0 ..< repeats {   // a fold of another member count or recipe fails before any output
            for fold in 0 ..< k {
                _ = try finishedResult(at: foldDirectory(repeatIndex: r, fold: fold).appendingPathComponent("fold.json"))
                try checkMemberConfigs(repeatIndex: r, fold: fold)
            }
        }
        events(.loaded(tracks: tracks.count, groups: Set(groups).count, classes: tracks.classes.count))

        var results: [FoldResult] = []
        for r in 0 ..< repeats {
            for fold in 0 ..< k {
                let folder = foldDirectory(repeatIndex: r, fold: fold)
                let resultURL = folder.appendingPathComponent("fold.json")
                if let result = try finishedResult(at: resultURL) {
                    results.append(result)
                    events(.foldSkipped(result))
                    continue
                }
                let started = Date()
                let foldSeed = repeatSeed(r)
                tracks.splits = try CrossValidation.splits(folds: assignments[r], fold: fold, labels: tracks.labels, groups: groups,
                                                           validation: validation, fraction: validationFraction, seed: UInt64(foldSeed))
                let test = assignments[r].indices.filter { assignments[r][$0] == fold }
                let testLabels = test.map { tracks.labels[$0] }
                let ensemble = memberConfigs.count > 1
                var single: ClassificationReport?   // the fold's report with one member
                var memberReports: [ClassificationReport] = [], memberTrackMeans: [[Float]] = [], bestEpoch = 0
                for m in memberConfigs.indices {
                    let cfg = memberConfig(m, repeatIndex: r)
                    let trainer = try Trainer(config: cfg, tracks: tracks, runDirectory: memberDirectory(repeatIndex: r, fold: fold, member: m))
                    let resuming = FileManager.default.fileExists(atPath: trainer.lastURL.path)
                    if m == 0 {
                        events(.foldStarted(repeatIndex: r, fold: fold, train: tracks.tracks(in: .train).count,
                                            validation: tracks.tracks(in: .validation).count, test: test.count, resuming: resuming))
                    }
                    if ensemble { events(.memberStarted(member: m, members: memberConfigs.count, resuming: resuming)) }
                    if let initCheckpoint, !resuming {
                        let report = try trainer.warmStart(from: initCheckpoint)
                        if r == 0 && fold == 0 && m == 0 { events(.warmStarted(report)) }
                    }
                    let training = try trainer.run(resume: resuming, shouldStop: shouldStop) { events(.training($0)) }
                    if training.stop == .interrupted { return nil }
                    if m == 0 { bestEpoch = training.bestEpoch }
                    let trained = try TrainedModel(checkpointPath: trainer.bestURL.path)
                    let predictions = try trained.model.predict(tracks: tracks, trackIndices: test, patchFrames: trained.config.data.patchFrames,
                                                                hop: trained.evalHop, batchSize: trained.config.eval.batchSize)
                    let report = ClassificationReport(classes: tracks.classes, probabilities: predictions.probabilities,
                                                      patchTracks: predictions.patchTracks, trackLabels: testLabels,
                                                      topK: cfg.eval.topK, aggregation: cfg.eval.aggregation)
                    guard ensemble else { single = report; break }
                    memberReports.append(report)
                    // Members may cut different patches: they are averaged per track (mean of patch probabilities).
                    memberTrackMeans.append(predictions.trackMeans(trackCount: test.count, width: tracks.classes.count))
                }
                // An ensemble is scored on its mean track probabilities, its patch accuracy is the members' mean.
                let report = single ?? ClassificationReport(classes: tracks.classes, trackProbabilities: ModelEnsemble.averaged(memberTrackMeans),
                                                            trackLabels: testLabels, members: memberReports, topK: config.eval.topK)
                let result = FoldResult(repeatIndex: r, fold: fold, seed: foldSeed, trainTracks: tracks.tracks(in: .train).count,
                                        validationTracks: tracks.tracks(in: .validation).count, testTracks: test.count,
                                        bestEpoch: bestEpoch, patchAccuracy: report.patchAccuracy,
                                        trackAccuracy: report.trackAccuracy, macroF1: report.macroF1,
                                        seconds: Date().timeIntervalSince(started), confusion: report.confusion,
                                        members: ensemble ? memberConfigs.count : nil, memberTrackAccuracy: ensemble ? memberReports.map(\.trackAccuracy) : nil)
                try atomicWrite(to: resultURL.path, bytes: Self.json(result))
                results.append(result)
                events(.foldFinished(result))
            }
        }
        try writeSummary(results)
        try writeConfusion(results, classes: tracks.classes)
        return results
    }

    /// The seed of repeat `repeatIndex`: its folds' split and validation draw, and its members'
    /// base seed.
    func repeatSeed(_ repeatIndex: Int) -> Int { seed + repeatIndex }

    /// What member `member` (0-based) of a fold of repeat `repeatIndex` trains: its config with
    /// the repeat's seed plus the member's seed offset.
    func memberConfig(_ member: Int, repeatIndex: Int) -> MelCNNConfig {
        var config = memberConfigs[member]
        config.train.seed = repeatSeed(repeatIndex) + Self.memberSeedStride * (member % members)
        return config
    }

    /// Throws when a member folder of the fold holds a model (its `config.yaml`) trained with
    /// another config than this run gives it, so that a reused folder never mixes recipes.
    /// Settings that do not change the model (`train.threads`, `data.storage`,
    /// `data.memory_budget_mb`) may differ.
    func checkMemberConfigs(repeatIndex: Int, fold: Int) throws {
        for m in memberConfigs.indices {
            let url = memberDirectory(repeatIndex: repeatIndex, fold: fold, member: m).appendingPathComponent("config.yaml")
            guard let text = try? String(contentsOf: url, encoding: .utf8) else { continue }
            let expected = memberConfig(m, repeatIndex: repeatIndex)
            var trained = try MelCNNConfig.parse(text, file: url.path)
            (trained.source, trained.train.threads) = (expected.source, expected.train.threads)
            (trained.data.storage, trained.data.memoryBudgetMB) = (expected.data.storage, expected.data.memoryBudgetMB)
            guard trained.yamlText() == expected.yamlText() else {
                throw ParameterError("config", ": \(url.path) was trained with another recipe than this run's (\(expected.source) and the flags); use another folder")
            }
        }
    }

    /// The result of a finished fold (its `fold.json`), nil when the fold is not finished.
    func finishedResult(at url: URL) throws -> FoldResult? {
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        let result: FoldResult
        do {
            result = try JSONDecoder().decode(FoldResult.self, from: Data(contentsOf: url))
        } catch {
            throw MelCNNError.invalidFile(path: url.path, reason: "not a fold result (\(error)); delete it to redo the fold")
        }
        guard (result.members ?? 1) == memberConfigs.count else {
            throw ParameterError("members", ": \(url.path) holds a fold of \(result.members ?? 1) member(s), not \(memberConfigs.count); use another folder")
        }
        return result
    }

    /// Mean and sample standard deviation of a metric over `results`.
    public static func summary(_ results: [FoldResult], _ metric: KeyPath<FoldResult, Double>) -> (mean: Double, std: Double) {
        CrossValidation.meanAndStd(results.map { $0[keyPath: metric] })
    }

    static var metrics: [(String, KeyPath<FoldResult, Double>)] { [
        ("patch_accuracy", \.patchAccuracy), ("track_accuracy", \.trackAccuracy), ("macro_f1", \.macroF1), ("seconds", \.seconds),
    ] }

    /// Writes cv.csv (one row per fold, then `mean` and `std` rows) and cv.json.
    func writeSummary(_ results: [FoldResult]) throws {
        var csv = ["repeat,fold,seed,train_tracks,validation_tracks,test_tracks,best_epoch,patch_accuracy,track_accuracy,macro_f1,seconds"]
        for r in results {
            csv.append("\(r.repeatIndex + 1),\(r.fold + 1),\(r.seed),\(r.trainTracks),\(r.validationTracks),\(r.testTracks),\(r.bestEpoch),"
                + [r.patchAccuracy, r.trackAccuracy, r.macroF1, r.seconds].map { String(format: "%.6f", $0) }.joined(separator: ","))
        }
        let stats = Self.metrics.map { Self.summary(results, $1) }
        csv.append(",mean,,,,,," + stats.map { String(format: "%.6f", $0.mean) }.joined(separator: ","))
        csv.append(",std,,,,,," + stats.map { String(format: "%.6f", $0.std) }.joined(separator: ","))
        try atomicWrite(to: directory.appendingPathComponent("cv.csv").path, text: csv.joined(separator: "\n") + "\n")

        struct Summary: Codable {
            var dataset: String, folds: Int, repeats: Int, seed: Int, validation: String
            var mean: [String: Double], std: [String: Double]
            var perFold: [FoldResult]
            enum CodingKeys: String, CodingKey { case dataset, folds, repeats, seed, validation, mean, std, perFold = "per_fold" }
        }
        let summary = Summary(dataset: dataset, folds: k, repeats: repeats, seed: seed, validation: validation.rawValue,
                              mean: Dictionary(uniqueKeysWithValues: zip(Self.metrics.map(\.0), stats.map(\.mean))),
                              std: Dictionary(uniqueKeysWithValues: zip(Self.metrics.map(\.0), stats.map(\.std))),
                              perFold: results)
        try atomicWrite(to: directory.appendingPathComponent("cv.json").path, bytes: Self.json(summary))
    }

    /// Writes confusion.csv: the held-out track counts of every fold (and repeat) summed,
    /// one row per true class, one column per predicted class. Folds whose `fold.json`
    /// has no matrix (written by an older melcnn) are left out of the sum.
    func writeConfusion(_ results: [FoldResult], classes: [String]) throws {
        var total = [[Int]](repeating: [Int](repeating: 0, count: classes.count), count: classes.count)
        for matrix in results.compactMap(\.confusion) where matrix.count == classes.count && matrix.allSatisfy({ $0.count == classes.count }) {
            for t in 0 ..< classes.count { for p in 0 ..< classes.count { total[t][p] += matrix[t][p] } }
        }
        try atomicWrite(to: directory.appendingPathComponent("confusion.csv").path,
                        text: ClassificationReport.confusionCSV(total, classes: classes))
    }

    static func json(_ value: some Encodable) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(value) + Data("\n".utf8)
    }
}
