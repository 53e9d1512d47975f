import Foundation
import Tensor

/// What `PatchAugmenter` does to one patch of a batch.
public struct PatchAugmentation: Equatable, Sendable {
    /// Gain offset in dB added to the patch's log-mels (0 when off).
    public var gainDB: Float = 0
    /// SpecAugment time masks: frame ranges set to the fill value.
    public var timeMasks: [Range<Int>] = []
    /// SpecAugment frequency masks: mel-bin ranges set to the fill value.
    public var freqMasks: [Range<Int>] = []
    /// The patch of the batch mixed into this one (itself when mixup is off).
    public var partner: Int
    /// mixup weight of this patch: `x = λ x_self + (1 - λ) x_partner` (1 when off).
    public var lambda: Float = 1
}

/// Training-time augmentation of a `PatchBatch`, a pure function of `(seed, step)` like the
/// sampler, so a resumed run redraws exactly what an uninterrupted one drew (the step is in
/// the checkpoint). Applied in this order, to standardised patches `[nMels, patchFrames]`:
///
/// 1. random gain: `g ~ U[-gain_db, gain_db]` dB per patch, added to the log-mels before
///    standardisation, i.e. `x[b, t] += g / std[b]` (std floored at 1e-5 as in standardising);
/// 2. SpecAugment (Park et al. 2019): `time_masks` masks of width `w ~ U{0..time_mask_width}`
///    frames starting at `t0 ~ U{0..T-w}`, then `freq_masks` masks of `f ~ U{0..freq_mask_width}`
///    bins from `f0 ~ U{0..M-f}`; masked cells are set to 0, the standardised mean of every bin;
/// 3. mixup (Zhang et al. 2018), per pair as PANNs: a random permutation π of the batch and
///    `λ_i ~ Beta(α, α)` per patch; `x_i ← λ_i x_i + (1 - λ_i) x_π(i)` (of the augmented
///    originals), soft targets `t_i = λ_i onehot(y_i) + (1 - λ_i) onehot(y_π(i))`, and the
///    batch label becomes `argmax t_i` (the lower class on a tie), which training accuracy counts.
public struct PatchAugmenter: Sendable {
    public let config: AugmentConfig
    public let nMels: Int
    public let patchFrames: Int
    public let classCount: Int
    /// `1 / std` per mel bin: a dB offset times this is the offset in standardised units.
    public let gainScale: [Float]
    public let seed: UInt64

    public init(config: AugmentConfig, nMels: Int, patchFrames: Int, classCount: Int, std: [Float], seed: UInt64) {
        precondition(std.count == nMels, "PatchAugmenter: \(std.count) stds for \(nMels) mel bins")
        self.config = config
        self.nMels = nMels
        self.patchFrames = patchFrames
        self.classCount = classCount
        gainScale = TrainingTracks.standardisingScale(std)
        self.seed = seed
    }

    /// The generator of batch `step`: a stream separate from the sampler's (which uses
    /// `seed · φ + step + 1`).
    func generator(step: Int) -> SeededGenerator {
        SeededGenerator(seed: (seed ^ 0x6A09_E667_F3BC_C909) &* 0xD1B5_4A32_D192_ED03 &+ UInt64(step))
    }

    /// What batch `step` of `count` patches gets; draws in patch order (gain, time masks,
    /// frequency masks), then the mixup permutation and weights.
    public func plan(step: Int, count: Int) -> [PatchAugmentation] {
        var rng = generator(step: step)
        func uniform(_ upTo: Int) -> Int { Int(rng.next() % UInt64(upTo + 1)) }  // 0 ... upTo
        func masks(_ n: Int, width: Int, extent: Int) -> [Range<Int>] {
            guard width > 0 else { return [] }
            return (0 ..< n).map { _ in
                let w = uniform(min(width, extent))
                let start = uniform(extent - w)
                return start ..< start + w
            }
        }
        var plans = (0 ..< count).map { i in
            var p = PatchAugmentation(partner: i)
            if config.gainDB > 0 { p.gainDB = Float((2 * rng.nextUnitDouble() - 1) * config.gainDB) }
            p.timeMasks = masks(config.timeMasks, width: config.timeMaskWidth, extent: patchFrames)
            p.freqMasks = masks(config.freqMasks, width: config.freqMaskWidth, extent: nMels)
            return p
        }
        if config.mixupAlpha > 0 {
            var order = Array(0 ..< count)
            for i in stride(from: count - 1, to: 0, by: -1) { order.swapAt(i, uniform(i)) }  // Fisher-Yates
            for i in 0 ..< count {
                plans[i].partner = order[i]
                plans[i].lambda = Float(rng.nextBeta(config.mixupAlpha, config.mixupAlpha))
            }
        }
        return plans
    }

    /// Augments `batch` (batch number `step`) in place; sets `batch.targets` when mixup is on.
    public func apply(to batch: inout PatchBatch, step: Int) {
        apply(to: &batch, plans: plan(step: step, count: batch.count))
    }

    /// Augments `batch` in place with `plans` (one per patch; mixup partners index the batch).
    func apply(to batch: inout PatchBatch, plans: [PatchAugmentation]) {
        let size = nMels * patchFrames
        batch.inputs.withUnsafeMutableBufferPointer { x in
            for (i, p) in plans.enumerated() {
                let patch = x.baseAddress! + i * size
                if p.gainDB != 0 {
                    for b in 0 ..< nMels {
                        let offset = p.gainDB * gainScale[b]
                        for t in 0 ..< patchFrames { patch[b * patchFrames + t] += offset }
                    }
                }
                for r in p.timeMasks where !r.isEmpty {
                    for b in 0 ..< nMels { for t in r { patch[b * patchFrames + t] = 0 } }
                }
                for r in p.freqMasks where !r.isEmpty {
                    for b in r { for t in 0 ..< patchFrames { patch[b * patchFrames + t] = 0 } }
                }
            }
        }
        guard config.mixupAlpha > 0 else { return }
        let originals = batch.inputs, labels = batch.labels
        if let tags = batch.targets {
            // Multi-label targets (a tagged data set) mix the same way as the inputs.
            let k = tags.count / max(1, batch.count)
            var mixed = tags
            for (i, p) in plans.enumerated() {
                let (lam, j) = (p.lambda, p.partner)
                for e in 0 ..< size { batch.inputs[i * size + e] = lam * originals[i * size + e] + (1 - lam) * originals[j * size + e] }
                for c in 0 ..< k { mixed[i * k + c] = lam * tags[i * k + c] + (1 - lam) * tags[j * k + c] }
            }
            batch.targets = mixed
            return
        }
        var targets = [Float](repeating: 0, count: batch.count * classCount)
        for (i, p) in plans.enumerated() {
            let (lam, j) = (p.lambda, p.partner)
            for e in 0 ..< size { batch.inputs[i * size + e] = lam * originals[i * size + e] + (1 - lam) * originals[j * size + e] }
            targets[i * classCount + labels[i]] += lam
            targets[i * classCount + labels[j]] += 1 - lam
            let row = targets[(i * classCount) ..< ((i + 1) * classCount)]
            batch.labels[i] = row.indices.reduce(row.startIndex) { row[$1] > row[$0] ? $1 : $0 } - i * classCount
        }
        batch.targets = targets
    }
}
