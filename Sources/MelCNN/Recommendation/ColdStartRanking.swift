import Foundation

/// Cold start (van den Oord, Dieleman, Schrauwen 2013): tracks outside the listening data
/// are ranked for a listener by `x_u . y'` with `y'` the factors a CNN predicts from their audio.
extension FactorsFile {
    /// The `top` best of `candidates` (`[n x factors]` predicted track factors) for user row
    /// `u`, by `x_u . y` (ties by candidate index), with their scores.
    public func rank(user u: Int, candidates: [Float], top: Int) -> [(candidate: Int, score: Float)] {
        precondition(candidates.count % factors == 0)
        let user = userFactors[u * factors ..< (u + 1) * factors]
        let scores = stride(from: 0, to: candidates.count, by: factors).map { start in
            zip(user, candidates[start ..< start + factors]).reduce(Float(0)) { $0 + $1.0 * $1.1 }
        }
        let order = scores.indices.sorted { scores[$0] != scores[$1] ? scores[$0] > scores[$1] : $0 < $1 }
        return order.prefix(max(0, top)).map { ($0, scores[$0]) }
    }
}

extension EmbeddingsFile {
    /// Predicted factors written by `melcnn embed --layer factors` from a factor model, for
    /// ranking with `factors`-dimensional user factors. A file of another kind, of another
    /// layer or of another dimension is one `MelCNNError` line naming `path`.
    public static func readPredictedFactors(from path: String, factors: Int) throws -> EmbeddingsFile {
        guard FileManager.default.fileExists(atPath: path) else { throw MelCNNError.missingFile(path: path, what: "embeddings file") }
        let file = try read(from: path)
        guard file.layer == EmbeddingLayer.factors.description else {
            throw MelCNNError.invalidFile(path: path, reason: "holds embeddings of layer \(file.layer.isEmpty ? "?" : file.layer), not predicted factors (write them with `melcnn embed --checkpoint FACTOR_MODEL --layer factors`)")
        }
        guard file.dim == factors else {
            throw MelCNNError.invalidFile(path: path, reason: "holds \(file.dim) predicted factors per track, the factors file \(factors)")
        }
        return file
    }
}
