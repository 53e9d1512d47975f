import Foundation
import HDF5
import XCTest
@testable import Tensor

/// The factor-regression losses against finite differences (PyTorch parity below).
final class RegressionLossTests: XCTestCase {
    func testCosineDistanceGradientMatchesFiniteDifferences() {
        var rng = SeededGenerator(seed: 5)
        let x = Tensor.normal([5, 4], mean: 0, std: 1, using: &rng, requiresGrad: true)
        let targets = Tensor.normal([5, 4], mean: 0, std: 1, using: &rng).data
        checkGradients([x], eps: 1e-2, tolerance: 2e-2) { cosineDistanceLoss($0[0], targets: targets) }
    }

    func testCosineDistanceIsZeroForParallelAndTwoForOpposite() {
        let x = Tensor(shape: [2, 3], data: [1, 2, 3, -1, 0, 2])
        XCTAssertEqual(cosineDistanceLoss(x, targets: [2, 4, 6, -2, 0, 4]).item, 0, accuracy: 1e-6)
        XCTAssertEqual(cosineDistanceLoss(x, targets: [-1, -2, -3, 2, 0, -4]).item, 2, accuracy: 1e-6)
    }
}

extension PyTorchParityTests {
    /// `F.mse_loss` and `1 - F.cosine_similarity(x, y).mean()` against PyTorch 2.15
    /// (`Tests/Fixtures/nn_regression_loss.h5`, `generate_regression_loss_fixture.py`):
    /// loss and gradient within 1e-4 of max |reference|.
    func testRegressionLossesMatchPyTorch() throws {
        let path = URL(fileURLWithPath: Self.path).deletingLastPathComponent().appendingPathComponent("nn_regression_loss.h5").path
        let file = try H5File.open(path)
        for name in ["mse", "cosine", "cosine_zero_rows"] {
            try check(name, file) { c in
                let targets = try c.array("targets")
                return name == "mse" ? mseLoss(c["x"], Tensor(shape: c["x"].shape, data: targets))
                    : cosineDistanceLoss(c["x"], targets: targets)
            }
        }
    }
}
