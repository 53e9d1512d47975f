import Foundation

/// Runs `work(i)` for `i in 0..<count` on `jobs` threads and hands the results to the
/// caller's thread in index order. At most `2 * jobs` results wait in the reorder
/// buffer: a worker whose index is that far ahead of the consumer waits.
final class OrderedPipeline<Output>: @unchecked Sendable {
    private let count: Int
    private let jobs: Int
    private let work: (Int) -> Output
    private let condition = NSCondition()
    private var ready: [Int: Output] = [:]
    private var nextIndex = 0
    private var consumed = 0
    private var stopped = false

    init(count: Int, jobs: Int, work: @escaping (Int) -> Output) {
        self.count = count
        self.jobs = max(1, jobs)
        self.work = work
    }

    /// Calls `consume(i, output)` for every index in order on this thread. If `consume`
    /// throws, the workers stop and the error is rethrown.
    func run(_ consume: (Int, Output) throws -> Void) throws {
        let capacity = 2 * jobs
        let group = DispatchGroup()
        for _ in 0 ..< min(jobs, count) {
            group.enter()
            let thread = Thread { [self] in
                while true {
                    condition.lock()
                    while !stopped && nextIndex < count && nextIndex >= consumed + capacity { condition.wait() }
                    if stopped || nextIndex >= count { condition.unlock(); break }
                    let i = nextIndex
                    nextIndex += 1
                    condition.unlock()
                    let output = work(i)
                    condition.lock()
                    ready[i] = output
                    condition.broadcast()
                    condition.unlock()
                }
                group.leave()
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
        defer {
            condition.lock(); stopped = true; condition.broadcast(); condition.unlock()
            group.wait()
        }
        for i in 0 ..< count {
            condition.lock()
            while ready[i] == nil { condition.wait() }
            let output = ready.removeValue(forKey: i)!
            consumed = i + 1
            condition.broadcast()
            condition.unlock()
            try consume(i, output)
        }
    }
}
