import ArgumentParser
import Foundation
import MelCNN
import ToolSupport

/// `melcnn prepare`: an audio folder -> a log-mel dataset.h5.
struct PrepareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prepare",
        abstract: "Turn a folder of audio files into a log-mel HDF5 data set (dataset.h5).",
        discussion: """
            Finds audio files below AUDIO_DIR recursively; the label is the parent folder
            (GTZAN layout) or comes from a CSV manifest (path,label). Log-mel spectrograms
            (the config's `data` section; defaults 22050 Hz, n_fft 2048, hop 512, 128 mels,
            power 2, top_db 80) are computed in parallel and streamed into /mels. Tracks are
            split stratified by label with a seed, or by three split files. Files that cannot
            be read are reported, recorded in /skipped, and the run goes on.

            Examples:
              melcnn prepare synth-data --out data.h5
              melcnn prepare gtzan/genres --out gtzan.h5 --split-files train.txt,valid.txt,test.txt
              melcnn prepare fma_small --manifest labels.csv --out fma.h5 --config Configs/gtzan.yaml
              melcnn prepare --fma fma_metadata/tracks.csv --subset small --out fma.h5
              melcnn prepare synth-data --targets factors.h5 --out factor-data.h5   # cold start
              melcnn prepare music --shard 0/4 --out part0.h5   # then: melcnn merge part*.h5 --out data.h5
            """
    )

    @Argument(help: "Folder of audio files (searched recursively); not with --fma.") var audioDir: String?
    @Option(parsing: .unconditional, help: "Output data set (.h5), written atomically.") var out: String
    @Option(parsing: .unconditional, help: "YAML config whose `data` section gives the DSP parameters.") var config: String?
    @Option(parsing: .unconditional, help: "Stratified split fractions train,validation,test.", transform: SplitSpec.fractions(argument:)) var split: SplitSpec?
    @Option(name: .customLong("split-files"), parsing: .unconditional, help: "Three files of relative paths: train,validation,test.", transform: SplitSpec.files(argument:)) var splitFiles: SplitSpec?
    @Option(parsing: .unconditional, help: "CSV manifest of path,label lines (paths relative to AUDIO_DIR); a header path,tags (tags separated by ;) makes a multi-label set.") var manifest: String?
    @Option(parsing: .unconditional, help: "Parallel jobs (default: number of cores).") var jobs: Int = ProcessInfo.processInfo.activeProcessorCount
    @Option(parsing: .unconditional, help: "Seed of the stratified split.") var seed: UInt64 = 0
    @Option(parsing: .unconditional, help: "gzip level of /mels, 0 (none: fastest, ~20% larger) to 9.") var compression: Int = 1
    @Option(parsing: .unconditional, help: "Write part I of N (0-based: every N-th input) for `melcnn merge`.", transform: PrepareShard.shard(argument:)) var shard: PrepareShard?
    @Option(parsing: .unconditional, help: "FMA's fma_metadata/tracks.csv: labels from track.genre_top, splits from set.split.") var fma: String?
    @Option(parsing: .unconditional, help: "FMA subset with --fma: small, medium or large (nested).") var subset: FMAMetadata.Subset?
    @Option(parsing: .unconditional, help: "Factors file (`melcnn factors`): store each track's factors as regression targets (track id = path below AUDIO_DIR); tracks without factors are skipped.") var targets: String?
    @Option(name: .customLong("audio-dir"), parsing: .unconditional, help: "FMA audio folder with --fma (default: fma_SUBSET next to fma_metadata).") var fmaAudioDir: String?

    @Option(name: .long, parsing: .unconditional, help: "Under mpirun: seconds a rank may wait for the others' parts before the run stops with an error (0 = no limit).")
    var mpiTimeout: Double = 0

    func run() throws {
        if MPIWorld.isLaunchedByMPI { return try runUnderMPI() }   // PrepareDistributed.swift
        let (options, folder) = try resolvedOptions()
        print(try prepare(folder: folder, options: options, output: out, progressShown: true).line)
    }

    /// The options and the audio folder from the flags (reads tracks.csv with --fma).
    func resolvedOptions() throws -> (PrepareOptions, String) {
        var options = PrepareOptions(jobs: jobs, seed: seed, compressionLevel: compression)
        if let config { options.data = try MelCNNConfig.load(path: config).data }
        if split != nil && splitFiles != nil {
            throw CLIError.flag("--split-files", "cannot be combined with --split")
        }
        if let split = split ?? splitFiles { options.split = split }
        options.manifest = manifest
        options.shard = shard
        if let targets {
            guard fma == nil else { throw CLIError.flag("--targets", "cannot be combined with --fma") }
            options.targets = try FactorTargets(factorsFile: targets)
        }
        let folder = try inputFolder(&options)
        return (options, folder)
    }

    /// Runs DatasetPreparer with skipped files and warnings on stderr, and a progress bar
    /// when `progressShown`.
    func prepare(folder: String, options: PrepareOptions, output: String, progressShown: Bool) throws -> PrepareSummary {
        var progress: ProgressReporter?
        let summary = try DatasetPreparer.prepare(audioDirectory: folder, output: output, options: options) { event in
            switch event {
            case let .progress(done, total):
                guard progressShown else { return }
                if progress == nil { progress = ProgressReporter(label: "prepare", total: total) }
                progress?.update(done)
            case let .skipped(path, reason):
                let text = "prepare: skipped \(path): \(reason)"
                if let progress { progress.message(text) } else { Console.error(text) }
            case let .warning(text):
                if let progress { progress.message("prepare: warning: \(text)") } else { Console.error("prepare: warning: \(text)") }
            }
        }
        progress?.finish()
        return summary
    }

    /// The audio folder; with --fma also reads tracks.csv into `options.fma`.
    private func inputFolder(_ options: inout PrepareOptions) throws -> String {
        guard let fma else {
            for (flag, given) in [("--subset", subset != nil), ("--audio-dir", fmaAudioDir != nil)] where given {
                throw CLIError.flag(flag, "is an FMA option; use it with --fma PATH/fma_metadata/tracks.csv")
            }
            guard let audioDir else { throw CLIError.flag("AUDIO_DIR", "missing: give an audio folder (or --fma tracks.csv)") }
            return audioDir
        }
        for (flag, given) in [("AUDIO_DIR", audioDir != nil), ("--manifest", manifest != nil), ("--split", split != nil),
                              ("--split-files", splitFiles != nil)] where given {
            throw CLIError.flag(flag, "cannot be combined with --fma (FMA gives files, labels and splits; the audio folder is --audio-dir)")
        }
        guard let chosen = subset else {
            throw CLIError.flag("--subset", "expected small, medium or large with --fma, got nothing")
        }
        let folder = fmaAudioDir ?? FMAMetadata.defaultAudioDirectory(tracksCSV: fma, subset: chosen)
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDir), isDir.boolValue else {
            throw DataError.missingInput(path: folder, what: "FMA audio folder (--audio-dir)")
        }
        options.fma = try FMAMetadata.inputs(tracksCSV: fma, subset: chosen, audioDirectory: folder)
        return folder
    }
}

/// `--subset small|medium|large`.
extension FMAMetadata.Subset: ExpressibleByArgument {}
