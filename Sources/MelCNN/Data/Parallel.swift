import Foundation

/// Runs `body(i)` for every `i` in `0..<count` on `jobs` threads (each pulls the
/// next index from a shared counter). The first error thrown stops further work
/// and is rethrown.
func parallelForEach(count: Int, jobs: Int, _ body: @escaping @Sendable (Int) throws -> Void) throws {
    guard count > 0 else { return }
    let workers = max(1, min(jobs, count))
    if workers == 1 {
        for i in 0 ..< count { try body(i) }
        return
    }
    final class Shared: @unchecked Sendable {
        let lock = NSLock()
        var next = 0
        var error: Error?
        func take() -> Int? {
            lock.lock(); defer { lock.unlock() }
            guard error == nil, next < limit else { return nil }
            next += 1
            return next - 1
        }
        func fail(_ e: Error) { lock.lock(); if error == nil { error = e }; lock.unlock() }
        let limit: Int
        init(limit: Int) { self.limit = limit }
    }
    let shared = Shared(limit: count)
    let group = DispatchGroup()
    for _ in 0 ..< workers {
        group.enter()
        let thread = Thread {
            while let i = shared.take() {
                do { try body(i) } catch { shared.fail(error) }
            }
            group.leave()
        }
        thread.stackSize = 8 << 20
        thread.start()
    }
    group.wait()
    if let error = shared.error { throw error }
}
