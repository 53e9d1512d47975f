import XCTest
@testable import Tensor

final class BatchNormTests: XCTestCase {
    func testTrainingNormalisesAndUpdatesRunningStats() {
        let x = Tensor(shape: [4, 1], data: [1, 2, 3, 6])  // mean 3, biased var 3.5, unbiased 14/3
        let rm = Tensor.zeros([1]), rv = Tensor.ones([1])
        let y = batchNorm(x, weight: nil, bias: nil, runningMean: rm, runningVar: rv, training: true, momentum: 0.1, eps: 0)
        assertClose(y.data, [1, 2, 3, 6].map { ($0 - 3) / Float(3.5).squareRoot() })
        XCTAssertEqual(rm.data[0], 0.3, accuracy: 1e-6)
        XCTAssertEqual(rv.data[0], 0.9 + 0.1 * 14 / 3, accuracy: 1e-6)
        // Eval uses the running statistics and changes nothing.
        let e = batchNorm(x, weight: Tensor([2]), bias: Tensor([1]), runningMean: rm, runningVar: rv, training: false, eps: 0)
        assertClose(e.data, [1, 2, 3, 6].map { ($0 - 0.3) / rv.data[0].squareRoot() * 2 + 1 })
        XCTAssertEqual(rm.data[0], 0.3, accuracy: 1e-6)
    }

    func testGradients() {
        for shape in [[5, 3], [3, 2, 7], [2, 3, 3, 4]] {
            let c = shape[1]
            let x = randomTensor(shape, seed: 6), g = randomTensor([c], seed: 7) + 1, b = randomTensor([c], seed: 8)
            checkGradients([x, g, b]) { batchNorm($0[0], weight: $0[1], bias: $0[2], runningMean: nil, runningVar: nil, training: true) }
            let rm = randomTensor([c], seed: 9), rv = randomTensor([c], seed: 10).abs() + 0.5
            checkGradients([x, g, b]) { batchNorm($0[0], weight: $0[1], bias: $0[2], runningMean: rm, runningVar: rv, training: false) }
        }
    }
}
