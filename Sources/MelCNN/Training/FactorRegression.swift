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
    /// The training loss (`train.loss`) over the evaluation patches (each patch against its track's
    /// factors), in the space the model was trained in (standardised targets when `standardization` is given).
    public var patchLoss: Double
    /// True when `patchLoss` is on standardised targets.
    public var standardized: Bool
    /// Mean squared error of the track predictions (mean over the track's patches), over tracks and factors.
    public var trackMSE: Double
    /// Mean cosine similarity between track predictions and targets.
    public var trackCosine: Double
    /// `[tracks x factors]` track predictions.
    public var trackFactors: [Float]

    /// From patch outputs `[patches x k]` with their tracks (indices into `targets`' rows, `[tracks x k]`).
    /// With `standardization`, outputs and targets are factors and the patch loss is taken after standardising both.
    public init(patchOutputs: [Float], patchTracks: [Int], targets: [Float], factors k: Int, loss: TrainConfig.RegressionLoss,
                standardization: TargetStandardization? = nil) {
        let n = targets.count / max(k, 1)
        tracks = n
        patches = patchTracks.count
        standardized = standardization != nil
        let patchTargets = patchTracks.flatMap { targets[$0 * k ..< ($0 + 1) * k] }
        patchLoss = patches == 0 ? .nan
            : Double(regressionLoss(Tensor(shape: [patches, k], data: standardization?.standardize(patchOutputs) ?? patchOutputs),
                                    targets: standardization?.standardize(patchTargets) ?? patchTargets, loss: loss).item)
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
               tracks, patches, loss.rawValue + (standardized ? ", standardised" : ""), patchLoss, trackMSE, trackCosine)
    }
}

extension Trainer {
    /// The statistics of the training split's targets when `train` asks for `standardize`
    /// (nil for raw targets, data sets without targets, or an empty training split).
    static func targetStatistics(_ train: TrainConfig, tracks: TrainingTracks) -> TargetStandardization? {
        let rows = tracks.tracks(in: .train)
        guard tracks.isRegression, train.resolvedTargetScaling == .standardize, !rows.isEmpty else { return nil }
        return TargetStandardization(rows: rows.flatMap { tracks.targets(of: $0) }, dimension: tracks.classes.count)
    }

    /// The training loss of a factor model's outputs against raw `targets` (`N * K`),
    /// standardised first under `train.target_scaling: standardize`.
    func factorLoss(_ outputs: Tensor, targets: [Float]) -> Tensor {
        regressionLoss(outputs, targets: targetStandardization?.standardize(targets) ?? targets, loss: config.train.loss)
    }

    /// Resuming needs the target statistics the run started with.
    func checkTargetStandardization(of checkpoint: Checkpoint) throws {
        guard checkpoint.targetStandardization == targetStandardization else {
            throw MelCNNError.invalidFile(path: lastURL.path, reason: "its target statistics (/targets) differ from those of train.target_scaling: \(config.train.resolvedTargetScaling.rawValue) on \(tracks.path)")
        }
    }

    /// Validation of a factor model: its outputs on the validation tracks' patches, against
    /// the targets in the space it is trained in (standardised or raw).
    func validateFactors(_ validation: [Int], hop: Int) throws -> RegressionReport {
        let p = try model.predict(tracks: tracks, trackIndices: validation, patchFrames: config.data.patchFrames,
                              hop: hop, batchSize: config.eval.batchSize, rawOutputs: true)
        let targets = validation.flatMap { tracks.targets(of: $0) }
        return RegressionReport(patchOutputs: p.probabilities, patchTracks: p.patchTracks,
                                targets: targetStandardization?.standardize(targets) ?? targets, factors: tracks.classes.count,
                                loss: config.train.loss)
    }
}
