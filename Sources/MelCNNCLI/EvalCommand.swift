import ArgumentParser
import Foundation
import MelCNN
import Tensor
import ToolSupport

struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Evaluate a checkpoint on a split of a data set: accuracy, per-genre scores, confusion matrix.",
        discussion: """
        Patch-level and track-level accuracy (a track's prediction is the mean of the class \
        probabilities of its overlapping patches), top-k accuracy, per-genre precision, \
        recall and F1, and the confusion matrix.
          melcnn eval --checkpoint Checkpoints/gtzan-1/best.h5 --data gtzan.h5
          melcnn eval --checkpoint best.h5 --data gtzan.h5 --split validation --out report/
        --out DIR writes metrics.json, confusion.csv, confusion.svg (a heat map with a colour \
        bar; its axes say "true/predicted class", or --label-noun, e.g. genre) and report.html \
        (metrics, per-class table, confusion counts or row-normalised, the worst-classified \
        tracks, a link to the run's learning curves).
        A tag model (trained on a tagged data set) reports per-tag ROC-AUC and PR-AUC (average \
        precision), their macro and micro averages, and precision/recall/F1 with probability \
        >= --threshold, or with per-tag thresholds that maximise F1 on the validation split \
        (--tune-thresholds); --out then writes metrics.json and report.html (averages, per-tag \
        table, the worst tracks).
          melcnn eval --checkpoint Checkpoints/tags/best.h5 --data tags.h5 --tune-thresholds
        A factor model (trained on `prepare --targets` data) reports its loss and the track \
        MSE and cosine of the predicted factors; with --factors (the factors file of the \
        targets) also mAP@500 and AUC on every user's held-out plays, candidates the split's \
        tracks, for the ALS factors, the factors predicted from audio, popularity and random.
          melcnn eval --checkpoint run/best.h5 --data factor-data.h5 --factors factors.h5
        """
    )

    @OptionGroup var checkpointOption: CheckpointOption
    var checkpoint: String { checkpointOption.checkpoint }
    @Option(name: .long, parsing: .unconditional, help: "Data set written by `melcnn prepare` with the same DSP parameters.")
    var data: String
    @Option(name: .long, parsing: .unconditional, help: "Split to evaluate: train, validation or test.")
    var split: TrainingTracks.Split = .test
    @Option(name: .long, parsing: .unconditional, help: "k of the top-k accuracy (default: the config's eval.top_k).")
    var topK: Int?
    @Option(name: .long, parsing: .unconditional, help: "Folder for metrics.json, confusion.csv, confusion.svg and report.html.")
    var out: String?
    @Option(name: .long, parsing: .unconditional, help: "What the labels are, for confusion.svg's axis titles (e.g. genre).")
    var labelNoun = "class"
    @Option(name: .long, parsing: .unconditional, help: "Tag models: decision threshold of every tag.")
    var threshold: Float = 0.5
    @Flag(name: .long, help: "Tag models: per-tag thresholds maximising F1 on the validation split.")
    var tuneThresholds = false
    @Option(name: .long, parsing: .unconditional, help: "Factor models: factors file with held-out plays, for the recommendation table.")
    var factors: String?
    @Flag(name: .long, help: "Print the metrics as JSON instead of tables.")
    var json = false
    @OptionGroup var threads: ThreadsOption

    func validate() throws {
        if let topK, topK < 1 { throw CLIError("--top-k must be >= 1, got \(topK)") }
    }

    func run() throws {
        let which = split
        if let out {  // a folder that cannot be made fails now, not after the evaluation
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: out, isDirectory: &isDirectory), !isDirectory.boolValue {
                throw CLIError("--out \(out): is a file, expected a folder")
            }
            do { try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true) } catch {
                throw CLIError("--out \(out): cannot create the folder")
            }
        }
        // A run folder being trained in is not written into (one line naming the trainer's PID).
        let runLock = try out.flatMap { try RunFolderLock.lockIfRunFolder(URL(fileURLWithPath: $0)) }
        defer { runLock?.release() }
        threads.apply()
        let trained = try TrainedModel(checkpointPath: checkpoint)
        let tracks = try trained.loadTracks(dataset: data, splits: [which])
        guard tracks.count > 0 else { throw MelCNNError.emptySplit(path: data, split: which.name) }
        if trained.isTagger {
            try evaluateTags(trained, tracks)
            return
        }
        if trained.isRegressor {
            try evaluateFactors(trained, tracks)
            return
        }
        guard factors == nil else { throw CLIError("--factors: \(checkpoint) is not a factor model") }
        guard !tuneThresholds else { throw CLIError("--tune-thresholds: \(checkpoint) is not a tag model") }
        let progress = PatchProgress(title: "eval \(which.name)")
        let predictions = try trained.predict(tracks, progress: progress.update)
        let report = trained.report(predictions, tracks: tracks, topK: topK)
        progress.finish("eval: \(tracks.count) \(which.name) tracks, \(report.patches) patches")
        if let out {
            let dir = URL(fileURLWithPath: out)
            try writeFileAtomically(report.jsonData(), to: dir.appendingPathComponent("metrics.json"))
            try writeFileAtomically(Data(report.confusionCSV().utf8), to: dir.appendingPathComponent("confusion.csv"))
            try writeFileAtomically(Data(report.confusionSVG(noun: labelNoun).utf8), to: dir.appendingPathComponent("confusion.svg"))
            let probabilities = trained.trackProbabilities(predictions, tracks: tracks.count)
            let page = EvaluationPage(
                title: "\((checkpoint as NSString).lastPathComponent) on \((data as NSString).lastPathComponent), \(which.name) split",
                report: report,
                tracks: tracks.paths.indices.map { EvaluationPage.Track(path: tracks.paths[$0], label: tracks.labels[$0], probabilities: probabilities[$0]) },
                noun: labelNoun, curvesLink: EvaluationPage.curvesLink(checkpoint: checkpoint, pageFolder: out))
            try writeFileAtomically(Data(page.html().utf8), to: dir.appendingPathComponent("report.html"))
            Console.error("eval: wrote metrics.json, confusion.csv, confusion.svg, report.html to \(out)")
        }
        if json {
            print(String(decoding: try report.jsonData(), as: UTF8.self))
        } else {
            print(report.textSummary())
        }
    }
}

extension EvalCommand {
    /// `eval` of a tag model: per-tag ranking metrics and thresholded scores.
    func evaluateTags(_ trained: TrainedModel, _ tracks: TrainingTracks) throws {
        guard threshold.isFinite, threshold >= 0, threshold <= 1 else {
            throw CLIError("--threshold must be in [0, 1], got \(threshold)")
        }
        var thresholds = [Float](repeating: threshold, count: trained.classes.count)
        if tuneThresholds {
            let validation = try trained.loadTracks(dataset: data, splits: [.validation])
            guard validation.count > 0 else { throw MelCNNError.emptySplit(path: data, split: "validation") }
            thresholds = try trained.tunedThresholds(validation)
        }
        let progress = PatchProgress(title: "eval \(split.name)")
        let predictions = try trained.predict(tracks, progress: progress.update)
        let report = TagReport(tags: trained.classes, predictions: predictions, tracks: tracks, thresholds: thresholds)
        progress.finish("eval: \(tracks.count) \(split.name) tracks, \(trained.classes.count) tags"
            + (tuneThresholds ? ", thresholds tuned on validation" : ""))
        if let out {
            let dir = URL(fileURLWithPath: out), k = trained.classes.count
            try writeFileAtomically(report.jsonData(), to: dir.appendingPathComponent("metrics.json"))
            let scores = predictions.trackMeans(trackCount: tracks.count, width: k)
            let page = TagEvaluationPage(
                title: "\((checkpoint as NSString).lastPathComponent) on \((data as NSString).lastPathComponent), \(split.name) split",
                report: report,
                tracks: tracks.paths.indices.map { TagEvaluationPage.Track(path: tracks.paths[$0], labels: Array(tracks.tags(of: $0)),
                                                                           scores: Array(scores[$0 * k ..< ($0 + 1) * k])) },
                curvesLink: EvaluationPage.curvesLink(checkpoint: checkpoint, pageFolder: out))
            try writeFileAtomically(Data(page.html().utf8), to: dir.appendingPathComponent("report.html"))
            Console.error("eval: wrote metrics.json, report.html to \(out)")
        }
        print(json ? String(decoding: try report.jsonData(), as: UTF8.self) : report.textSummary())
    }
}

extension EvalCommand {
    /// `eval` of a factor model: regression loss and, with --factors, cold-start recommendation quality.
    func evaluateFactors(_ trained: TrainedModel, _ tracks: TrainingTracks) throws {
        let file = try factors.map { try FactorsFile.read(from: $0) }   // bad --factors fails before the predictions
        if let file, let factors {
            guard file.factors == trained.classes.count else {
                throw CLIError("--factors \(factors): holds \(file.factors) factors, \(checkpoint) predicts \(trained.classes.count)")
            }
            guard file.holdout.nonzeros > 0 else {
                throw CLIError("--factors \(factors): holds no held-out plays (write it with `melcnn factors --holdout 0.2`)")
            }
        }
        let progress = PatchProgress(title: "eval \(split.name)")
        let p = try trained.predict(tracks, progress: progress.update)
        let report = RegressionReport(patchOutputs: p.probabilities, patchTracks: p.patchTracks, targets: tracks.targetMatrix,
                                      factors: trained.classes.count, loss: trained.config.train.loss,
                                      standardization: trained.checkpoint.targetStandardization)
        progress.finish("eval: \(tracks.count) \(split.name) tracks, \(trained.classes.count) factors")
        var lines = [report.textSummary(loss: trained.config.train.loss)]
        var json = FactorModelJSON(tracks: report.tracks, patchLoss: Rounded(report.patchLoss), trackMSE: Rounded(report.trackMSE),
                                   trackCosine: Rounded(report.trackCosine), recommendation: nil)
        if let file {
            // Candidates: the split's tracks that the factors file knows (ids = data set paths).
            var columns: [Int] = [], predicted: [Float] = []
            let index = Dictionary(file.trackIDs.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
            let k = trained.classes.count
            for (t, path) in tracks.paths.enumerated() {
                guard let column = index[path] else { continue }
                columns.append(column)
                predicted += report.trackFactors[t * k ..< (t + 1) * k]
            }
            guard !columns.isEmpty else {
                throw CLIError("--factors \(factors!): none of its track ids is a \(split.name) track of \(data)")
            }
            let rows = file.evaluate(tracks: columns, predicted: predicted, k: 500, threads: Threads.count)
            lines.append("recommendation (candidates: the \(columns.count) \(split.name) tracks; held-out plays of \(rows[0].result.users) users):")
            lines.append("  model        mAP@500    AUC")
            for row in rows {
                lines.append("  " + row.name.padding(toLength: 12, withPad: " ", startingAt: 0)
                             + String(format: " %.4f     %.4f", row.result.meanAveragePrecision, row.result.auc))
            }
            json.recommendation = rows.map(RecommendationRow.init)
        }
        if self.json { try printJSON(json) } else { print(lines.joined(separator: "\n")) }
    }
}

/// `eval --json` of a factor model; `recommendation` only with `--factors`.
private struct FactorModelJSON: Encodable {
    let tracks: Int
    let patchLoss, trackMSE, trackCosine: Rounded
    var recommendation: [RecommendationRow]?
}
