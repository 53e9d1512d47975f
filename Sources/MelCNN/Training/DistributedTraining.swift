import Foundation
import NN
import Tensor

/// Data-parallel training over MPI: what `Trainer` does differently when it runs as one rank of
/// an `mpirun -np N` job (set `Trainer.distributed`).
///
/// - Batches: every rank draws the same global batch of `train.batch_size` patches (the sampler
///   is a pure function of seed and step) and reads and trains on its own contiguous share,
///   `shard(batchSize:)` (rank order; shares differ by at most one patch).
/// - Gradients: each rank's gradient (of the mean loss over its share) is scaled by
///   `share / batch_size` and the scaled gradients are summed over the ranks, so every rank
///   holds the gradient of the mean loss over the global batch, as one process would. With
///   `overlapsBackward` (the default) buckets of about `bucketBytes` start their nonblocking sum
///   while the backward pass still runs (`OverlappedGradientReduction`); without it the sums run
///   after the pass (a barrier, then MPI_Allreduce per bucket, large gradients in place). Either
///   way the buckets follow one fixed order (parameters in reverse registration order, the order
///   backward finishes them), so that a run is reproducible for a given N, and both give the
///   same sums. Gradient clipping then sees the global gradient.
/// - Dropout: each dropout layer skips the random draws of the patches before this rank's share
///   and after it, so every rank draws the masks one process would draw for those patches and the
///   generators stay identical on every rank (a checkpoint of rank 0 resumes every rank).
/// - Batch norm: statistics are per rank (each normalises over its own share); the running
///   statistics are averaged over the ranks at the end of every epoch, before validation and the
///   checkpoint. With batch norm, N ranks therefore differ from one process by more than rounding.
///   With `train.sync_batch_norm` every batch-norm layer sums its statistics over the ranks
///   (`MPIBatchStatisticsReducer`): every rank normalises with the global batch's statistics
///   and N ranks equal one process within rounding.
/// - Counters and stopping: the loss sum, correct count and patch count of every step are summed
///   over the ranks together with "stop requested" (Ctrl-C or SIGTERM on any rank), so every rank
///   reports the global running means and all stop after the same step.
/// - Validation: the validation tracks are split into contiguous ranges per rank, and the patch
///   probabilities are gathered (every rank gets all of them, so every rank reaches the same
///   early-stopping decision).
/// - Files: only rank 0 writes (`isWriter`); every rank reads `last.h5` to resume.
public final class DistributedTraining: @unchecked Sendable {
    public let world: MPIWorld
    /// Target size of one gradient allreduce (a larger parameter gets a bucket of its own).
    public let bucketBytes: Int
    /// Only rank 0 writes checkpoints, metrics and pictures.
    public var isWriter: Bool { world.rank == 0 }
    /// "Stop" as agreed by all ranks at the end of the last step.
    public private(set) var stopAgreed = false
    /// Steps whose gradients were reduced; seconds spent waiting for the slowest rank to finish
    /// its backward pass (a barrier), and seconds spent in the gradient allreduces proper.
    public private(set) var reducedSteps = 0
    public private(set) var waitSeconds = 0.0
    public private(set) var gradientReduceSeconds = 0.0
    /// Gradient values per step and buckets per step (after the first step).
    public private(set) var gradientValues = 0
    public private(set) var bucketsPerStep = 0

    /// Sum the gradients while the backward pass runs (true) or after it (false).
    public let overlapsBackward: Bool
    private var overlapped: OverlappedGradientReduction?
    /// Synchronised batch norm (`train.sync_batch_norm`), installed at the first step.
    private var statisticsReducer: MPIBatchStatisticsReducer?

    public init(world: MPIWorld, bucketBytes: Int = 4 << 20, overlapsBackward: Bool = true) {
        precondition(bucketBytes >= 4, "DistributedTraining: bucket of less than one float")
        self.world = world
        self.bucketBytes = bucketBytes
        self.overlapsBackward = overlapsBackward
    }

    /// This rank's share `lo ..< hi` of a global batch of `batchSize` patches (rank order).
    public func shard(batchSize: Int) -> Range<Int> {
        (world.rank * batchSize / world.size) ..< ((world.rank + 1) * batchSize / world.size)
    }

    /// Checks that the run can be split (every rank needs at least one patch per step) and sets
    /// the compute threads: with `train.threads: 0`, the cores of this machine divided by the
    /// ranks on it.
    public func configure(_ train: TrainConfig) throws {
        guard train.batchSize >= world.size else {
            throw MelCNNError.invalidArgument("train.batch_size = \(train.batchSize) is smaller than the \(world.size) MPI ranks "
                + "(every rank takes a share of each batch)")
        }
        if train.syncBatchNorm {
            guard train.batchSize % world.size == 0 else {
                throw MelCNNError.invalidArgument("train.sync_batch_norm needs train.batch_size (\(train.batchSize)) to be a multiple of "
                    + "the \(world.size) MPI ranks (every rank's loss gradient must carry the same scale)")
            }
            statisticsReducer = MPIBatchStatisticsReducer(world: world)
        }
        if train.threads == 0 {
            Threads.setCount(max(1, ProcessInfo.processInfo.activeProcessorCount / world.localSize))
        }
    }

    // MARK: Trainer hooks

    /// Before the forward pass of a step: dropout skips the draws of the patches before this
    /// rank's share.
    func beforeForward(_ model: GenreCNN, batchSize: Int) throws {
        skipDropout(model, patches: shard(batchSize: batchSize).lowerBound)
        if let statisticsReducer {
            try statisticsReducer.check()
            statisticsReducer.install(in: model)
        }
    }

    /// `loss.backward()` of a step, after which the gradients of `parameters` are the global
    /// batch's gradient (see the type's doc) and dropout has skipped the draws of the patches
    /// after this rank's share. `gradientReduceSeconds` grows by the time spent on the sums
    /// after the pass (all of it without overlap; what the pass did not hide with it).
    func backward(_ loss: Tensor, model: GenreCNN, parameters: [Tensor], batchSize: Int) throws {
        guard overlapsBackward else {
            loss.backward()
            try afterBackward(model, parameters: parameters, batchSize: batchSize)
            return
        }
        let share = shard(batchSize: batchSize)
        let ids = parameters.map { ObjectIdentifier($0) }
        if overlapped?.parameterIDs != ids {
            overlapped = OverlappedGradientReduction(world: world, parameters: parameters, bucketBytes: bucketBytes)
        }
        let reduction = overlapped!
        reduction.begin(scale: Float(share.count) / Float(batchSize))
        loss.backward(observer: reduction)
        skipDropout(model, patches: batchSize - share.upperBound)
        let start = DispatchTime.now().uptimeNanoseconds
        try reduction.finish()
        try statisticsReducer?.check()
        gradientReduceSeconds += Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        reducedSteps += 1
        bucketsPerStep = reduction.messages
        gradientValues = reduction.values
    }

    /// After `loss.backward()` (no overlap): dropout skips the draws of the patches after this
    /// rank's share, and the gradients of `parameters` become the global batch's gradient.
    func afterBackward(_ model: GenreCNN, parameters: [Tensor], batchSize: Int) throws {
        let share = shard(batchSize: batchSize)
        skipDropout(model, patches: batchSize - share.upperBound)
        try statisticsReducer?.check()
        // The barrier separates load imbalance (waiting for the slowest rank) from the transfer.
        let start = DispatchTime.now().uptimeNanoseconds
        try world.barrier("MPI_Barrier before the gradient allreduce")
        let ready = DispatchTime.now().uptimeNanoseconds
        try reduceGradients(parameters, scale: Float(share.count) / Float(batchSize))
        waitSeconds += Double(ready - start) / 1e9
        gradientReduceSeconds += Double(DispatchTime.now().uptimeNanoseconds - ready) / 1e9
        reducedSteps += 1
    }

    /// Sums a step's counters over the ranks and agrees on stopping (true when any rank asks).
    func sumCounters(lossSum: Double, correct: Int, seen: Int, stopRequested: Bool) throws -> (lossSum: Double, correct: Int, seen: Int) {
        var values = [lossSum, Double(correct), Double(seen), stopRequested ? 1 : 0]
        try world.allreduceSum(&values, what: "MPI_Allreduce of the step counters")
        stopAgreed = values[3] > 0
        return (values[0], Int(values[1].rounded()), Int(values[2].rounded()))
    }

    /// At the end of an epoch: batch-norm running statistics become their mean over the ranks.
    func endEpoch(_ model: GenreCNN) throws {
        let buffers = model.namedBuffers().filter { $0.name.hasSuffix("running_mean") || $0.name.hasSuffix("running_var") }
        // Synchronised batch norm: every rank already holds the same running statistics.
        guard !buffers.isEmpty, world.size > 1, statisticsReducer == nil else { return }
        var flat = buffers.flatMap(\.tensor.data)
        try flat.withUnsafeMutableBufferPointer { try world.allreduceSum($0, what: "MPI_Allreduce of the batch-norm statistics") }
        var offset = 0
        let inverse = 1 / Float(world.size)
        for (_, t) in buffers {
            for i in 0 ..< t.count { t.data[i] = flat[offset + i] * inverse }
            offset += t.count
        }
    }

    /// `GenreCNN.predict` over `trackIndices` split into contiguous ranges per rank, the
    /// probabilities gathered on every rank (in track order, as one process returns them).
    func predict(_ model: GenreCNN, tracks: TrainingTracks, trackIndices: [Int], patchFrames: Int, hop: Int,
                 batchSize: Int) throws -> TrackPredictions {
        let n = trackIndices.count
        let lo = world.rank * n / world.size, hi = (world.rank + 1) * n / world.size
        let patchesPerTrack = trackIndices.map { tracks.evaluationStarts(track: $0, patchFrames: patchFrames, hop: hop).count }
        let total = patchesPerTrack.reduce(0, +)
        let firstPatch = patchesPerTrack[0 ..< lo].reduce(0, +)
        let mine = try model.predict(tracks: tracks, trackIndices: Array(trackIndices[lo ..< hi]), patchFrames: patchFrames,
                                 hop: hop, batchSize: batchSize)
        let k = model.classCount
        // Each rank fills its own rows, zeros elsewhere: the sum is an exact gather (x + 0 = x).
        var probabilities = [Float](repeating: 0, count: total * k)
        for (i, p) in mine.probabilities.enumerated() { probabilities[firstPatch * k + i] = p }
        try probabilities.withUnsafeMutableBufferPointer { try world.allreduceSum($0, what: "MPI_Allreduce of the validation predictions") }
        var patchTracks: [Int] = []
        patchTracks.reserveCapacity(total)
        for (t, count) in patchesPerTrack.enumerated() { patchTracks += repeatElement(t, count: count) }
        return TrackPredictions(probabilities: probabilities, patchTracks: patchTracks, embeddings: [], embeddingDim: 0)
    }

    // MARK: Internals

    /// Advances every active dropout generator by the draws of `patches` patches (one uniform
    /// per element of the layer's `[patches, units]` input, as `dropout` draws them).
    func skipDropout(_ model: GenreCNN, patches: Int) {
        guard patches > 0 else { return }
        for (j, d) in model.dropouts.enumerated() where d.isTraining && d.p > 0 {
            let draws = patches * model.dense[j].weight.shape[0]
            for _ in 0 ..< draws { _ = d.generator.next() }
        }
    }

    /// Scales the gradients by `scale` and sums them over the ranks in reverse parameter order:
    /// a gradient of at least half a bucket is reduced in place in its own buffer (no copies);
    /// smaller ones are packed into buckets of up to `bucketBytes`. A parameter without a
    /// gradient (identical on every rank: same model) is left without one.
    func reduceGradients(_ parameters: [Tensor], scale: Float) throws {
        let order = parameters.reversed().filter { $0.grad != nil }
        let capacity = max(1, bucketBytes / 4)
        var buffer: [Float] = []
        var bucket: [Tensor] = [], filled = 0, buckets = 0, values = 0
        func flush() throws {
            guard !bucket.isEmpty else { return }
            if buffer.isEmpty { buffer = [Float](repeating: 0, count: capacity) }
            try buffer.withUnsafeMutableBufferPointer { p in
                var offset = 0
                for t in bucket {
                    t.grad!.withUnsafeBufferPointer { g in for i in 0 ..< g.count { p[offset + i] = g[i] * scale } }
                    offset += t.count
                }
                try world.allreduceSum(UnsafeMutableBufferPointer(rebasing: p[0 ..< filled]), what: "MPI_Allreduce of the gradients")
                offset = 0
                for t in bucket {
                    t.grad!.withUnsafeMutableBufferPointer { g in for i in 0 ..< g.count { g[i] = p[offset + i] } }
                    offset += t.count
                }
            }
            buckets += 1
            values += filled
            bucket.removeAll(keepingCapacity: true)
            filled = 0
        }
        for t in order {
            if 2 * t.count >= capacity {
                try flush()   // keep the fixed order: what was packed before goes first
                try t.grad!.withUnsafeMutableBufferPointer { g in
                    if scale != 1 { for i in 0 ..< g.count { g[i] *= scale } }
                    try world.allreduceSum(g, what: "MPI_Allreduce of the gradients")
                }
                buckets += 1
                values += t.count
                continue
            }
            if filled + t.count > capacity { try flush() }
            bucket.append(t)
            filled += t.count
        }
        try flush()
        bucketsPerStep = buckets
        gradientValues = values
    }
}
