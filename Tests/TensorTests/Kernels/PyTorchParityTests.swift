import Foundation
import HDF5
import TestSupport
import XCTest
@testable import Tensor

/// Every layer against PyTorch 2.15 (`Tests/Fixtures/nn_layers.h5`, written by
/// `generate_nn_fixtures.py`): forward output and the gradients of `Σ out ⊙ dout` with
/// respect to each input must agree within max |error| <= 1e-4 · max |reference|.
final class PyTorchParityTests: XCTestCase {
    static let path = Repository.fixtures.appendingPathComponent("nn_layers.h5").path

    /// One case group: inputs as leaves that require grad, and the reference arrays.
    struct Case {
        let group: H5Group
        let inputs: [String: Tensor]

        init(_ file: H5File, _ name: String) throws {
            group = try file.openGroup(name)
            var inputs: [String: Tensor] = [:]
            for key in ["x", "weight", "bias"] where try group.exists(key) {
                let d = try group.openDataset(key)
                inputs[key] = Tensor(shape: try d.shape, data: try d.read(as: Float.self), requiresGrad: true)
            }
            self.inputs = inputs
        }

        subscript(_ key: String) -> Tensor { inputs[key]! }
        func array(_ key: String) throws -> [Float] { try group.openDataset(key).read(as: Float.self) }
        func int(_ key: String) throws -> Int { Int(try group.attributes.read(key, as: Int64.self)) }
        func pair(_ key: String) throws -> (Int, Int) {
            let v = try group.attributes.readArray(key, as: Int64.self)
            return (Int(v[0]), Int(v[1]))
        }
        func float(_ key: String) throws -> Float { try group.attributes.read(key, as: Float.self) }
        func floats(_ key: String) throws -> [Float] { try group.attributes.readArray(key, as: Float.self) }
    }

    /// Largest |a - b| relative to max |b|.
    func relativeError(_ a: [Float], _ b: [Float]) -> Float {
        guard a.count == b.count else { return .infinity }
        let scale = max(b.map(abs).max() ?? 0, 1e-12)
        return (zip(a, b).map { abs($0 - $1) }.max() ?? 0) / scale
    }

    func check(_ name: String, _ file: H5File, line: UInt = #line, _ forward: (Case) throws -> Tensor) throws {
        let c = try Case(file, name)
        let out = try forward(c)
        var report = [String]()
        let outError = relativeError(out.data, try c.array("out"))
        report.append("out \(outError)")
        XCTAssertLessThanOrEqual(outError, 1e-4, "\(name): forward", line: line)
        out.backward(seed: try c.array("dout"))
        for (key, t) in c.inputs.sorted(by: { $0.key < $1.key }) {
            let error = relativeError(t.grad ?? [], try c.array("grad_" + key))
            report.append("grad_\(key) \(error)")
            XCTAssertLessThanOrEqual(error, 1e-4, "\(name): gradient of \(key)", line: line)
        }
        print("parity \(name): " + report.joined(separator: ", "))
    }

    func testLayersMatchPyTorch() throws {
        let file = try H5File.open(Self.path)
        // The last four run through WinogradConv1d (>= 16 channels, stride 1).
        for name in ["conv1d_k4", "conv1d_k3_s2_p1_d2", "conv1d_k1_nobias", "conv1d_k5_s3_p2", "conv1d_winograd_k4",
                     "conv1d_winograd_k3_p1", "conv1d_winograd_k5_p2", "conv1d_winograd_k2"] {
            try check(name, file) { c in
                conv1d(c["x"], weight: c["weight"], bias: c.inputs["bias"], stride: try c.int("stride"),
                       padding: try c.int("padding"), dilation: try c.int("dilation"))
            }
        }
        for name in ["conv2d_k3", "conv2d_k3x2_s21_p10_d12"] {
            try check(name, file) { c in
                conv2d(c["x"], weight: c["weight"], bias: c["bias"], stride: try c.pair("stride"),
                       padding: try c.pair("padding"), dilation: try c.pair("dilation"))
            }
        }
        for name in ["maxpool1d_k4", "maxpool1d_k3_s2_p1", "avgpool1d_k3_s2_p1", "avgpool1d_k2"] {
            try check(name, file) { c in
                let (k, s, p) = (try c.int("kernel"), try c.int("stride"), try c.int("padding"))
                return name.hasPrefix("max") ? maxPool1d(c["x"], kernel: k, stride: s, padding: p)
                    : avgPool1d(c["x"], kernel: k, stride: s, padding: p)
            }
        }
        for name in ["maxpool2d_k2", "maxpool2d_k3x2_s21_p11", "avgpool2d_k3x2_s21_p11"] {
            try check(name, file) { c in
                let (k, s, p) = (try c.pair("kernel"), try c.pair("stride"), try c.pair("padding"))
                return name.hasPrefix("max") ? maxPool2d(c["x"], kernel: k, stride: s, padding: p)
                    : avgPool2d(c["x"], kernel: k, stride: s, padding: p)
            }
        }
        try check("global_temporal_pool", file) { globalTemporalPool($0["x"]) }
        try check("linear", file) { linear($0["x"], weight: $0["weight"], bias: $0["bias"]) }
        try check("matmul_tA_tB", file) { matmul($0["x"], $0["weight"], transposeA: true, transposeB: true) }
        let activations: [String: (Tensor) -> Tensor] = [
            "relu": relu, "leaky_relu": { leakyRelu($0, slope: 0.1) }, "elu": { elu($0, alpha: 1.2) },
            "sigmoid": sigmoid, "tanh": tanh, "softmax": { softmax($0, axis: 1) }, "log_softmax": { logSoftmax($0, axis: 1) },
        ]
        for (name, f) in activations.sorted(by: { $0.key < $1.key }) { try check(name, file) { f($0["x"]) } }
        for name in ["cross_entropy", "cross_entropy_weighted_smoothed"] {
            try check(name, file) { c in
                let targets = try c.group.openDataset("targets").read(as: Int64.self).map { Int($0) }
                let weight = try c.group.attributes.contains("class_weight") ? try c.floats("class_weight") : nil
                return crossEntropy(c["x"], targets: targets, weight: weight, labelSmoothing: try c.float("label_smoothing"))
            }
        }
        try check("mse", file) { mseLoss($0["x"], $0["weight"]) }
        try check("var_axis1", file) { $0["x"].variance(axis: 1) }
        try check("max_axis2", file) { $0["x"].max(axis: 2) }
    }

    /// Soft-target cross-entropy (mixup's loss) against `F.cross_entropy` with probability
    /// targets (`Tests/Fixtures/nn_soft_cross_entropy.h5`, `generate_soft_ce_fixture.py`).
    func testSoftCrossEntropyMatchesPyTorch() throws {
        let path = URL(fileURLWithPath: Self.path).deletingLastPathComponent().appendingPathComponent("nn_soft_cross_entropy.h5").path
        let file = try H5File.open(path)
        for name in ["soft_cross_entropy", "soft_cross_entropy_smoothed"] {
            try check(name, file) { c in
                softCrossEntropy(c["x"], targets: try c.array("targets"), labelSmoothing: try c.float("label_smoothing"))
            }
        }
    }

    /// Binary cross-entropy on logits (tagging's loss) against `torch.nn.BCEWithLogitsLoss`, with
    /// and without `pos_weight` (`Tests/Fixtures/nn_bce_logits.h5`, `generate_bce_fixture.py`).
    func testBinaryCrossEntropyWithLogitsMatchesPyTorch() throws {
        let path = URL(fileURLWithPath: Self.path).deletingLastPathComponent().appendingPathComponent("nn_bce_logits.h5").path
        let file = try H5File.open(path)
        for name in ["bce_logits", "bce_logits_pos_weight", "bce_logits_soft"] {
            try check(name, file) { c in
                let weight = try c.group.exists("pos_weight") ? try c.array("pos_weight") : nil
                return binaryCrossEntropyWithLogits(c["x"], targets: try c.array("targets"), posWeight: weight)
            }
        }
    }

    func testBatchNormMatchesPyTorch() throws {
        let file = try H5File.open(Self.path)
        for name in ["batchnorm1d_ncl_train", "batchnorm1d_nc_train", "batchnorm2d_train", "batchnorm1d_ncl_eval"] {
            var running: (Tensor, Tensor)?
            var expected: ([Float], [Float])?
            try check(name, file) { c in
                let rm = Tensor(try c.floats("running_mean_before")), rv = Tensor(try c.floats("running_var_before"))
                running = (rm, rv)
                expected = (try c.floats("running_mean_after"), try c.floats("running_var_after"))
                return batchNorm(c["x"], weight: c["weight"], bias: c["bias"], runningMean: rm, runningVar: rv,
                                 training: try c.int("training") == 1, momentum: try c.float("momentum"), eps: try c.float("eps"))
            }
            XCTAssertLessThanOrEqual(relativeError(running!.0.data, expected!.0), 1e-5, "\(name): running mean")
            XCTAssertLessThanOrEqual(relativeError(running!.1.data, expected!.1), 1e-5, "\(name): running var")
        }
    }
}
