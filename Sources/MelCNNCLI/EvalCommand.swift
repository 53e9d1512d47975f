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
        Several --checkpoint (genre or tag models of the same classes) evaluate their ensemble: \
        the mean of the models' track probabilities, each model with its own patches and \
        normaliser; patch loss and accuracy are the models' means.
          melcnn eval --checkpoint run-1s/best.h5 --checkpoint run-3s/best.h5 --data set.h5
        """
    )

    @Option(name: .long, parsing: .unconditionalSingleValue,
            help: "Checkpoint (best.h5 or last.h5 of a run); repeat it to evaluate an ensemble of models of the same classes.")
    var checkpoint: [String]
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
        guard !checkpoint.isEmpty else { throw CLIError("--checkpoint: give at least one") }
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
        let ensemble = try ModelEnsemble(models: checkpoint.map { try TrainedModel(checkpointPath: $0) })
        let trained = ensemble.models[0]
        if trained.isRegressor {
            guard checkpoint.count == 1 else { throw CLIError("--checkpoint \(checkpoint[0]): a factor model; an ensemble evaluates genre or tag models") }
            let tracks = try trained.loadTracks(dataset: data, splits: [which])
            guard tracks.count > 0 else { throw MelCNNError.emptySplit(path: data, split: which.name) }
            try evaluateFactors(trained, tracks)
            return
        }
        if trained.isTagger {
            try evaluateTags(ensemble)
            return
        }
        guard factors == nil else { throw CLIError("--factors: \(checkpoint[0]) is not a factor model") }
        guard !tuneThresholds else { throw CLIError("--tune-thresholds: \(checkpoint[0]) is not a tag model") }
        let progress = PatchProgress(title: "eval \(which.name)")
        let predictions = try ensemble.predict(dataset: data, split: which, progress: progress.update)
        let tracks = predictions.tracks
        guard tracks.count > 0 else { throw MelCNNError.emptySplit(path: data, split: which.name) }
        let report = ensemble.report(predictions, topK: topK)
        progress.finish("eval: \(tracks.count) \(which.name) tracks, \(report.patches) patches" + modelsNote)
        if let out {
            let dir = URL(fileURLWithPath: out)
            try writeFileAtomically(report.jsonData(), to: dir.appendingPathComponent("metrics.json"))
            try writeFileAtomically(Data(report.confusionCSV().utf8), to: dir.appendingPathComponent("confusion.csv"))
            try writeFileAtomically(Data(report.confusionSVG(noun: labelNoun).utf8), to: dir.appendingPathComponent("confusion.svg"))
            let k = trained.classes.count, means = predictions.trackMeans
            let page = EvaluationPage(
                title: pageTitle, report: report,
                tracks: tracks.paths.indices.map { EvaluationPage.Track(path: tracks.paths[$0], label: tracks.labels[$0],
                                                                        probabilities: Array(means[$0 * k ..< ($0 + 1) * k])) },
                noun: labelNoun, curvesLink: curvesLink(pageFolder: out))
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
    /// The report pages' title: the checkpoint's file name, or the ensemble's size.
    var pageTitle: String {
        let model = checkpoint.count == 1 ? (checkpoint[0] as NSString).lastPathComponent : "ensemble of \(checkpoint.count) checkpoints"
        return "\(model) on \((data as NSString).lastPathComponent), \(split.name) split"
    }

    /// ", ensemble of N models" after the progress line of an ensemble.
    var modelsNote: String { checkpoint.count == 1 ? "" : ", ensemble of \(checkpoint.count) models" }

    /// The link to the run's learning curves (one checkpoint only: an ensemble has several runs).
    func curvesLink(pageFolder: String) -> String? {
        checkpoint.count == 1 ? EvaluationPage.curvesLink(checkpoint: checkpoint[0], pageFolder: pageFolder) : nil
    }

    /// `eval` of tag models: per-tag ranking metrics and thresholded scores of the ensemble's mean track scores.
    func evaluateTags(_ ensemble: ModelEnsemble) throws {
        guard threshold.isFinite, threshold >= 0, threshold <= 1 else {
            throw CLIError("--threshold must be in [0, 1], got \(threshold)")
        }
        let tags = ensemble.models[0].classes
        var thresholds = [Float](repeating: threshold, count: tags.count)
        if tuneThresholds { thresholds = try ensemble.tunedThresholds(dataset: data) }
        let progress = PatchProgress(title: "eval \(split.name)")
        let predictions = try ensemble.predict(dataset: data, split: split, progress: progress.update)
        let tracks = predictions.tracks
        guard tracks.count > 0 else { throw MelCNNError.emptySplit(path: data, split: split.name) }
        let report = ensemble.tagReport(predictions, thresholds: thresholds)
        progress.finish("eval: \(tracks.count) \(split.name) tracks, \(tags.count) tags"
            + (tuneThresholds ? ", thresholds tuned on validation" : "") + modelsNote)
        if let out {
            let dir = URL(fileURLWithPath: out), k = tags.count, scores = predictions.trackMeans
            try writeFileAtomically(report.jsonData(), to: dir.appendingPathComponent("metrics.json"))
            let page = TagEvaluationPage(
                title: pageTitle, report: report,
                tracks: tracks.paths.indices.map { TagEvaluationPage.Track(path: tracks.paths[$0], labels: Array(tracks.tags(of: $0)),
                                                                           scores: Array(scores[$0 * k ..< ($0 + 1) * k])) },
                curvesLink: curvesLink(pageFolder: out))
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
                throw CLIError("--factors \(factors): holds \(file.factors) factors, \(checkpoint[0]) predicts \(trained.classes.count)")
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
