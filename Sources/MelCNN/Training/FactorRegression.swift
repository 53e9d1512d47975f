import Foundation
import Tensor

/// The loss of a factor-regression model on outputs `[N, K]` against `targets` (`N * K`
/// row-major): `F.mse_loss` or `1 - F.cosine_similarity(...).mean()` (`train.loss`).
public func regressionLoss(_ outputs: Tensor, targets: [Float], loss: TrainConfig.RegressionLoss) -> Tensor {
    switch loss {
    case .mse: return mseLoss(outputs, Tensor(shape: outputs.shape, data: targets))
    case .cosine: return cosineDistanceLoss(outputs, targets: targets)
    }
}

/// How well predicted factors match the targets of a set of tracks.
public struct RegressionReport: Sendable {
    /// Tracks and evaluation patches.
    public var tracks: Int
    public var patches: Int
    /// The training loss (`train.loss`) over the evaluation patches (each patch against its track's factors).
    public var patchLoss: Double
    /// Mean squared error of the track predictions (mean over the track's patches), over tracks and factors.
    public var trackMSE: Double
    /// Mean cosine similarity between track predictions and targets.
    public var trackCosine: Double
    /// `[tracks x factors]` track predictions.
    public var trackFactors: [Float]

    /// From raw patch outputs `[patches x k]` with their tracks (indices into `targets`' rows, `[tracks x k]`).
    public init(patchOutputs: [Float], patchTracks: [Int], targets: [Float], factors k: Int, loss: TrainConfig.RegressionLoss) {
        let n = targets.count / max(k, 1)
        tracks = n
        patches = patchTracks.count
        let patchTargets = patchTracks.flatMap { targets[$0 * k ..< ($0 + 1) * k] }
        patchLoss = patches == 0 ? .nan
            : Double(regressionLoss(Tensor(shape: [patches, k], data: patchOutputs), targets: patchTargets, loss: loss).item)
        var sums = [Float](repeating: 0, count: n * k), counts = [Int](repeating: 0, count: n)
        for (i, t) in patchTracks.enumerated() {
            counts[t] += 1
            for d in 0 ..< k { sums[t * k + d] += patchOutputs[i * k + d] }
        }
        for t in 0 ..< n where counts[t] > 0 { for d in 0 ..< k { sums[t * k + d] /= Float(counts[t]) } }
        trackFactors = sums
        var squares = 0.0, cosines = 0.0
        for t in 0 ..< n {
            var dot = 0.0, pp = 0.0, yy = 0.0
            for d in 0 ..< k {
                let p = Double(sums[t * k + d]), y = Double(targets[t * k + d])
                squares += (p - y) * (p - y)
                dot += p * y; pp += p * p; yy += y * y
            }
            cosines += dot / (max(pp.squareRoot(), 1e-8) * max(yy.squareRoot(), 1e-8))
        }
        trackMSE = n == 0 ? .nan : squares / Double(n * k)
        trackCosine = n == 0 ? .nan : cosines / Double(n)
    }

    /// Three lines: tracks and patches, patch loss, track MSE and cosine.
    public func textSummary(loss: TrainConfig.RegressionLoss) -> String {
        String(format: "factor regression: %d tracks, %d patches\n  patch loss (%@)  %.4f\n  track MSE          %.4f\n  track cosine       %.4f",
               tracks, patches, loss.rawValue, patchLoss, trackMSE, trackCosine)
    }
}

extension Trainer {
    /// Validation of a factor model: its raw outputs on the validation tracks' patches.
    func validateFactors(_ validation: [Int], hop: Int) -> RegressionReport {
        let p = model.predict(tracks: tracks, trackIndices: validation, patchFrames: config.data.patchFrames,
                              hop: hop, batchSize: config.eval.batchSize, rawOutputs: true)
        return RegressionReport(patchOutputs: p.probabilities, patchTracks: p.patchTracks,
                                targets: validation.flatMap { tracks.targets(of: $0) }, factors: tracks.classes.count,
                                loss: config.train.loss)
    }
}
