import XCTest
@testable import Tensor

final class TensorTests: XCTestCase {
    func testCreation() {
        XCTAssertEqual(Tensor.zeros([2, 3]).data, [Float](repeating: 0, count: 6))
        XCTAssertEqual(Tensor.ones([4]).data, [1, 1, 1, 1])
        XCTAssertEqual(Tensor.full([2], 7).data, [7, 7])
        XCTAssertEqual(Tensor.arange(0, 5).data, [0, 1, 2, 3, 4])
        XCTAssertEqual(Tensor.arange(1, 2, step: 0.25).data, [1, 1.25, 1.5, 1.75])
        XCTAssertEqual(Tensor(scalar: 3).item, 3)
        XCTAssertEqual(Tensor(scalar: 3).shape, [])
        XCTAssertEqual(Tensor(shape: [2, 2], data: [1, 2, 3, 4]).count, 4)
    }

    func testRandomIsSeededAndInRange() {
        var a = SeededGenerator(seed: 5), b = SeededGenerator(seed: 5)
        let u = Tensor.uniform([1000], low: -2, high: 3, using: &a)
        XCTAssertEqual(u.data, Tensor.uniform([1000], low: -2, high: 3, using: &b).data)
        XCTAssertTrue(u.data.allSatisfy { $0 >= -2 && $0 < 3 })
        let n = Tensor.normal([20000], mean: 1, std: 2, using: &a)
        let mean = n.data.reduce(0, +) / Float(n.count)
        let std = (n.data.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Float(n.count)).squareRoot()
        XCTAssertEqual(mean, 1, accuracy: 0.05)
        XCTAssertEqual(std, 2, accuracy: 0.05)
    }

    func testDetachedHasNoGraph() {
        let x = Tensor([1, 2], requiresGrad: true)
        let y = (x * 2).detached()
        XCTAssertFalse(y.requiresGrad)
        XCTAssertEqual(y.data, [2, 4])
    }

    func testThreadCount() {
        let before = Threads.count
        Threads.setCount(1)
        XCTAssertEqual(Threads.count, 1)
        Threads.setCount(0)
        XCTAssertEqual(Threads.count, 1)
        Threads.setCount(before)
        XCTAssertEqual(Threads.count, before)
    }

    func testParallelChunksCoverEveryIndexOnce() {
        let saved = Threads.count
        defer { Threads.setCount(saved) }
        for threads in [1, 2, 3] {
            Threads.setCount(threads)
            for n in [1, 2, 5, 31] {
                var hits = [Int](repeating: 0, count: n)
                hits.withUnsafeMutableBufferPointer { h in
                    let h = h.baseAddress!
                    _ = Threads.parallelChunks(n) { _, range in for i in range { h[i] += 1 } }
                }
                XCTAssertEqual(hits, [Int](repeating: 1, count: n), "threads \(threads), n \(n)")
            }
        }
    }
}
