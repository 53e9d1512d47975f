import ArgumentParser
import FileOutput
import Foundation
import MelCNN
import ToolSupport

struct EmbedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "embed",
        abstract: "Compute one embedding per track with a trained checkpoint.",
        discussion: """
        Each track's vector is the mean over its evaluation patches of the global-pooling \
        output (--layer pool) or of a dense layer (--layer fc1, fc2, ...); for a factor model \
        (trained on `prepare --targets` data), --layer factors gives the predicted factors, \
        which `melcnn recommend --candidates` ranks without running the audio again.
          melcnn embed --checkpoint best.h5 --data gtzan.h5 --out emb.h5
          melcnn embed --checkpoint best.h5 --split test --data gtzan.h5 --out emb.csv --layer fc1
          melcnn embed --checkpoint best.h5 --out mine.h5 ~/Music/*.mp3
        Audio files go through the DSP parameters of the checkpoint's data set. The output \
        is embeddings.h5 (/embeddings [tracks, dim], /tracks/path, /tracks/label) or a CSV.
        """
    )

    @OptionGroup var checkpointOption: CheckpointOption
    var checkpoint: String { checkpointOption.checkpoint }
    @Option(name: .long, parsing: .unconditional, help: "Data set to embed (instead of audio files).")
    var data: String?
    @Option(name: .long, parsing: .unconditional, help: "With --data: all, train, validation or test.")
    var split: SplitSelection = .all
    @Option(name: .long, parsing: .unconditional, help: "Output file: .h5 (embeddings.h5) or .csv.")
    var out: String
    @Option(name: .long, parsing: .unconditional, help: "Layer: pool (global pooling), fc1, fc2, ..., or factors (factor models).")
    var layer: String = "pool"
    @OptionGroup var threads: ThreadsOption
    @Argument(help: "Audio files to embed (instead of --data).")
    var audio: [String] = []

    func run() throws {
        let ext = (out as NSString).pathExtension.lowercased()
        guard ["h5", "hdf5", "csv"].contains(ext) else {
            throw CLIError("--out \(out): the output must end in .h5 or .csv")
        }
        if let input = ([checkpoint] + (data.map { [$0] } ?? []) + audio).first(where: { isSameFile($0, out) }) {
            throw CLIError("--out \(out): is the input file \(input); choose another output")
        }
        threads.apply()
        let trained = try TrainedModel(checkpointPath: checkpoint)
        let which = try EmbeddingLayer(name: layer, spec: trained.config.model, regressor: trained.isRegressor)
        let tracks: TrainingTracks
        switch (data, audio.isEmpty) {
        case let (data?, true):
            tracks = try trained.loadTracks(dataset: data, splits: split.splits)
        case (nil, false):
            // One file: its error is the answer. Several: unreadable ones are reported and skipped.
            tracks = try trained.tracks(fromAudio: audio, logMel: trained.dspConfig.logMelFunction(),
                                        onSkip: audio.count < 2 ? nil : { path, reason in Console.error("embed: skipped \(path): \(reason)") })
        default:
            throw CLIError("give either --data or audio files")
        }
        guard tracks.count > 0 else {
            throw CLIError(data.map { "\($0): nothing to embed: the \(split.rawValue) split holds no tracks" }
                ?? "nothing to embed: none of the \(audio.count) audio files (\(audio.first ?? "")...) could be read")
        }
        let progress = PatchProgress(title: "embed")
        let file = try trained.embed(tracks, layer: which, progress: progress.update)
        try file.write(to: out)
        progress.finish("embed: \(file.count) tracks x \(file.dim) (\(which)) -> \(out)")
        print("\(out): \(file.count) embeddings of dimension \(file.dim) from layer \(which)")
    }
}
