import ArgumentParser
import Foundation
import MelCNN
import ToolSupport

struct CVCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cv",
        abstract: "K-fold cross-validation of a config on a data set (stratified by class, grouped by /tracks/group).",
        discussion: """
        Splits every track of the data set (its train, validation and test splits together) into \
        --folds folds, stratified by class and grouped (no group, e.g. an album, in two folds; \
        ungrouped tracks are their own group). Each fold trains a fresh model from the config in \
        RUN/fold-<i>/ on the other folds, chooses best.h5 on a validation slice of them \
        (--validation inner, about --validation-fraction of their tracks), and evaluates best.h5 \
        on the held-out fold. Writes RUN/folds.csv, RUN/cv.csv and RUN/cv.json (per fold, mean and \
        standard deviation) and RUN/confusion.csv (track counts of all folds). Running again skips \
        finished folds and resumes an unfinished one (Ctrl-C saves its last.h5). With --members M \
        each fold trains M models that differ only in their seed (RUN/fold-<i>/member-<m>/) and is \
        scored on the mean of their probabilities, a seed ensemble; the single models' track \
        accuracies are printed beside it. Several --config join their models in one ensemble \
        (each with --members seeds), averaged per track.
          melcnn cv --config Configs/realmusic.yaml --data realmusic.h5 --folds 5 --run-dir cv-realmusic
          melcnn cv --config Configs/realmusic2d.yaml --data realmusic.h5 --members 3 --run-dir cv-seeds
          melcnn cv --config Configs/realmusic2d.yaml --config Configs/realmusic2d-3s.yaml --data realmusic.h5 --run-dir cv-ensemble
        """
    )

    @Option(name: .long, parsing: .unconditionalSingleValue, help: "Config YAML (Configs/*.yaml); repeat it to average the configs' models (an ensemble).")
    var config: [String]
    @Option(name: .long, parsing: .unconditional, help: "Data set written by `melcnn prepare`.")
    var data: String
    @Option(name: .long, parsing: .unconditional, help: "Number of folds (at least 2).")
    var folds: Int = 5
    @Option(name: .long, parsing: .unconditional, help: "Cross-validation folder (fold run folders, cv.csv, cv.json, confusion.csv).")
    var runDir: String
    @Option(name: .long, parsing: .unconditional, help: "Seed of the fold split and of each fold's training (default: train.seed).")
    var seed: Int?
    @Option(name: .long, parsing: .unconditional, help: "Repeat the cross-validation with seeds SEED, SEED+1, ...")
    var `repeat`: Int = 1
    @Option(name: .long, parsing: .unconditional, help: "Validation tracks per fold: inner (a slice of the training folds), fold (the held-out fold; optimistic) or none.")
    var validation: CrossValidation.ValidationChoice = .inner
    @Option(name: .long, parsing: .unconditional, help: "Share of the training folds' tracks held out for validation with --validation inner.")
    var validationFraction: Double = 0.1
    @Option(name: .long, parsing: .unconditional, help: "Override train.epochs.")
    var epochs: Int?
    @Option(name: .long, parsing: .unconditional, help: "Override train.threads (0 = all cores).")
    var threads: Int?
    @Option(name: .long, parsing: .unconditional, help: "Models per fold and config, seeds SEED + 1000 m (m = 0 ..< M), scored on their mean track probabilities (an ensemble).")
    var members: Int = 1
    @Option(name: .customLong("init"), parsing: .unconditional, help: "Start every fold from this checkpoint (transfer / fine-tuning, as train --init).")
    var initFrom: String?

    func run() throws {
        var configs: [MelCNNConfig] = []
        for path in config {
            var cfg = try MelCNNConfig.load(path: path)
            if let epochs { cfg.train.epochs = epochs }
            if let threads { cfg.train.threads = threads }
            try TrainCommand.validateOverridden(cfg)
            // Missing, not a data set, or other DSP parameters than a config: one error line before any output.
            try cfg.data.checkLogMel(MelDataset.logMelParameters(path: data), source: data, configSource: cfg.source)
            configs.append(cfg)
        }
        let cfg = configs[0]
        if let initFrom {   // a missing or mismatched checkpoint fails here, not after the first fold's lines
            try cfg.data.checkLogMel(Checkpoint.read(from: initFrom).logMel, source: initFrom, configSource: cfg.source)
        }
        let directory = URL(fileURLWithPath: runDir)
        let cv = try CrossValidationRun(config: cfg, dataset: data, directory: directory, folds: folds, seed: seed ?? cfg.train.seed,
                                        repeats: `repeat`, validation: validation, validationFraction: validationFraction)
        cv.initCheckpoint = initFrom
        cv.members = members
        cv.otherConfigs = Array(configs.dropFirst())
        let lock = try RunFolderLock(folder: directory)   // one cv per folder
        defer { lock.release() }
        InterruptFlag.install()
        let name: (Int, Int) -> String = { r, f in `repeat` > 1 ? "repeat \(r + 1) fold \(f + 1)/\(folds)" : "fold \(f + 1)/\(folds)" }
        var epochs = cfg.train.epochs   // of the member in training
        let results = try cv.run(shouldStop: { InterruptFlag.isRaised }) { event in
            switch event {
            case let .loaded(tracks, groups, classes):
                Console.error("cv: \(tracks) tracks in \(groups) groups, \(classes) classes, \(folds) folds -> \(directory.path)")
            case let .foldSkipped(r):
                Console.error("cv: \(name(r.repeatIndex, r.fold)) already finished (track accuracy "
                    + String(format: "%.1f%%)", 100 * r.trackAccuracy))
            case let .foldStarted(r, f, train, validation, test, resuming):
                Console.error("cv: \(name(r, f)): \(train) training / \(validation) validation / \(test) test tracks"
                    + (resuming ? " (resuming)" : ""))
            case let .training(.epochFinished(m, improved)):
                // Without validation tracks (--validation none) there are no validation columns.
                let validation = m.valLoss.isNaN ? "" : String(format: "  val loss %.4f  val track %.1f%%", m.valLoss, 100 * m.valTrackAccuracy)
                Console.error(String(format: "  epoch %ld/%ld  loss %.4f  acc %.1f%%", m.epoch, epochs, m.trainLoss, 100 * m.trainAccuracy)
                              + validation + String(format: "  %.1fs", m.seconds) + (improved ? "  *best" : ""))
            case let .memberStarted(m, count, resuming):
                epochs = configs[m / members].train.epochs
                Console.error("cv:   member \(m + 1)/\(count)" + (resuming ? " (resuming)" : ""))
            case let .warmStarted(report):
                for line in report.lines { Console.error("cv: \(line)") }
            case .training:
                break
            case let .foldFinished(r):
                print(String(format: "\(name(r.repeatIndex, r.fold))  patch %.2f%%  track %.2f%%  macro F1 %.4f  (best epoch %ld, %.0f s)",
                             100 * r.patchAccuracy, 100 * r.trackAccuracy, r.macroF1, r.bestEpoch, r.seconds)
                      + (r.memberTrackAccuracy.map { "  members' track " + $0.map { String(format: "%.2f%%", 100 * $0) }.joined(separator: " ") } ?? ""))
            }
        }
        guard let results else {
            Console.error("cv: interrupted; last.h5 of the current fold saved (run the same command again to resume)")
            return
        }
        let patch = CrossValidationRun.summary(results, \.patchAccuracy)
        let track = CrossValidationRun.summary(results, \.trackAccuracy)
        let f1 = CrossValidationRun.summary(results, \.macroF1)
        print(String(format: "mean ± std over %ld folds: patch accuracy %.2f ± %.2f%%, track accuracy %.2f ± %.2f%%, macro F1 %.4f ± %.4f",
                     results.count, 100 * patch.mean, 100 * patch.std, 100 * track.mean, 100 * track.std, f1.mean, f1.std))
        if let count = results.first?.members {
            let single = CrossValidation.meanAndStd(results.map { CrossValidation.meanAndStd($0.memberTrackAccuracy ?? []).mean })
            print(String(format: "single models (mean of the %ld members per fold): track accuracy %.2f ± %.2f%%", count, 100 * single.mean, 100 * single.std))
        }
        print("wrote \(directory.appendingPathComponent("cv.csv").path), cv.json and confusion.csv")
    }
}

/// `--validation inner|fold|none`.
extension CrossValidation.ValidationChoice: ExpressibleByArgument {}
