import XCTest
@testable import Tensor

final class ElementwiseTests: XCTestCase {
    func testBroadcastShape() {
        XCTAssertEqual(broadcastShape([2, 3], [3]), [2, 3])
        XCTAssertEqual(broadcastShape([4, 1, 3], [2, 1]), [4, 2, 3])
        XCTAssertEqual(broadcastShape([], [2]), [2])
        XCTAssertNil(broadcastShape([2, 3], [2]))
    }

    func testBroadcastValues() {
        let a = Tensor(shape: [2, 3], data: [1, 2, 3, 4, 5, 6])
        XCTAssertEqual((a + Tensor([10, 20, 30])).data, [11, 22, 33, 14, 25, 36])
        XCTAssertEqual((a * Tensor(shape: [2, 1], data: [1, -1])).data, [1, 2, 3, -4, -5, -6])
        XCTAssertEqual((Tensor(shape: [2, 1], data: [1, 2]) - Tensor([1, 2, 3])).data, [0, -1, -2, 1, 0, -1])
        XCTAssertEqual((a / Tensor(scalar: 2)).data, [0.5, 1, 1.5, 2, 2.5, 3])
        XCTAssertEqual((2 - a * 2 + 1).data, [1, -1, -3, -5, -7, -9])
    }

    func testGradientsSameShape() {
        let a = randomTensor([3, 5], seed: 1), b = randomTensor([3, 5], seed: 2) + 3
        checkGradients([a, b]) { $0[0] + $0[1] }
        checkGradients([a, b]) { $0[0] - $0[1] }
        checkGradients([a, b]) { $0[0] * $0[1] }
        checkGradients([a, b]) { $0[0] / $0[1] }
    }

    func testGradientsBroadcast() {
        let cases: [([Int], [Int])] = [([2, 3, 5], [3, 1]), ([2, 3, 5], [5]), ([3, 1, 4], [1, 2, 1]), ([4, 3], []), ([1], [2, 3])]
        for (i, (sa, sb)) in cases.enumerated() {
            let a = randomTensor(sa, seed: UInt64(10 + i)), b = randomTensor(sb, seed: UInt64(20 + i)) + 4
            checkGradients([a, b]) { $0[0] + $0[1] }
            checkGradients([a, b]) { $0[0] - $0[1] }
            checkGradients([a, b]) { $0[0] * $0[1] }
            checkGradients([a, b]) { $0[0] / $0[1] }
        }
    }

    func testUnaryGradients() {
        let x = randomTensor([7], seed: 3)
        let positive = randomTensor([7], seed: 4).abs() + 0.5
        checkGradients([x]) { $0[0].exp() }
        checkGradients([positive]) { $0[0].log() }
        checkGradients([positive]) { $0[0].sqrt() }
        checkGradients([positive], eps: 1e-3) { $0[0].pow(1.7) }
        checkGradients([x]) { $0[0].squared() }
        checkGradients([x]) { ($0[0] * 3 - 1) / 2 }
        checkGradients([x]) { 1 - $0[0] + 2 }
        checkGradients([x]) { -$0[0] }
        checkGradients([positive]) { $0[0].abs() }
    }

    func testParallelLargeElementwiseMatchesSerial() {
        let a = randomTensor([300_000], seed: 5), b = randomTensor([300_000], seed: 6)
        let saved = Threads.count
        Threads.setCount(2)
        let parallel = (a * b + 1).data
        Threads.setCount(1)
        let serial = (a * b + 1).data
        Threads.setCount(saved)
        XCTAssertEqual(parallel, serial)
    }
}
