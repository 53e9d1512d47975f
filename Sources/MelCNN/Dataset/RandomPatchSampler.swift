import Foundation
import Tensor

/// How `RandomPatchSampler` picks the track of each patch (config key `data.sampling`).
public enum PatchSampling: String, CaseIterable, Sendable {
    /// Every training track equally likely, then a uniform start in it.
    case tracks
    /// A track with probability proportional to its usable frames (its number of patch
    /// start positions, `max(1, frames - patchFrames + 1)`), then a uniform start: every
    /// patch position of the training split equally likely, so long tracks weigh more.
    case frames
}

/// Random training patches, a pure function of `(seed, step)`: batch `s` picks
/// `batchSize` training tracks (uniformly, or in proportion to their frames) and a uniform
/// random start in each, with a generator seeded from the seed and the step. A resumed run
/// therefore sees exactly the batches an uninterrupted one would, and batches can be built
/// ahead of time. Tracks shorter than a patch start at frame 0 and are padded with zeros
/// after their last frame (zero is the standardised mean of every bin). With an
/// `augmenter`, each batch is then augmented, again as a pure function of (seed, step).
public struct RandomPatchSampler: Sendable {
    public let tracks: TrainingTracks
    public let trainTracks: [Int]
    public let patchFrames: Int
    public let batchSize: Int
    public let seed: UInt64
    public let sampling: PatchSampling
    /// Training-time augmentation applied to every batch (nil: plain random crops).
    public let augmenter: PatchAugmenter?
    /// The patches `lo ..< hi` of every batch that `batch(step:)` returns (an MPI rank's share,
    /// see `DistributedTraining`); nil: the whole batch.
    public let shard: Range<Int>?
    /// Running totals of usable frames over `trainTracks` (for `.frames`).
    private let cumulativeStarts: [UInt64]

    public init(tracks: TrainingTracks, patchFrames: Int, batchSize: Int, seed: UInt64,
                sampling: PatchSampling = .tracks, augmenter: PatchAugmenter? = nil, shard: Range<Int>? = nil) throws {
        if let shard { precondition(shard.lowerBound >= 0 && shard.upperBound <= batchSize, "RandomPatchSampler: shard \(shard) outside the batch") }
        self.shard = shard
        self.tracks = tracks
        trainTracks = tracks.tracks(in: .train)
        guard !trainTracks.isEmpty else { throw MelCNNError.emptySplit(path: tracks.path, split: "train") }
        self.patchFrames = patchFrames
        self.batchSize = batchSize
        self.seed = seed
        self.sampling = sampling
        self.augmenter = augmenter
        var total: UInt64 = 0
        cumulativeStarts = trainTracks.map { t in
            total += UInt64(max(1, tracks.frames(t) - patchFrames + 1))
            return total
        }
    }

    /// The (track, start frame) of each patch of batch `step`.
    public func positions(step: Int) -> [(track: Int, start: Int)] {
        var rng = SeededGenerator(seed: seed &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(step) &+ 1)
        return (0 ..< batchSize).map { _ in
            let t: Int
            switch sampling {
            case .tracks:
                t = trainTracks[Int(rng.next() % UInt64(trainTracks.count))]
            case .frames:
                let r = rng.next() % cumulativeStarts[cumulativeStarts.count - 1]
                // First track whose running total exceeds r (binary search).
                var lo = 0, hi = cumulativeStarts.count - 1
                while lo < hi {
                    let mid = (lo + hi) / 2
                    if cumulativeStarts[mid] > r { hi = mid } else { lo = mid + 1 }
                }
                t = trainTracks[lo]
            }
            let span = max(0, tracks.frames(t) - patchFrames)
            return (t, Int(rng.next() % UInt64(span + 1)))
        }
    }

    /// Batch number `step` (0-based, counted over the whole run); with a `shard`, its patches
    /// `shard` only, exactly as they are in the whole batch. Only the shard's patches are read,
    /// unless mixup mixes in patches from outside it: then the whole batch is built and cut.
    public func batch(step: Int) -> PatchBatch {
        let mixes = (augmenter?.config.mixupAlpha ?? 0) > 0
        let range = mixes ? 0 ..< batchSize : (shard ?? 0 ..< batchSize)
        let size = tracks.nMels * patchFrames
        var inputs = [Float](repeating: 0, count: range.count * size)
        var labels: [Int] = []
        labels.reserveCapacity(range.count)
        let picks = Array(positions(step: step)[range])
        for (i, p) in picks.enumerated() {
            tracks.copyPatch(track: p.track, start: p.start, patchFrames: patchFrames, into: &inputs, at: i * size)
            labels.append(tracks.labels[p.track])
        }
        var batch = PatchBatch(inputs: inputs, labels: labels)
        if tracks.isTagged {
            batch.targets = picks.flatMap { p in tracks.tags(of: p.track).map { Float($0) } }
        } else if tracks.isRegression {
            batch.targets = picks.flatMap { p in tracks.targets(of: p.track) }
        }
        if let augmenter {
            augmenter.apply(to: &batch, plans: Array(augmenter.plan(step: step, count: batchSize)[range]))
        }
        guard let shard, shard != range else { return batch }
        let classes = batch.targets.map { $0.count / batchSize } ?? 0
        return PatchBatch(inputs: Array(batch.inputs[(shard.lowerBound * size) ..< (shard.upperBound * size)]),
                          labels: Array(batch.labels[shard]),
                          targets: batch.targets.map { Array($0[(shard.lowerBound * classes) ..< (shard.upperBound * classes)]) })
    }
}
