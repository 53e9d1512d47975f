import ArgumentParser
import Foundation
import MelCNN
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
        """
    )

    @Option(name: .long, parsing: .unconditional, help: "Checkpoint (best.h5 or last.h5 of a run).")
    var checkpoint: String
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
    @Flag(name: .long, help: "Print the metrics as JSON instead of tables.")
    var json = false
    @OptionGroup var threads: ThreadsOption

    func run() throws {
        let which = split
        if let topK, topK < 1 { throw MelCNNError.invalidArgument("--top-k must be >= 1, got \(topK)") }
        if let out {  // a folder that cannot be made fails now, not after the evaluation
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: out, isDirectory: &isDirectory), !isDirectory.boolValue {
                throw MelCNNError.invalidArgument("--out \(out): is a file, expected a folder")
            }
            do { try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true) } catch {
                throw MelCNNError.invalidArgument("--out \(out): cannot create the folder")
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
        guard !tuneThresholds else { throw MelCNNError.invalidArgument("--tune-thresholds: \(checkpoint) is not a tag model") }
        var bar: ProgressReporter?
        let predictions = trained.predict(tracks) { done, total in
            if bar == nil { bar = ProgressReporter(title: "eval \(which.name)", total: total, unit: "patches") }
            bar?.update(done)
        }
        let report = trained.report(predictions, tracks: tracks, topK: topK)
        try tracks.checkReads()
        (bar ?? ProgressReporter(title: "", total: 0)).finish("eval: \(tracks.count) \(which.name) tracks, \(report.patches) patches")
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
            throw MelCNNError.invalidArgument("--threshold must be in [0, 1], got \(threshold)")
        }
        var thresholds = [Float](repeating: threshold, count: trained.classes.count)
        if tuneThresholds {
            let validation = try trained.loadTracks(dataset: data, splits: [.validation])
            guard validation.count > 0 else { throw MelCNNError.emptySplit(path: data, split: "validation") }
            thresholds = trained.tunedThresholds(validation)
            try validation.checkReads()
        }
        var bar: ProgressReporter?
        let predictions = trained.predict(tracks) { done, total in
            if bar == nil { bar = ProgressReporter(title: "eval \(split.name)", total: total, unit: "patches") }
            bar?.update(done)
        }
        let report = TagReport(tags: trained.classes, predictions: predictions, tracks: tracks, thresholds: thresholds)
        try tracks.checkReads()
        (bar ?? ProgressReporter(title: "", total: 0)).finish("eval: \(tracks.count) \(split.name) tracks, \(trained.classes.count) tags"
            + (tuneThresholds ? ", thresholds tuned on validation" : ""))
        if let out {
            let dir = URL(fileURLWithPath: out), k = trained.classes.count
            try writeFileAtomically(report.jsonData(), to: dir.appendingPathComponent("metrics.json"))
            let scores = TagReport.trackScores(patchProbabilities: predictions.probabilities, patchTracks: predictions.patchTracks,
                                               trackCount: tracks.count, tags: k)
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
