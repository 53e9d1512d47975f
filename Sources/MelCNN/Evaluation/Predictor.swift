import Foundation
import NN
import Tensor

/// Which activation an embedding is read from.
public enum EmbeddingLayer: Equatable, Sendable, CustomStringConvertible {
    /// The global temporal pooling output (`[C * kinds]`).
    case pool
    /// Hidden dense layer `j` (1-based, after ReLU).
    case fc(Int)
    /// A factor model's output layer: the predicted latent factors (`[factors]`).
    case factors

    /// Parses `pool`, `fc1`, `fc2`, ... (and `factors` for a factor model, `regressor`) and
    /// checks the model has that layer.
    public init(name: String, spec: ModelSpec, regressor: Bool = false) throws {
        if name == "pool" { self = .pool; return }
        if name == "factors", regressor { self = .factors; return }
        if name.hasPrefix("fc"), let j = Int(name.dropFirst(2)), j >= 1, j <= spec.dense.count {
            self = .fc(j)
            return
        }
        let options = ["pool"] + spec.dense.indices.map { "fc\($0 + 1)" } + (regressor ? ["factors"] : [])
        throw MelCNNError.invalidArgument("unknown embedding layer \"\(name)\" (this model has: \(options.joined(separator: ", ")))")
    }

    public var description: String {
        switch self {
        case .pool: return "pool"
        case .fc(let j): return "fc\(j)"
        case .factors: return "factors"
        }
    }
}

/// Patch-wise inference over whole tracks: the class probabilities of every evaluation
/// patch and, optionally, per-track mean embeddings.
public struct TrackPredictions: Sendable {
    /// `[patches x classes]` softmax outputs (per-tag sigmoids with `multiLabel`, raw outputs with `rawOutputs`).
    public var probabilities: [Float]
    /// Track (index into the track list given) of each patch.
    public var patchTracks: [Int]
    /// `[tracks x dim]` mean embedding per track (empty when not requested).
    public var embeddings: [Float]
    public var embeddingDim: Int
}

extension TrackPredictions {
    /// `[trackCount x width]`, flat: the mean of each track's patch outputs (`probabilities` is
    /// `[patches x width]`, `patchTracks[p]` in `0 ..< trackCount`), summed in Double; a track
    /// without patches is 0. The track scores of tagging, the track probabilities of `predict`.
    public func trackMeans(trackCount: Int, width: Int) -> [Float] {
        precondition(probabilities.count == patchTracks.count * width, "trackMeans: probabilities must be [patches x width]")
        var sum = [Double](repeating: 0, count: trackCount * width), count = [Int](repeating: 0, count: trackCount)
        for (p, t) in patchTracks.enumerated() {
            count[t] += 1
            for c in 0 ..< width { sum[t * width + c] += Double(probabilities[p * width + c]) }
        }
        return (0 ..< trackCount * width).map { i in count[i / width] > 0 ? Float(sum[i] / Double(count[i / width])) : 0 }
    }
}

extension GenreCNN {
    /// Runs the model in evaluation mode on the sequential patches of `trackIndices`
    /// (start frames from `TrainingTracks.evaluationStarts`), `batchSize` patches at a time.
    /// Restores the previous training mode afterwards. Throws when a streamed data set could
    /// not read a patch.
    public func predict(tracks: TrainingTracks, trackIndices: [Int], patchFrames: Int, hop: Int,
                        batchSize: Int, embedding: EmbeddingLayer? = nil, multiLabel: Bool = false, rawOutputs: Bool = false,
                        progress: ((Int, Int) -> Void)? = nil) throws -> TrackPredictions {
        let wasTraining = isTraining
        train(false)
        defer { train(wasTraining) }
        var jobs: [(local: Int, track: Int, start: Int)] = []
        for (local, t) in trackIndices.enumerated() {
            for s in tracks.evaluationStarts(track: t, patchFrames: patchFrames, hop: hop) { jobs.append((local, t, s)) }
        }
        let k = classCount
        let size = tracks.nMels * patchFrames
        var probabilities = [Float](repeating: 0, count: jobs.count * k)
        var embeddingSums: [Float] = []
        var embeddingDim = 0
        var patchCounts = [Int](repeating: 0, count: trackIndices.count)
        Autograd.noGrad {
            var done = 0
            while done < jobs.count {
                let n = min(batchSize, jobs.count - done)
                var inputs = [Float](repeating: 0, count: n * size)
                for i in 0 ..< n {
                    let job = jobs[done + i]
                    tracks.copyPatch(track: job.track, start: job.start, patchFrames: patchFrames, into: &inputs, at: i * size)
                }
                let outputs = forwardAll(Tensor(shape: [n, tracks.nMels, patchFrames], data: inputs))
                // A tag model has one sigmoid per tag; a genre model one softmax over the classes.
                // A factor model's outputs are the predicted factors themselves (`rawOutputs`).
                let probs = rawOutputs ? outputs.logits.data : multiLabel ? sigmoid(outputs.logits).data : softmax(outputs.logits, axis: 1).data
                for i in 0 ..< n * k { probabilities[done * k + i] = probs[i] }
                if let embedding {
                    let e: Tensor
                    switch embedding {
                    case .pool: e = outputs.pooled
                    case .fc(let j): e = outputs.hidden[j - 1]
                    case .factors: e = outputs.logits
                    }
                    let dim = e.shape[1]
                    if embeddingDim == 0 {
                        embeddingDim = dim
                        embeddingSums = [Float](repeating: 0, count: trackIndices.count * dim)
                    }
                    let values = e.data
                    for i in 0 ..< n {
                        let local = jobs[done + i].local
                        for d in 0 ..< dim { embeddingSums[local * dim + d] += values[i * dim + d] }
                    }
                }
                for i in 0 ..< n { patchCounts[jobs[done + i].local] += 1 }
                done += n
                progress?(done, jobs.count)
            }
        }
        if embeddingDim > 0 {
            for t in trackIndices.indices where patchCounts[t] > 0 {
                for d in 0 ..< embeddingDim { embeddingSums[t * embeddingDim + d] /= Float(patchCounts[t]) }
            }
        }
        try tracks.throwReadError()
        return TrackPredictions(probabilities: probabilities, patchTracks: jobs.map(\.local),
                                embeddings: embeddingSums, embeddingDim: embeddingDim)
    }
}
