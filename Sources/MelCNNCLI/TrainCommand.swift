import ArgumentParser
import Foundation
import MelCNN
import ToolSupport

struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train the CNN of a config on a data set (dataset.h5 from `melcnn prepare`).",
        discussion: """
        Writes Checkpoints/<run>/ (or --run-dir): last.h5 after every epoch, best.h5 on the \
        best validation track accuracy, metrics.csv, curves.svg (learning curves) and config.yaml \
        (the resolved config).
          melcnn train --config Configs/gtzan.yaml --data gtzan.h5 --run gtzan-1
          melcnn train --config Configs/demo.yaml --data demo.h5 --epochs 3 --threads 1
          melcnn train --run gtzan-1 --data gtzan.h5 --resume
        A run folder that already holds last.h5 or best.h5 is not overwritten: pass \
        --resume to continue it or --overwrite to start again. A run folder is locked \
        (RUN/.lock) while a train runs in it: a second train there fails at once.
        Ctrl-C saves last.h5 and exits; --resume continues from it with the optimiser and \
        random-number state, ending with the same weights as an uninterrupted run. With \
        --resume the config comes from the run's last.h5 unless --config is given; flags \
        still override it.
        --init CHECKPOINT starts a new run from another run's weights (matching names and \
        shapes load; the output layer is replaced when the classes differ) and prints what \
        was loaded, skipped and new; train.freeze in the config keeps named layers fixed.
          melcnn train --config Configs/gtzan.yaml --data small.h5 --run small-ft --init Checkpoints/gtzan-1/best.h5
        """
    )

    @Option(name: .long, parsing: .unconditional, help: "Config YAML (Configs/*.yaml). Required unless --resume.")
    var config: String?
    @Option(name: .long, parsing: .unconditional, help: "Data set written by `melcnn prepare`.")
    var data: String
    @Option(name: .customLong("run"), parsing: .unconditional, help: "Run name: the run folder is Checkpoints/<run>.")
    var runName: String?
    @Option(name: .long, parsing: .unconditional, help: "Run folder (instead of Checkpoints/<run>).")
    var runDir: String?
    @Option(name: .long, parsing: .unconditional, help: "Override train.epochs.")
    var epochs: Int?
    @Option(name: .long, parsing: .unconditional, help: "Override train.batch_size.")
    var batchSize: Int?
    @Option(name: .long, parsing: .unconditional, help: "Override train.lr.")
    var lr: Double?
    @Option(name: .long, parsing: .unconditional, help: "Override train.seed.")
    var seed: Int?
    @Option(name: .long, parsing: .unconditional, help: "Override train.threads (0 = all cores).")
    var threads: Int?
    @Option(name: .long, parsing: .unconditional, help: "Override train.steps_per_epoch (0 = one pass over the training frames).")
    var stepsPerEpoch: Int?
    @Option(name: .long, parsing: .unconditional, help: "Override train.patience (0 = no early stopping).")
    var patience: Int?
    @Option(name: .customLong("init"), parsing: .unconditional, help: "Start from another run's checkpoint (transfer / fine-tuning).")
    var initFrom: String?
    @Flag(name: .long, help: "Continue the run from its last.h5.")
    var resume = false
    @Flag(name: .long, help: "Start again in a run folder that already holds checkpoints (they are replaced).")
    var overwrite = false
    @Flag(name: .long, help: "Data-parallel training over MPI (automatic under Open MPI's mpirun/srun; see docs/distributed.md).")
    var distributed = false
    @Option(name: .long, parsing: .unconditional, help: "Under MPI: seconds a collective may wait for the other ranks before the run stops with an error (0 = no limit).")
    var mpiTimeout: Double = 600
    @Flag(name: .long, inversion: .prefixedNo, help: "Under MPI: sum the gradients while the backward pass runs (--no-mpi-overlap: after it).")
    var mpiOverlap = true

    func run() throws {
        let mpi = try startDistributed()   // nil: one process
        if initFrom != nil, resume {
            throw CLIError("--init and --resume exclude each other (--resume continues the run's own last.h5)")
        }
        let runDirectory = try RunFolder.resolve(folder: runDir, name: runName, configPath: config, resuming: resume)
        var cfg: MelCNNConfig
        if let config {
            cfg = try MelCNNConfig.load(path: config)
        } else if resume {
            let last = runDirectory.appendingPathComponent("last.h5").path
            cfg = try Checkpoint.read(from: last).config(path: last)
        } else {
            throw CLIError("--config is required (unless --resume)")
        }
        try applyOverrides(&cfg)
        if resume, !FileManager.default.fileExists(atPath: runDirectory.appendingPathComponent("last.h5").path) {
            throw MelCNNError.missingFile(path: runDirectory.appendingPathComponent("last.h5").path, what: "checkpoint to resume")
        }
        if resume && overwrite { throw CLIError("--resume and --overwrite exclude each other") }
        // One run per folder: a second process fails here at once, naming the holder's PID.
        let lock = try mpi?.isWriter == false ? nil : RunFolderLock(folder: runDirectory)   // under MPI, rank 0 holds it
        defer { lock?.release() }
        try RunFolder.checkNewRun(in: runDirectory, resuming: resume, overwriting: overwrite)
        _ = try MelDataset.logMelParameters(path: data)  // missing or not a data set: one error line, before the progress line
        let reports = mpi?.isWriter ?? true   // under MPI, rank 0 alone reports
        if reports { Console.error("train: loading \(data)") }
        let tracks = try TrainingTracks.load(path: data, splits: [.train, .validation], storage: cfg.data.storage,
                                             memoryBudget: cfg.data.memoryBudget)  // the test split is for `melcnn eval`
        if reports, tracks.isStreaming { Console.error("train: streaming patches from \(data) (log-mels larger than data.memory_budget_mb or data.storage: stream)") }
        let trainer = try Trainer(config: cfg, tracks: tracks, runDirectory: runDirectory)
        if let mpi {
            try mpi.configure(cfg.train)
            trainer.distributed = mpi
            try mpi.world.barrier("MPI_Barrier before training (every rank checked its config, data and run folder)")
        }
        if let initFrom {
            for line in try trainer.warmStart(from: initFrom).lines where reports { Console.error("train: \(line)") }
        }
        InterruptFlag.install()
        var progress: ProgressReporter?
        let batch = cfg.train.batchSize
        let result = try trainer.run(resume: resume, shouldStop: { InterruptFlag.isRaised }) { event in
            guard reports else { return }
            switch event {
            case let .started(parameters, steps, firstEpoch, trainTracks, validationTracks):
                Console.error("train: \(parameters) parameters, \(trainTracks) training / \(validationTracks) validation tracks, "
                    + "\(steps) steps of \(batch) per epoch, epochs \(firstEpoch)-\(cfg.train.epochs), run folder \(runDirectory.path)")
            case let .step(epoch, step, of, loss, accuracy):
                if progress == nil {
                    progress = ProgressReporter(title: "epoch \(epoch)/\(cfg.train.epochs)", total: of, unit: "samples",
                                                unitsPerItem: Double(batch))
                }
                progress?.update(step, status: tracks.isRegression ? String(format: "loss %.4f", loss)
                                 : String(format: "loss %.4f acc %.1f%%", loss, 100 * accuracy))
            case .validating:
                break
            case let .epochFinished(m, improved):
                // A tag model reports validation macro PR-AUC and ROC-AUC where a genre model reports accuracies.
                let (patchName, trackName) = tracks.isTagged ? ("PR-AUC", "ROC-AUC") : ("patch", "track")
                let line = String(format: "epoch %ld/%ld  loss %.4f  acc %.1f%%  val loss %.4f  val \(patchName) %.1f%%  val \(trackName) %.1f%%  lr %.2g  %.0f samples/s  %.1fs  data wait %.1f%%",
                                  m.epoch, cfg.train.epochs, m.trainLoss, 100 * m.trainAccuracy, m.valLoss,
                                  100 * m.valPatchAccuracy, 100 * m.valTrackAccuracy, m.lr, m.samplesPerSecond,
                                  m.seconds, 100 * m.dataWaitShare) + (improved ? "  *best" : "")
                // A factor model has a loss and nothing else: no accuracy columns.
                let shown = !tracks.isRegression ? line : String(format: "epoch %ld/%ld  loss %.4f  val loss %.4f  lr %.2g  %.0f samples/s  %.1fs  data wait %.1f%%",
                    m.epoch, cfg.train.epochs, m.trainLoss, m.valLoss, m.lr, m.samplesPerSecond, m.seconds, 100 * m.dataWaitShare) + (improved ? "  *best" : "")
                if let progress { progress.finish(shown) } else { Console.error(shown) }
                progress = nil
            case let .message(text):
                Console.error("train: \(text)")
            }
        }
        progress?.finish("")
        if let mpi { try finishDistributed(mpi) }
        guard reports else { return }
        switch result.stop {
        case .interrupted:
            Console.error("train: interrupted at step \(result.steps); saved \(result.lastCheckpoint.path) (continue with --resume)")
        case .earlyStopping:
            Console.error("train: early stopping after epoch \(result.epochsCompleted) (no better validation track accuracy for \(cfg.train.patience) epochs)")
        case .completed:
            break
        }
        Console.error(String(format: "train: data wait %.1f%% of step time", 100 * result.dataWaitShare))
        print("best: \(result.bestCheckpoint.path) (epoch \(result.bestEpoch)" +
              (result.bestValTrackAccuracy.isNaN ? ")" : ", validation \(tracks.isTagged ? "macro ROC-AUC" : "track accuracy") "
                                                                + String(format: "%.2f%%)", 100 * result.bestValTrackAccuracy)))
        print("last: \(result.lastCheckpoint.path) (epoch \(result.epochsCompleted), step \(result.steps))")
    }

    func applyOverrides(_ cfg: inout MelCNNConfig) throws {
        if let epochs { cfg.train.epochs = epochs }
        if let batchSize { cfg.train.batchSize = batchSize }
        if let lr { cfg.train.lr = lr }
        if let seed { cfg.train.seed = seed }
        if let threads { cfg.train.threads = threads }
        if let stepsPerEpoch { cfg.train.stepsPerEpoch = stepsPerEpoch }
        if let patience { cfg.train.patience = patience }
        try Self.validateOverridden(cfg)
    }

    /// Validates a config after command-line overrides, naming the flag when an override is what broke it.
    static func validateOverridden(_ cfg: MelCNNConfig) throws {
        do {
            try cfg.validate()
        } catch let error as ConfigError {
            let flag = "--" + (error.key.split(separator: ".").last.map(String.init) ?? error.key).replacingOccurrences(of: "_", with: "-")
            throw ConfigError(file: "command line", key: flag, message: error.message)
        }
    }
}
