import Foundation
import HDF5
import NN

/// Per-dimension standardisation of a factor model's regression targets
/// (`train.target_scaling: standardize`): the network learns `(y - mean) / std` instead of
/// the raw ALS factors, whose entries are small (about 0.01 on the synthetic chain) and of
/// unequal spread, which plain MSE on the raw values barely learns. `mean` and `std` come
/// from the training split's targets (one row per track, numpy's `mean(axis=0)` and
/// `std(axis=0)`, ddof 0); a dimension with zero spread gets std 1, as scikit-learn's
/// `StandardScaler` does.
///
/// Stored in the checkpoint as `/targets/mean`, `/targets/std` (float32 `[factors]`). When
/// the model is loaded for inference, the statistics are folded into the output layer `out`
/// (`W' = diag(std) W`, `b' = std * b + mean`), so predictions are factors in the ALS scale.
public struct TargetStandardization: Equatable, Sendable {
    /// `[factors]` mean and standard deviation of the training targets.
    public var mean: [Float]
    public var std: [Float]

    public init(mean: [Float], std: [Float]) {
        precondition(mean.count == std.count && !mean.isEmpty)
        self.mean = mean
        self.std = std
    }

    /// The statistics of `rows` (`[n x dimension]` row-major, n >= 1), accumulated in Double.
    public init(rows: [Float], dimension k: Int) {
        precondition(k >= 1 && rows.count % k == 0 && !rows.isEmpty)
        let n = rows.count / k
        var sums = [Double](repeating: 0, count: k)
        for i in 0 ..< n { for d in 0 ..< k { sums[d] += Double(rows[i * k + d]) } }
        let means = sums.map { $0 / Double(n) }
        var squares = [Double](repeating: 0, count: k)
        for i in 0 ..< n {
            for d in 0 ..< k {
                let c = Double(rows[i * k + d]) - means[d]
                squares[d] += c * c
            }
        }
        let stds = squares.map { ($0 / Double(n)).squareRoot() }
        self.init(mean: means.map(Float.init), std: stds.map { $0 > 0 ? Float($0) : 1 })
    }

    public var dimension: Int { mean.count }

    /// `(y - mean) / std` of every row of `values` (`[n x dimension]`).
    public func standardize(_ values: [Float]) -> [Float] {
        let k = dimension
        return values.indices.map { (values[$0] - mean[$0 % k]) / std[$0 % k] }
    }

    /// `z * std + mean` of every row of `values` (`[n x dimension]`).
    public func unstandardize(_ values: [Float]) -> [Float] {
        let k = dimension
        return values.indices.map { values[$0] * std[$0 % k] + mean[$0 % k] }
    }

    /// `state` with the output layer `out` (`out.weight` `[k, in]`, `out.bias` `[k]`) mapped
    /// so that it outputs `z * std + mean` of its former outputs `z`.
    public func folded(into state: StateDict) throws -> StateDict {
        let k = dimension
        guard var weight = state["out.weight"], var bias = state["out.bias"],
              weight.shape.count == 2, weight.shape[0] == k, bias.values.count == k else {
            throw MelCNNError.invalidArgument("the model has no output layer out of \(k) units for /targets")
        }
        let width = weight.shape[1]
        for d in 0 ..< k {
            for j in 0 ..< width { weight.values[d * width + j] *= std[d] }
            bias.values[d] = bias.values[d] * std[d] + mean[d]
        }
        var out = state
        out["out.weight"] = weight
        out["out.bias"] = bias
        return out
    }

    /// Writes `/targets/mean` and `/targets/std`.
    func write(to file: H5File) throws {
        try file.createGroup("targets")
        try file.createDataset("targets/mean", values: mean)
        try file.createDataset("targets/std", values: std)
    }

    /// The statistics of a checkpoint (nil without `/targets`), checked against its
    /// `outputs` (the number of classes): finite, std > 0, one value per output.
    static func read(from file: H5File, path: String, outputs: Int) throws -> TargetStandardization? {
        guard try file.exists("targets") else { return nil }
        let mean: [Float] = try file.openDataset("targets/mean").read()
        let std: [Float] = try file.openDataset("targets/std").read()
        guard mean.count == outputs, std.count == outputs else {
            throw MelCNNError.invalidFile(path: path, reason: "/targets/mean has \(mean.count) values and /targets/std \(std.count); expected one per output (\(outputs))")
        }
        try FileValueChecks.requireFinite(mean, path: path, object: "/targets/mean")
        try FileValueChecks.requireFinite(std, path: path, object: "/targets/std")
        try FileValueChecks.requirePositiveStd(std, path: path, object: "/targets/std")
        return TargetStandardization(mean: mean, std: std)
    }
}
