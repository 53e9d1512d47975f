import Foundation

/// melcnn's worker pool: the one place that starts threads for job-level work (files of
/// `synth` and `prepare`, blocks of rows of k-means, t-SNE and silhouettes). Workers are
/// threads with 8 MiB stacks, like the main thread (decoders and FFTW's planner recurse
/// deeply); each pulls the next index from a shared counter, so uneven jobs balance.
/// Compute kernels inside Tensor (im2col, SGEMM blocks) use `Threads` instead, Dispatch's
/// pool for many short loops; both take their thread count from `Threads.count` or `--jobs`.
///
/// ```swift
/// try WorkerPool.forEach(count: files.count, jobs: 4) { i in try convert(files[i]) }
/// try WorkerPool.forEachInOrder(count: files.count, jobs: 4, work: { i in decode(files[i]) }) { i, audio in
///     try writer.append(audio)          // on the calling thread, in index order
/// }
/// ```
public enum WorkerPool {
    /// Stack size of every worker thread, bytes.
    static let stackSize = 8 << 20

    /// Runs `body(worker)` for `worker` in `0 ..< workers`, each on a thread of its own (on the
    /// calling thread when `workers` is 1), and returns when every one has returned.
    public static func run(workers: Int, _ body: @escaping @Sendable (_ worker: Int) -> Void) {
        guard workers > 1 else {
            if workers == 1 { body(0) }
            return
        }
        let threads = (0 ..< workers).map { worker in WorkerThread { body(worker) } }
        for thread in threads { thread.join() }
    }

    /// Runs `body(i)` for every `i` in `0 ..< count` on `min(jobs, count)` workers. The first
    /// error thrown stops further work (indices not yet taken are skipped) and is rethrown;
    /// a `body` that cannot throw makes the call non-throwing (typed throws, `E == Never`).
    public static func forEach<E: Error>(count: Int, jobs: Int, _ body: @Sendable (Int) throws(E) -> Void) throws(E) {
        guard count > 0 else { return }
        let workers = max(1, min(jobs, count))
        if workers == 1 {
            for i in 0 ..< count { try body(i) }
            return
        }
        let counter = IndexCounter(limit: count)
        withoutActuallyEscaping(body) { body in
            run(workers: workers) { _ in
                while let i = counter.take() {
                    do { try body(i) } catch { counter.fail(error) }
                }
            }
        }
        if let error = counter.error { throw error as! E }   // only `body`'s errors are recorded
    }

    /// Runs `body(&state, i)` for every `i` in `0 ..< count` on `min(jobs, count)` workers, each
    /// with a `state` of its own made once by `makeState` (scratch buffers, a heap).
    public static func forEach<State>(count: Int, jobs: Int, state makeState: @Sendable () -> State,
                                      _ body: @Sendable (inout State, Int) -> Void) {
        guard count > 0 else { return }
        let counter = IndexCounter(limit: count)
        withoutActuallyEscaping(makeState) { makeState in
            withoutActuallyEscaping(body) { body in
                run(workers: max(1, min(jobs, count))) { _ in
                    var state = makeState()
                    while let i = counter.take() { body(&state, i) }
                }
            }
        }
    }

    /// Runs `work(i)` for `i` in `0 ..< count` on `jobs` workers and hands each result to
    /// `consume(i, output)` on the calling thread, in index order. At most `2 * jobs` results
    /// wait to be consumed: a worker that far ahead of the consumer waits. If `consume` throws,
    /// the workers stop after their current item and the error is rethrown.
    public static func forEachInOrder<Output>(count: Int, jobs: Int, work: @Sendable (Int) -> Output,
                                              consume: (Int, Output) throws -> Void) throws {
        guard count > 0 else { return }
        let queue = ReorderBuffer<Output>(count: count, capacity: 2 * max(1, jobs))
        try withoutActuallyEscaping(work) { work in
            let producers = WorkerThread {
                run(workers: max(1, min(jobs, count))) { _ in
                    while let i = queue.take() { queue.put(work(i), at: i) }
                }
            }
            defer {
                queue.stop()
                producers.join()
            }
            for i in 0 ..< count {
                try consume(i, queue.next(i))
            }
        }
    }
}

/// One thread of `WorkerPool` (8 MiB stack) running `body` once. `join()` waits for it and then
/// drops `body`, so that nothing the body captured outlives the pool's call (the `Thread` object
/// itself may live a little longer than its thread's work).
private final class WorkerThread: @unchecked Sendable {
    private var body: (@Sendable () -> Void)?
    private let finished = DispatchSemaphore(value: 0)

    init(_ body: @escaping @Sendable () -> Void) {
        self.body = body
        let thread = Thread { [self] in
            self.body?()
            finished.signal()
        }
        thread.stackSize = WorkerPool.stackSize
        thread.start()
    }

    /// Waits until the body has returned, then releases it.
    func join() {
        finished.wait()
        body = nil
    }
}

/// The next index for `WorkerPool`'s workers, and the first error one of them threw.
private final class IndexCounter: @unchecked Sendable {
    private let lock = NSLock()
    private let limit: Int
    private var next = 0
    private(set) var error: Error?

    init(limit: Int) { self.limit = limit }

    /// The next index not yet taken, or nil when all are taken or a worker failed.
    func take() -> Int? {
        lock.lock(); defer { lock.unlock() }
        guard error == nil, next < limit else { return nil }
        next += 1
        return next - 1
    }

    /// Records `error` (the first one wins) and stops handing out indices.
    func fail(_ error: Error) {
        lock.lock(); defer { lock.unlock() }
        if self.error == nil { self.error = error }
    }
}

/// Results of `forEachInOrder` that wait for the consumer: indices are handed out only
/// while fewer than `capacity` results are ahead of it.
private final class ReorderBuffer<Output>: @unchecked Sendable {
    private let condition = NSCondition()
    private let count: Int
    private let capacity: Int
    private var ready: [Int: Output] = [:]
    private var nextIndex = 0
    private var consumed = 0
    private var stopped = false

    init(count: Int, capacity: Int) {
        self.count = count
        self.capacity = capacity
    }

    /// The next index to work on (waiting while the workers are `capacity` ahead), or nil
    /// when every index is taken or the consumer stopped.
    func take() -> Int? {
        condition.lock(); defer { condition.unlock() }
        while !stopped && nextIndex < count && nextIndex >= consumed + capacity { condition.wait() }
        guard !stopped, nextIndex < count else { return nil }
        nextIndex += 1
        return nextIndex - 1
    }

    func put(_ output: Output, at index: Int) {
        condition.lock(); defer { condition.unlock() }
        ready[index] = output
        condition.broadcast()
    }

    /// Waits for the result of `index` and removes it.
    func next(_ index: Int) -> Output {
        condition.lock(); defer { condition.unlock() }
        while ready[index] == nil { condition.wait() }
        consumed = index + 1
        condition.broadcast()
        return ready.removeValue(forKey: index)!
    }

    /// Makes the workers stop taking indices (the consumer finished or failed).
    func stop() {
        condition.lock(); defer { condition.unlock() }
        stopped = true
        condition.broadcast()
    }
}
