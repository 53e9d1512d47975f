import Foundation
import HDF5
@testable import MelCNN
import NN
import Tensor
import TestSupport
import XCTest

/// The 2-D model kinds (`cnn2d`, `resnet2d`, `crnn`) against the same networks written with torch.nn
/// (`Tests/Fixtures/generate_nn_models_fixture.py`, `nn_models.h5`): loaded weights, logits,
/// every gradient, running statistics and the eval-mode logits.
final class GenreCNN2dTests: XCTestCase {
    private static let fixturePath = Repository.fixtures.appendingPathComponent("nn_models.h5").path

    /// The specs of the fixture's cases (see the generator's docstring).
    private static func spec(_ name: String) -> ModelSpec {
        var spec = ModelSpec()
        spec.dropout = 0
        if name == "cnn2d" {
            spec.kind = .cnn2d
            spec.channels = [4, 8]
            spec.globalPool = [.mean, .max, .l2]
            spec.dense = [6]
        } else if name == "crnn" {
            spec.kind = .crnn
            spec.channels = [4, 6]
            spec.rnnHidden = 5
            spec.dense = [6]
        } else {
            spec.kind = .resnet2d
            spec.channels = [4, 6, 6]
            spec.globalPool = [.max]
            spec.dense = []
        }
        return spec
    }

    /// max |a - reference| / max(max |reference|, floor) (the plain max error when both are 0).
    private func maxRelativeError(_ a: [Float], _ reference: [Float], floor: Float = 0) -> Float {
        XCTAssertEqual(a.count, reference.count)
        let scale = max(reference.map(abs).max() ?? 0, floor)
        let err = zip(a, reference).map { abs($0 - $1) }.max() ?? 0
        return scale == 0 ? err : err / scale
    }

    func testForwardAndGradientsMatchPyTorch() throws {
        let file = try H5File.open(Self.fixturePath)
        func array(_ path: String) throws -> NamedArray {
            let d = try file.openDataset(path)
            return NamedArray(shape: try d.shape, values: try d.read(as: Float.self))
        }
        for name in ["cnn2d", "resnet2d", "crnn"] {
            let spec = Self.spec(name)
            let input = try array("\(name)/input")
            var rng = SeededGenerator(seed: 5)
            let model = GenreCNN(spec: spec, inputChannels: input.shape[1], classCount: 3, using: &rng)
            var state = StateDict()
            for n in model.stateDict().names { state[n] = try array("\(name)/init/\(n)") }
            try model.loadStateDict(state)
            XCTAssertEqual(spec.layerNames, ["cnn2d": ["conv1", "bn1", "conv2", "bn2", "fc1", "out"],
                                             "crnn": ["conv1", "bn1", "conv2", "bn2", "gru", "fc1", "out"],
                                             "resnet2d": ["block1", "block2", "block3", "out"]][name])
            let x = Tensor(shape: input.shape, data: input.values, requiresGrad: true)
            let logits = model(x)
            let dout = try array("\(name)/dout")
            let logitsError = maxRelativeError(logits.data, try array("\(name)/out").values)
            XCTAssertLessThanOrEqual(logitsError, 1e-5, name)
            (logits * Tensor(shape: dout.shape, data: dout.values)).sum().backward()
            var worst = maxRelativeError(try XCTUnwrap(x.grad), try array("\(name)/grad_input").values)
            XCTAssertLessThanOrEqual(worst, 1e-4, "\(name) grad_input")
            // A gradient that batch norm makes (nearly) vanish — a 1x1 conv of the one-channel input
            // followed by batch norm is scale-invariant — is measured against 1% of the largest one.
            let references = try model.namedParameters().map { try array("\(name)/grad/\($0.name)").values }
            let floor = 0.01 * (references.flatMap { $0 }.map(abs).max() ?? 0)
            for ((p, t), reference) in zip(model.namedParameters(), references) {
                let err = maxRelativeError(try XCTUnwrap(t.grad, p), reference, floor: floor)
                XCTAssertLessThanOrEqual(err, 1e-4, "\(name) \(p)")
                worst = max(worst, err)
            }
            for (b, t) in model.namedBuffers() where b.contains("running") {
                XCTAssertLessThanOrEqual(maxRelativeError(t.data, try array("\(name)/after/\(b)").values), 1e-5, "\(name) \(b)")
            }
            model.train(false)
            let evalLogits = Autograd.noGrad { model(x) }
            XCTAssertLessThanOrEqual(maxRelativeError(evalLogits.data, try array("\(name)/eval_out").values), 1e-5, name)
            print("\(name) vs torch: logits \(logitsError), worst gradient \(worst)")
        }
    }

    /// One whole training step of each 2-D kind as `Trainer` takes it (`/<kind>/step` of the
    /// fixture): cross-entropy with label smoothing 0.1, gradient clipping to norm 0.5 (active),
    /// then one step of the optimiser `makeOptimizer` builds for `optimizer: adamw` (lr 0.01,
    /// weight decay 0.01); every weight and running statistic after the step against PyTorch.
    func testOneTrainingStepMatchesPyTorch() throws {
        let file = try H5File.open(Self.fixturePath)
        func array(_ path: String) throws -> NamedArray {
            let d = try file.openDataset(path)
            return NamedArray(shape: try d.shape, values: try d.read(as: Float.self))
        }
        var train = TrainConfig()
        train.optimizer = .adamw
        train.lr = 0.01
        train.weightDecay = 0.01
        for name in ["cnn2d", "resnet2d", "crnn"] {
            let input = try array("\(name)/input")
            var rng = SeededGenerator(seed: 5)
            let model = GenreCNN(spec: Self.spec(name), inputChannels: input.shape[1], classCount: 3, using: &rng)
            var state = StateDict()
            for n in model.stateDict().names { state[n] = try array("\(name)/init/\(n)") }
            try model.loadStateDict(state)
            let targets = try file.openDataset("\(name)/step/target").read(as: Int32.self).map(Int.init)
            let optimizer = try makeOptimizer(train, parameters: model.namedParameters())
            model.zeroGrad()
            let loss = crossEntropy(model(Tensor(shape: input.shape, data: input.values)), targets: targets, labelSmoothing: 0.1)
            let lossValue = loss.item
            loss.backward()
            let totalNorm = clipGradNorm(optimizer.parameters.map(\.tensor), maxNorm: 0.5)
            optimizer.step()
            let referenceLoss = try array("\(name)/step/loss").values[0]
            let referenceNorm = try array("\(name)/step/total_norm").values[0]
            XCTAssertEqual(lossValue, referenceLoss, accuracy: 1e-5 * referenceLoss, name)
            XCTAssertEqual(totalNorm, referenceNorm, accuracy: 1e-4 * referenceNorm, "\(name) gradient norm")
            XCTAssertGreaterThan(referenceNorm, 0.5, "\(name): the fixture's step must clip")
            // Weights within 1e-4 of their largest value and the update (after - init) within 2e-3
            // of its largest reference value, as TrainStepTests does for the Spotify network; AdamW's
            // first update lr·g/(|g|+eps) is ±lr wherever |g| >> eps, so this checks every sign.
            var worst: (weights: Float, update: Float) = (0, 0)
            for (param, after) in model.stateDict() where !param.hasSuffix("num_batches_tracked") {
                let reference = try array("\(name)/step/after/\(param)").values
                let initial = state[param]!.values
                let weightError = maxRelativeError(after.values, reference)
                let updateError = maxRelativeError(zip(after.values, initial).map { $0 - $1 },
                                                   zip(reference, initial).map { $0 - $1 })
                XCTAssertLessThanOrEqual(weightError, 1e-4, "\(name) \(param)")
                XCTAssertLessThanOrEqual(updateError, 2e-3, "\(name) \(param) update")
                worst = (max(worst.weights, weightError), max(worst.update, updateError))
            }
            print("\(name) training step vs torch: loss \(abs(lossValue - referenceLoss) / referenceLoss), weights \(worst.weights), update \(worst.update)")
        }
    }

    func testShapesNamesAndEmbeddings() {
        var spec = ModelSpec()
        spec.kind = .resnet2d
        spec.channels = [4, 8]
        spec.globalPool = [.mean, .max]
        spec.dense = [5]
        var rng = SeededGenerator(seed: 1)
        let model = GenreCNN(spec: spec, inputChannels: 10, classCount: 2, using: &rng)
        XCTAssertEqual(model.stateDict().names.filter { $0.hasPrefix("block2.") && $0.hasSuffix("weight") },
                       ["block2.conv1.weight", "block2.bn1.weight", "block2.conv2.weight", "block2.bn2.weight",
                        "block2.downsample.0.weight", "block2.downsample.1.weight"])
        model.train(false)
        let out = Autograd.noGrad { model.forwardAll(Tensor.zeros([3, 10, 9])) }
        XCTAssertEqual(out.pooled.shape, [3, spec.pooledWidth])
        XCTAssertEqual(spec.pooledWidth, 16)
        XCTAssertEqual(out.hidden.map(\.shape), [[3, 5]])
        XCTAssertEqual(out.logits.shape, [3, 2])
        XCTAssertEqual(spec.planeSizes(nMels: 10, frames: 9)?.map { [$0.h, $0.w] }, [[5, 5], [3, 3]])
        spec.kind = .cnn2d
        XCTAssertEqual(spec.planeSizes(nMels: 10, frames: 9)?.map { [$0.h, $0.w] }, [[5, 4], [2, 2]])
        XCTAssertNil(spec.planeSizes(nMels: 10, frames: 3))
        XCTAssertEqual(FileSummaries.architecture(spec, nMels: 10, classes: 2),
                       "10 mels x time -> cnn2d blocks 4-8 (3x3 conv, batch norm, ReLU, 2x2 max-pool) -> global mean+max -> dense 5 -> 2 outputs, dropout 0.5")
        spec.kind = .crnn
        XCTAssertEqual(FileSummaries.architecture(spec, nMels: 10, classes: 2),
                       "10 mels x time -> crnn blocks 4-8 (3x3 conv, batch norm, ReLU, 2x2 max-pool) -> GRU 32 (last state) -> dense 5 -> 2 outputs, dropout 0.5")
    }

    func testConfigKeysRoundTripAndOneLineErrors() throws {
        let base = "data: {n_mels: 16, patch_frames: 128}\n"
        let config = try MelCNNConfig.parse(base + "model: {kind: resnet2d, channels: [8, 16], global_pool: [max], dense: [32]}\n",
                                            file: "r.yaml")
        XCTAssertEqual(config.model.kind, .resnet2d)
        XCTAssertEqual(config.model.channels, [8, 16])
        XCTAssertEqual(config.model.layerNames, ["block1", "block2", "fc1", "out"])
        XCTAssertEqual(try MelCNNConfig.parse(config.yamlText(), file: "again.yaml").model, config.model)
        XCTAssertEqual(try MelCNNConfig.parse(base, file: "d.yaml").model.kind, .cnn1d)
        let crnn = try MelCNNConfig.parse(base + "model: {kind: crnn, channels: [8], rnn_hidden: 12, dense: []}\n", file: "c.yaml")
        XCTAssertEqual(crnn.model.pooledWidth, 12)
        XCTAssertEqual(try MelCNNConfig.parse(crnn.yamlText(), file: "again.yaml").model, crnn.model)   // old configs: today's model
        let bad: [(String, String)] = [
            ("model: {kind: cnn3d}", "model.kind"),
            ("model: {kind: cnn2d, conv: [{channels: 4, kernel: 3}]}", "model.conv"),
            ("model: {channels: [4]}", "model.channels"),
            ("model: {kind: cnn2d, batch_norm: false}", "model.batch_norm"),
            ("model: {kind: cnn2d, channels: []}", "model.channels"),
            ("model: {kind: cnn2d, channels: [4, 0]}", "model.channels[1]"),
            ("model: {kind: cnn2d, channels: [4, 4, 4, 4, 4, 4]}", "data.patch_frames"),   // 16 mels: 4 pools at most
            ("model: {kind: resnet2d, channels: [4]}\ntrain: {freeze: [conv1]}", "train.freeze"),
            ("model: {kind: cnn2d, rnn_hidden: 8}", "model.rnn_hidden"),
            ("model: {kind: crnn, channels: [4], rnn_hidden: 0}", "model.rnn_hidden"),
            ("model: {kind: crnn, global_pool: [max]}", "model.global_pool"),
            ("model: {kind: crnn, channels: [4], rnn_hidden: 100000}", "model.rnn_hidden"),   // 3e10 GRU weights
        ]
        for (text, key) in bad {
            XCTAssertThrowsError(try MelCNNConfig.parse(base + text + "\n", file: "bad.yaml"), text) { error in
                let message = "\(error)"
                XCTAssertTrue(message.contains(key) && message.contains("bad.yaml") && !message.contains("\n"), "\(text): \(message)")
            }
        }
    }
}

extension GenreCNN2dTests {
    func testShippedShortChunkAndResNetConfigs() throws {
        let configs = Repository.configs
        for (file, kind) in [("shortchunk.yaml", ModelSpec.Kind.cnn2d), ("resnet.yaml", .resnet2d)] {
            let config = try MelCNNConfig.load(path: configs.appendingPathComponent(file).path)
            XCTAssertEqual(config.model.kind, kind, file)
            XCTAssertEqual(config.model.channels.count, 7, file)
            // 128 mels x 160 frames end at one mel bin after seven halvings
            XCTAssertEqual(config.model.planeSizes(nMels: config.data.logMel.nMels, frames: config.data.patchFrames)?.last?.h, 1, file)
        }
    }
}

extension GenreCNN2dTests {
    /// `train.freeze: [block1]` on a resnet2d run: the whole first residual block (weights and
    /// batch-norm running statistics) stays bit-identical, the second block moves.
    func testFrozenResidualBlockStaysBitIdentical() throws {
        let dir = try TinyDataset.temporaryDirectory(self)
        let path = try TinyDataset.write(to: dir.appendingPathComponent("tiny.h5").path, data: TinyDataset.config().data)
        var config = TinyDataset.config()
        config.model.kind = .resnet2d
        config.model.channels = [4, 8]
        config.model.globalPool = [.max]
        config.train.optimizer = .adamw
        config.train.weightDecay = 0.05
        config.train.freeze = ["block1"]
        try config.validate()
        let trainer = try Trainer(config: config, tracks: try TrainingTracks.load(path: path),
                                  runDirectory: dir.appendingPathComponent("run"))
        XCTAssertFalse(trainer.optimizer.parameters.contains { $0.name.hasPrefix("block1.") })
        let before = trainer.model.stateDict()
        _ = try trainer.run()
        let after = trainer.model.stateDict()
        let frozen = before.names.filter { $0.hasPrefix("block1.") }
        XCTAssertTrue(frozen.contains("block1.downsample.1.running_mean"))
        for name in frozen { XCTAssertEqual(after[name]!.values, before[name]!.values, "\(name) moved") }
        for name in ["block2.conv1.weight", "block2.bn2.running_var", "out.weight"] {
            XCTAssertNotEqual(after[name]!.values, before[name]!.values, "\(name) did not move")
        }
    }
}
