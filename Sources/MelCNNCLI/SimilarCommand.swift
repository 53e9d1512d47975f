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
          melcnn similar --embeddings emb.h5 --eval --k 5
        --track matches the stored path exactly or by its ending. --eval reports \
        precision@k: the mean share of each track's k nearest neighbours that carry its \
        label, a number to compare checkpoints by.
        """
    )

    @Option(name: .long, parsing: .unconditional, help: "Embeddings file written by `melcnn embed` (.h5).")
    var embeddings: String
    @Option(name: .long, parsing: .unconditional, help: "Query: a track path stored in the embeddings file (or its unique ending).")
    var track: String?
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

    func run() throws {
        guard k >= 1 else { throw MelCNNError.invalidArgument("--k must be >= 1, got \(k)") }
        let file = try EmbeddingsFile.read(from: embeddings)
        let index = file.index()
        if eval {
            let p = index.precisionAtK(k)
            if json {
                print("{\"embeddings\": \(jsonString(embeddings)), \"k\": \(k), \"tracks\": \(file.count), \"precision_at_k\": \(String(format: "%.6f", p))}")
            } else {
                print("precision@\(k)  " + String(format: "%.4f", p) + "  (\(file.count) tracks, \(file.layer) embeddings)")
            }
            return
        }
        let query: [Float], exclude: Int?, queryName: String
        switch (track, audio) {
        case let (t?, nil):
            guard let i = index.index(of: t) else {
                throw MelCNNError.invalidArgument("\(embeddings): no single track matches --track \(t)")
            }
            query = index.vector(at: i)
            exclude = i
            queryName = file.paths[i] + " (\(file.labelName(i)))"
        case let (nil, a?):
            guard let checkpoint else { throw MelCNNError.invalidArgument("--audio needs --checkpoint") }
            query = try embedAudioQuery(a, checkpoint: checkpoint, layer: file.layer)
            guard query.count == file.dim else {
                throw MelCNNError.invalidArgument("\(checkpoint): its \(file.layer) embeddings have \(query.count) values, \(embeddings) has \(file.dim)")
            }
            exclude = nil
            queryName = a
        default:
            throw MelCNNError.invalidArgument("give exactly one of --track and --audio (or --eval)")
        }
        let hits = index.nearest(to: query, k: k, excluding: exclude)
        if json {
            let rows = hits.map { "{\"path\": \(jsonString(file.paths[$0.index])), \"label\": \(jsonString(file.labelName($0.index))), \"score\": \(String(format: "%.6f", $0.score))}" }
            print("{\"query\": \(jsonString(queryName)), \"neighbors\": [\(rows.joined(separator: ", "))]}")
        } else {
            print("tracks most similar to \(queryName):")
            for (rank, hit) in hits.enumerated() {
                print(String(format: "%3d. %.4f  ", rank + 1, hit.score) + "\(file.paths[hit.index])  (\(file.labelName(hit.index)))")
            }
        }
    }
}

extension SimilarCommand {
    /// The embedding of one audio file with the checkpoint, from the layer the file was made with.
    func embedAudioQuery(_ path: String, checkpoint: String, layer: String) throws -> [Float] {
        threads.apply()
        let trained = try TrainedModel(checkpointPath: checkpoint)
        let which = try EmbeddingLayer(name: layer.isEmpty ? "pool" : layer, spec: trained.config.model)
        let tracks = try trained.tracks(fromAudio: [path], logMel: trained.dspConfig.logMelFunction())
        return trained.embed(tracks, layer: which).vectors
    }
}
