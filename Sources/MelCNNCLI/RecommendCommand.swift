import ArgumentParser
import Audio
import Foundation
import MelCNN
import Tensor
import ToolSupport

/// `melcnn recommend`: tracks for a listener from latent factors, and their offline evaluation.
struct RecommendCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recommend",
        abstract: "Recommend tracks to a listener from latent factors, or evaluate factors on held-out plays.",
        discussion: """
        Ranks every track of a factors file (from `melcnn factors`) by x_user . y_track.
          melcnn recommend --factors factors.h5 --user listener00042 --top 10 --exclude-played
          melcnn recommend --factors factors.h5 --eval
          melcnn recommend --checkpoint run/best.h5 --factors factors.h5 --user listener00042 --candidates new-audio/
          melcnn recommend --factors factors.h5 --user listener00042 --candidates predicted.h5
        With --checkpoint (a factor model trained on `prepare --targets` data) and --candidates \
        (audio files or folders), ranks those files, which need not be in the listening data \
        (cold start), by x_user . (factors predicted from their audio). --candidates may instead \
        be one .h5 file of factors predicted earlier (`melcnn embed --layer factors`), without --checkpoint.
        --eval reports mAP@k (k = 500) and AUC per user, averaged, on the held-out plays \
        stored by `melcnn factors --holdout`, for the factors and for the popularity and \
        random baselines.
        """
    )

    @Option(name: .long, parsing: .unconditional, help: "Factors file written by `melcnn factors` (.h5).")
    var factors: String
    @Option(name: .long, parsing: .unconditional, help: "User id (as in the play-count file).")
    var user: String?
    @Option(name: .long, parsing: .unconditional, help: "Number of tracks to list.")
    var top: Int = 10
    @Flag(name: .customLong("exclude-played"), help: "Leave out the tracks the user played (in the training plays).")
    var excludePlayed = false
    @Flag(name: .long, help: "Evaluate on the held-out plays instead of recommending.")
    var eval = false
    @Option(name: .long, parsing: .unconditional, help: "With --eval: cut-off of average precision.")
    var k: Int = 500
    @Option(name: .long, parsing: .unconditional, help: "With --eval: seed of the random baseline.")
    var seed: UInt64 = 0
    @Option(name: .long, parsing: .unconditional, help: "Factor model (trained on `prepare --targets` data) predicting factors of --candidates.")
    var checkpoint: String?
    @Option(name: .long, parsing: .upToNextOption, help: "Audio files or folders (searched recursively) to rank with --checkpoint, or one .h5 of `embed --layer factors`.")
    var candidates: [String] = []
    @Flag(name: .long, help: "Print JSON instead of text.")
    var json = false
    @OptionGroup var threads: ThreadsOption

    func validate() throws {
        guard top >= 1 else { throw CLIError("--top must be >= 1, got \(top)") }
        guard k >= 1 else { throw CLIError("--k must be >= 1, got \(k)") }
    }

    func run() throws {
        threads.apply()
        let file = try FactorsFile.read(from: factors)
        if eval {
            guard user == nil else { throw CLIError("give either --eval or --user") }
            guard file.holdout.nonzeros > 0 else {
                throw CLIError("\(factors): holds no held-out plays (write it with `melcnn factors --holdout 0.2`)")
            }
            let rows = file.evaluate(k: k, seed: seed, threads: Threads.count)
            if json {
                try printJSON(EvaluationJSON(factors: factors, k: k, evaluation: rows.map(RecommendationRow.init)))
            } else {
                printEvaluation(rows, k: k)
            }
            return
        }
        guard let user else { throw CLIError("give --user (or --eval)") }
        guard let u = file.userIndex(user) else {
            throw CLIError("\(factors): no user \(user) (the file has \(file.userIDs.count) users)")
        }
        if checkpoint != nil || !candidates.isEmpty {
            try recommendAudio(file, user: user, userRow: u)
            return
        }
        let played = Set(file.train.indices[file.train.indptr[u] ..< file.train.indptr[u + 1]].map { Int($0) })
        let hits = file.recommend(user: u, k: top, exclude: excludePlayed ? played : [])
        if json {
            try printJSON(UserTracksJSON(user: user, candidates: nil, tracks: hits.map {
                .init(track: file.trackIDs[$0.track], path: nil, score: Rounded($0.score), played: played.contains($0.track))
            }))
        } else {
            print("tracks for \(user) (\(played.count) played\(excludePlayed ? ", left out" : "")):")
            for (rank, hit) in hits.enumerated() {
                print(String(format: "%3d. %.4f  ", rank + 1, hit.score) + file.trackIDs[hit.track] + (played.contains(hit.track) ? "  (played)" : ""))
            }
        }
    }
}

extension RecommendCommand {
    /// Cold start: ranks the audio files of --candidates for row `u` of `file` by the dot
    /// product of the user's factors with the factors `checkpoint` predicts from each file.
    func recommendAudio(_ file: FactorsFile, user: String, userRow u: Int) throws {
        if candidates.count == 1, ["h5", "hdf5"].contains((candidates[0] as NSString).pathExtension.lowercased()) {
            try recommendPredicted(file, user: user, userRow: u, path: candidates[0])
            return
        }
        guard let checkpoint else { throw CLIError("--candidates needs --checkpoint (a factor model)") }
        guard !candidates.isEmpty else { throw CLIError("--checkpoint needs --candidates (audio files or folders)") }
        let trained = try TrainedModel(checkpointPath: checkpoint)
        guard trained.isRegressor else {
            throw CLIError("--checkpoint \(checkpoint): is not a factor model (train it on a data set prepared with --targets)")
        }
        guard trained.classes.count == file.factors else {
            throw CLIError("--checkpoint \(checkpoint): predicts \(trained.classes.count) factors, \(factors) holds \(file.factors)")
        }
        let (paths, unused) = try FeatureTable.audioFiles(in: candidates)
        for entry in unused { Console.error("recommend: skipped \(entry.path): \(entry.reason)") }
        guard !paths.isEmpty else { throw CLIError("--candidates: no audio files found in \(candidates.joined(separator: ", "))") }
        let tracks = try trained.tracks(fromAudio: paths, logMel: trained.dspConfig.logMelFunction()) { path, reason in
            Console.error("recommend: skipped \(path): \(reason)")
        }
        let p = try trained.predict(tracks)
        let predicted = trained.trackProbabilities(p, tracks: tracks.count).flatMap { $0 }   // mean predicted factors per track
        try printRanking(file.rank(user: u, candidates: predicted, top: top), paths: tracks.paths.map(PathBytes.display),
                     user: user, source: "factors predicted by \(checkpoint)")
    }

    /// Ranks the tracks of an embeddings file of predicted factors (`embed --layer factors`).
    func recommendPredicted(_ file: FactorsFile, user: String, userRow u: Int, path: String) throws {
        guard checkpoint == nil else {
            throw CLIError("--candidates \(path): holds predicted factors already; leave out --checkpoint")
        }
        let predicted = try EmbeddingsFile.readPredictedFactors(from: path, factors: file.factors)
        try printRanking(file.rank(user: u, candidates: predicted.vectors, top: top), paths: predicted.paths,
                     user: user, source: "factors from \(path)")
    }

    func printRanking(_ ranked: [(candidate: Int, score: Float)], paths: [String], user: String, source: String) throws {
        if json {
            try printJSON(UserTracksJSON(user: user, candidates: paths.count, tracks: ranked.map {
                .init(track: nil, path: paths[$0.candidate], score: Rounded($0.score), played: nil)
            }))
        } else {
            print("audio for \(user) (\(paths.count) candidates, \(source)):")
            for (rank, hit) in ranked.enumerated() {
                print(String(format: "%3d. %.4f  ", rank + 1, hit.score) + paths[hit.candidate])
            }
        }
    }
}

/// `recommend --eval --json`.
private struct EvaluationJSON: Encodable {
    let factors: String
    let k: Int
    let evaluation: [RecommendationRow]
}

/// `recommend --user U --json`: the user's tracks (ids of the factors file) or, cold start,
/// audio files (paths) with their scores, best first. Absent fields are left out.
private struct UserTracksJSON: Encodable {
    struct Track: Encodable {
        let track: String?
        let path: String?
        let score: Rounded
        let played: Bool?
    }

    let user: String
    let candidates: Int?
    let tracks: [Track]
}
