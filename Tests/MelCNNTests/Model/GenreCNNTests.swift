import XCTest
@testable import MelCNN
import NN
import Tensor

final class GenreCNNTests: XCTestCase {
    func testReferenceArchitectureShapesAndNames() {
        var spec = ModelSpec()   // Dieleman's network
        spec.dense = [32, 32]    // keep the test light; conv widths as the reference
        var rng = SeededGenerator(seed: 1)
        let model = GenreCNN(spec: spec, inputChannels: 128, classCount: 10, using: &rng)
        let names = model.stateDict().names
        XCTAssertEqual(names, ["conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias", "conv3.weight", "conv3.bias",
                               "fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias", "out.weight", "out.bias"])
        let shapes = Dictionary(uniqueKeysWithValues: model.stateDict().map { ($0.0, $0.1.shape) })
        XCTAssertEqual(shapes["conv1.weight"], [256, 128, 4])
        XCTAssertEqual(shapes["conv2.weight"], [256, 256, 4])
        XCTAssertEqual(shapes["conv3.weight"], [512, 256, 4])
        XCTAssertEqual(shapes["fc1.weight"], [32, 1536])
        XCTAssertEqual(shapes["out.weight"], [10, 32])
        model.train(false)
        let out = Autograd.noGrad { model.forwardAll(Tensor.zeros([2, 128, 599])) }
        XCTAssertEqual(out.pooled.shape, [2, 1536])
        XCTAssertEqual(out.hidden.map(\.shape), [[2, 32], [2, 32]])
        XCTAssertEqual(out.logits.shape, [2, 10])
    }

    func testBatchNormAndAvgPoolVariant() {
        var spec = ModelSpec()
        spec.conv = [.init(channels: 4, kernel: 3, pool: 2, poolKind: .avg), .init(channels: 6, kernel: 2, padding: 1)]
        spec.batchNorm = true
        spec.globalPool = [.max, .l2]
        spec.dense = []
        var rng = SeededGenerator(seed: 1)
        let model = GenreCNN(spec: spec, inputChannels: 5, classCount: 3, using: &rng)
        XCTAssertEqual(model.stateDict().names, [
            "conv1.weight", "bn1.weight", "bn1.bias", "bn1.running_mean", "bn1.running_var", "bn1.num_batches_tracked",
            "conv2.weight", "bn2.weight", "bn2.bias", "bn2.running_mean", "bn2.running_var", "bn2.num_batches_tracked",
            "out.weight", "out.bias"])
        let out = model.forwardAll(Tensor.zeros([3, 5, 20]))
        XCTAssertEqual(out.pooled.shape, [3, 12])
        XCTAssertEqual(out.logits.shape, [3, 3])
        XCTAssertEqual(spec.timeLengths(frames: 20), [9, 10])
    }

    func testEmbeddingLayerNames() throws {
        var spec = ModelSpec()
        spec.dense = [8, 8]
        XCTAssertEqual(try EmbeddingLayer(name: "pool", spec: spec), .pool)
        XCTAssertEqual(try EmbeddingLayer(name: "fc2", spec: spec), .fc(2))
        XCTAssertThrowsError(try EmbeddingLayer(name: "fc3", spec: spec)) { error in
            XCTAssertTrue("\(error)".contains("pool, fc1, fc2"), "\(error)")
        }
    }
}
