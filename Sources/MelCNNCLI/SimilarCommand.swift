import ArgumentParser
import Foundation
import MelCNN

struct SimilarCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "similar",
        abstract: "Find the tracks most similar to a track or an audio file (cosine similarity of embeddings).",
        discussion: """
        Content-based recommendation: ranks every track of an embeddings file (from \
        `melcnn embed`) by the cosine similarity of its embedding to the query's.
          melcnn similar --embeddings emb.h5 --track blues/blues.00042.wav --k 5
          melcnn similar --embeddings emb.h5 --audio song.mp3 --checkpoint run/best.h5
          melcnn similar --embeddings emb.h5 --track a.wav --track b.wav --exclude-queries
          melcnn similar --embeddings emb.h5 --eval --k 5
          melcnn similar --embeddings emb.h5 --eval --k 5 --data gtzan.h5 --split test
        --track matches the stored path exactly or by its ending; several --track make a \
        playlist query (the mean of their unit-length embeddings). --eval reports \
        precision@k: the mean share of each track's k nearest neighbours that carry its \
        label, a number to compare checkpoints by; --data D --split S keeps queries and \
        neighbours to the tracks of split S of data set D. Search is exact (BLAS blocks): \
        O(tracks x dim) per query, O(tracks^2 x dim) for --eval.
        """
    )

    @OptionGroup var embeddingsOption: EmbeddingsOption
    var embeddings: String { embeddingsOption.embeddings }
    @Option(name: .long, parsing: .unconditionalSingleValue, help: "Query: a track path stored in the embeddings file (or its unique ending); repeat for a playlist.")
    var track: [String] = []
    @Flag(name: .customLong("exclude-queries"), help: "Leave the query tracks out of the results (always done for a single --track).")
    var excludeQueries = false
    @Option(name: .long, parsing: .unconditional, help: "With --eval and --split: the data set (dataset.h5) whose /tracks/split assigns the tracks.")
    var data: String?
    @Option(name: .long, parsing: .unconditional, help: "With --eval: restrict queries and neighbours to this split (train, validation, test) of --data.")
    var split: TrainingTracks.Split?
    @Option(name: .long, parsing: .unconditional, help: "Query: an audio file, embedded with --checkpoint.")
    var audio: String?
    @Option(name: .long, parsing: .unconditional, help: "Checkpoint used to embed --audio (the one the embeddings came from).")
    var checkpoint: String?
    @Option(name: .long, parsing: .unconditional, help: "Number of neighbours.")
    var k: Int = 10
    @Flag(name: .long, help: "Report precision@k over the whole embeddings file instead of one query.")
    var eval = false
    @Flag(name: .long, help: "Print JSON instead of a table.")
    var json = false
    @OptionGroup var threads: ThreadsOption

    func validate() throws {
        guard k >= 1 else { throw CLIError("--k must be >= 1, got \(k)") }
    }

    func run() throws {
        let file = try EmbeddingsFile.read(from: embeddings)
        let index = file.index()
        if eval {
            threads.apply()
            let rows = try splitRows(file)
            let p = index.precisionAtK(k, rows: rows)
            let n = rows?.count ?? file.count
            let scope = split.map { " of the \($0.name) split" } ?? ""
            if json {
                try printJSON(PrecisionJSON(embeddings: embeddings, k: k, tracks: n, split: split?.name ?? "all", precisionAtK: Rounded(p)))
            } else {
                print("precision@\(k)  " + String(format: "%.4f", p) + "  (\(n) tracks\(scope), \(file.layer) embeddings)")
            }
            return
        }
        guard data == nil, split == nil else { throw CLIError("--data and --split go with --eval") }
        let query: [Float], exclude: Set<Int>, queryName: String
        switch (track.isEmpty ? nil : track, audio) {
        case let (tracks?, nil):
            var rows: [Int] = []
            for t in tracks {
                guard let i = index.index(of: t) else {
                    throw CLIError("\(embeddings): no single track matches --track \(t)")
                }
                rows.append(i)
            }
            query = rows.count == 1 ? index.vector(at: rows[0]) : index.playlistQuery(rows)
            exclude = rows.count == 1 || excludeQueries ? Set(rows) : []
            queryName = rows.count == 1 ? file.paths[rows[0]] + " (\(file.labelName(rows[0])))"
                : "a playlist of \(rows.count) tracks (\(rows.map { file.paths[$0] }.joined(separator: ", ")))"
        case let (nil, a?):
            guard let checkpoint else { throw CLIError("--audio needs --checkpoint") }
            threads.apply()
            query = try TrainedModel(checkpointPath: checkpoint).embedding(ofAudioFile: a, layer: file.layer)
            guard query.count == file.dim else {
                throw CLIError("\(checkpoint): its \(file.layer) embeddings have \(query.count) values, \(embeddings) has \(file.dim)")
            }
            exclude = []
            queryName = a
        default:
            throw CLIError("give exactly one of --track and --audio (or --eval)")
        }
        let hits = index.nearest(to: query, k: k, excluding: exclude)
        if json {
            try printJSON(NeighborsJSON(query: queryName, neighbors: hits.map {
                .init(path: file.paths[$0.index], label: file.labelName($0.index), score: Rounded($0.score))
            }))
        } else {
            print("tracks most similar to \(queryName):")
            for (rank, hit) in hits.enumerated() {
                print(String(format: "%3d. %.4f  ", rank + 1, hit.score) + "\(file.paths[hit.index])  (\(file.labelName(hit.index)))")
            }
        }
    }
}

extension SimilarCommand {
    /// With --split: the rows of the embeddings file whose path lies in that split of --data.
    func splitRows(_ file: EmbeddingsFile) throws -> [Int]? {
        guard let split else {
            guard data == nil else { throw CLIError("--data needs --split") }
            return nil
        }
        guard let data else { throw CLIError("--split needs --data (the data set that assigns the splits)") }
        let inSplit = try TrainingTracks.paths(in: data, split: split)
        let rows = file.paths.indices.filter { inSplit.contains(file.paths[$0]) }
        guard rows.count > 1 else {
            throw CLIError("\(embeddings): \(rows.count) of its tracks are in the \(split.name) split of \(data); need at least 2")
        }
        return rows
    }
}

/// `similar --eval --json`.
private struct PrecisionJSON: Encodable {
    let embeddings: String
    let k, tracks: Int
    let split: String
    let precisionAtK: Rounded
}

/// `similar --json`: the query and its neighbours, most similar first.
private struct NeighborsJSON: Encodable {
    struct Neighbor: Encodable {
        let path, label: String
        let score: Rounded
    }

    let query: String
    let neighbors: [Neighbor]
}
