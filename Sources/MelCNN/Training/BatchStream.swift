import Foundation
import Tensor

/// One training batch: patches `[count, nMels, patchFrames]` (flat) and their labels.
public struct PatchBatch: Sendable {
    public var inputs: [Float]
    /// Class of each patch (with mixup: the class with the larger target weight).
    public var labels: [Int]
    /// Soft targets `[count, classes]` (flat) when mixup mixed the batch, else nil; for a
    /// tagged data set always the patches' tags (0/1, mixed by mixup).
    public var targets: [Float]? = nil
    public var count: Int { labels.count }
}

/// Builds batches `first ..< end` of a sampler on a background thread, up to `depth`
/// ahead of the consumer, and measures how long the consumer waited for them. When the
/// thread has not even started the batch the consumer needs, the consumer builds it itself.
public final class PrefetchingBatches: @unchecked Sendable {
    private let sampler: RandomPatchSampler
    private let end: Int
    private let depth: Int
    private let condition = NSCondition()
    private var ready: [Int: PatchBatch] = [:]
    private var nextToBuild: Int
    private var nextToTake: Int
    private var cancelled = false
    /// Seconds `next()` spent blocked waiting for a batch.
    public private(set) var waitSeconds: Double = 0

    public init(sampler: RandomPatchSampler, steps: Range<Int>, depth: Int) {
        self.sampler = sampler
        end = steps.upperBound
        self.depth = max(0, depth)
        nextToBuild = steps.lowerBound
        nextToTake = steps.lowerBound
        if self.depth > 0 {
            let thread = Thread { [self] in produce() }
            thread.name = "melcnn-prefetch"
            thread.start()
        }
    }

    deinit { cancel() }

    /// Stops the background thread (call when abandoning the epoch early).
    public func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
    }

    private func produce() {
        while true {
            condition.lock()
            while !cancelled && nextToBuild < end && nextToBuild - nextToTake >= depth { condition.wait() }
            if cancelled || nextToBuild >= end { condition.unlock(); return }
            let step = nextToBuild
            nextToBuild += 1
            condition.unlock()
            let batch = sampler.batch(step: step)
            condition.lock()
            if step >= nextToTake { ready[step] = batch } // else the consumer built it meanwhile
            condition.broadcast()
            condition.unlock()
        }
    }

    /// The next batch in step order (built here when prefetching is off). Throws the first
    /// error a streamed data set met reading `/mels` (`TrainingTracks.throwReadError`).
    public func next() throws -> PatchBatch {
        let batch = take()
        try sampler.tracks.throwReadError()
        return batch
    }

    private func take() -> PatchBatch {
        let step = nextToTake
        if depth == 0 {
            nextToTake += 1
            let start = DispatchTime.now().uptimeNanoseconds
            defer { waitSeconds += Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }
            return sampler.batch(step: step)
        }
        let start = DispatchTime.now().uptimeNanoseconds
        defer { waitSeconds += Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }
        condition.lock()
        if ready[step] == nil, nextToBuild == step {
            // The background thread has not started this batch (it may be starved of CPU
            // on a busy machine): build it here rather than wait for the thread.
            nextToBuild += 1
            nextToTake += 1
            condition.broadcast()
            condition.unlock()
            return sampler.batch(step: step)
        }
        // The thread is building it: wait a little, then (a descheduled thread on a loaded
        // machine can take long) build the same batch here; batches depend only on the step.
        let patience = Date().addingTimeInterval(0.002)
        while ready[step] == nil {
            if !condition.wait(until: patience), ready[step] == nil {
                nextToTake += 1
                condition.broadcast()
                condition.unlock()
                return sampler.batch(step: step)
            }
        }
        let batch = ready.removeValue(forKey: step)!
        nextToTake += 1
        condition.broadcast()
        condition.unlock()
        return batch
    }
}
