import ArgumentParser
import Audio
import Foundation
import MelCNN
import ToolSupport

struct PredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Predict the genres of audio files with a trained checkpoint.",
        discussion: """
        Each file is cut into the checkpoint's patches, and the class probabilities are \
        averaged over the patches.
          melcnn predict --checkpoint Checkpoints/gtzan-1/best.h5 song.mp3 other.flac
          melcnn predict --checkpoint best.h5 --top 5 --json song.wav
        With a tag model, every tag whose probability (mean of the patch sigmoids) is at least \
        --threshold is printed, most probable first. Several --checkpoint (models of the same \
        classes, e.g. the members of a `cv` ensemble trained with `train`) are an ensemble: each \
        model cuts its own patches and the track probabilities are averaged.
          melcnn predict --checkpoint run-1s/best.h5 --checkpoint run-3s/best.h5 song.ogg
        """
    )

    @Option(name: .long, parsing: .unconditionalSingleValue,
            help: "Checkpoint (best.h5 or last.h5 of a run); repeat it to average several models of the same classes (an ensemble).")
    var checkpoint: [String]
    @Option(name: .long, parsing: .unconditional, help: "Number of genres to show per file.")
    var top: Int = 3
    @Option(name: .long, parsing: .unconditional, help: "Tag models: print the tags with at least this probability.")
    var threshold: Float = 0.5
    @Flag(name: .long, help: "Print JSON instead of text.")
    var json = false
    @OptionGroup var threads: ThreadsOption
    @Argument(help: "Audio files.")
    var audio: [String]

    func validate() throws {
        guard top >= 1 else { throw CLIError("--top must be >= 1, got \(top)") }
        guard !audio.isEmpty else { throw CLIError("give at least one audio file") }
        guard threshold.isFinite, threshold >= 0, threshold <= 1 else {
            throw CLIError("--threshold must be in [0, 1], got \(threshold)")
        }
    }

    func run() throws {
        threads.apply()
        let ensemble = try ModelEnsemble(models: checkpoint.map { try TrainedModel(checkpointPath: $0) })
        let trained = ensemble.models[0]
        var skipped = 0
        // One file: its error is the answer. Several: unreadable ones are reported and skipped.
        let tracks = try trained.tracks(fromAudio: audio, logMel: trained.dspConfig.logMelFunction(),
                                        onSkip: audio.count < 2 ? nil : { path, reason in
            Console.error("predict: skipped \(path): \(reason)")
            skipped += 1
        })
        let probabilities = try ensemble.trackProbabilities(tracks)
        var rows: [PredictionJSON] = []
        for (path, probs) in zip(tracks.paths, probabilities) {
            let sorted = probs.indices.sorted { probs[$0] > probs[$1] }
            let ranked = trained.isTagger ? sorted.filter { probs[$0] >= threshold }[...] : sorted.prefix(top)
            if json {
                rows.append(PredictionJSON(path: path, tagger: trained.isTagger,
                                           ranked: ranked.map { (name: trained.classes[$0], probability: Rounded(probs[$0])) }))
            } else {
                print(PathBytes.display(path))
                for c in ranked { print(String(format: "  %6.2f%%  ", 100 * probs[c]) + trained.classes[c]) }
                if ranked.isEmpty { print(String(format: "  (no tag with probability >= %.2f)", threshold)) }
            }
        }
        if json { try printJSON(rows) }
        if skipped > 0 { throw ExitCode.failure }  // like `info`: the readable files are answered, the status says not all were
    }
}

/// One file of `predict --json`: `{"path", "top": [{"genre", "probability"}]}` for a genre model,
/// `{"path", "tags": [{"tag", "probability"}]}` for a tag model.
private struct PredictionJSON: Encodable {
    let path: String
    let tagger: Bool
    let ranked: [(name: String, probability: Rounded)]

    private struct Key: CodingKey {
        let stringValue: String
        var intValue: Int? { nil }
        init(_ string: String) { stringValue = string }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { return nil }
    }

    func encode(to encoder: Encoder) throws {
        var object = encoder.container(keyedBy: Key.self)
        try object.encode(path, forKey: Key("path"))
        var list = object.nestedUnkeyedContainer(forKey: Key(tagger ? "tags" : "top"))
        for item in ranked {
            var entry = list.nestedContainer(keyedBy: Key.self)
            try entry.encode(item.name, forKey: Key(tagger ? "tag" : "genre"))
            try entry.encode(item.probability, forKey: Key("probability"))
        }
    }
}
