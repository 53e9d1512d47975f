import Foundation
@testable import MelCNN
import XCTest

final class WorkerPoolTests: XCTestCase {
    private struct Failed: Error, Equatable { let index: Int }

    /// A set of indices several workers add to.
    private final class Seen: @unchecked Sendable {
        private let lock = NSLock()
        private(set) var indices: [Int] = []
        func add(_ i: Int) { lock.lock(); indices.append(i); lock.unlock() }
    }

    func testForEachVisitsEveryIndexOnce() throws {
        for jobs in [1, 3, 64] {
            let seen = Seen()
            WorkerPool.forEach(count: 100, jobs: jobs) { i in seen.add(i) }
            XCTAssertEqual(seen.indices.sorted(), Array(0 ..< 100), "jobs \(jobs)")
        }
    }

    func testForEachRethrowsTheErrorAndStopsTakingIndices() {
        let seen = Seen()
        XCTAssertThrowsError(try WorkerPool.forEach(count: 10_000, jobs: 2) { i in
            seen.add(i)
            if i == 5 { throw Failed(index: i) }
        }) { error in XCTAssertEqual(error as? Failed, Failed(index: 5)) }
        XCTAssertLessThan(seen.indices.count, 10_000)
    }

    func testEveryWorkerHasItsOwnState() {
        let seen = Seen()
        let states = Seen()
        WorkerPool.forEach(count: 50, jobs: 4, state: { () -> [Int] in states.add(0); return [] }) { mine, i in
            mine.append(i)
            seen.add(i)
        }
        XCTAssertEqual(seen.indices.sorted(), Array(0 ..< 50))
        XCTAssertLessThanOrEqual(states.indices.count, 4)
        XCTAssertGreaterThanOrEqual(states.indices.count, 1)
    }

    func testForEachInOrderConsumesInIndexOrderOnTheCallingThread() throws {
        var consumed: [Int] = []
        try WorkerPool.forEachInOrder(count: 200, jobs: 3, work: { i in i * i }) { i, square in
            XCTAssertEqual(square, i * i)
            consumed.append(i)
        }
        XCTAssertEqual(consumed, Array(0 ..< 200))
    }

    func testForEachInOrderStopsWhenTheConsumerThrows() {
        let worked = Seen()
        XCTAssertThrowsError(try WorkerPool.forEachInOrder(count: 10_000, jobs: 2, work: { i in worked.add(i); return i }) { i, _ in
            if i == 3 { throw Failed(index: i) }
        }) { error in XCTAssertEqual(error as? Failed, Failed(index: 3)) }
        // At most 2 * jobs results wait beyond the consumer, plus one item per worker in progress.
        XCTAssertLessThanOrEqual(worked.indices.count, 4 + 2 * 2 + 2)
    }
}
