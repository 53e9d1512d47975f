import Foundation
@testable import MelCNN
import XCTest

/// The parts of data-parallel training that need no MPI: an MPI rank's share of a batch.
final class DistributedShardTests: XCTestCase {
    /// A shard of every batch is exactly those patches of the whole batch: inputs, labels and
    /// mixup targets, with SpecAugment, gain and (partners outside the shard) mixup.
    func testShardIsTheSliceOfTheWholeBatch() throws {
        let tracks = try TrainingTracks.load(path: try DataFixture.prepared())
        for mixup in [0.0, 0.4] {
            var config = AugmentConfig()
            config.timeMasks = 1
            config.timeMaskWidth = 4
            config.freqMasks = 1
            config.freqMaskWidth = 8
            config.gainDB = 3
            config.mixupAlpha = mixup
            let augmenter = PatchAugmenter(config: config, nMels: 128, patchFrames: 16, classCount: tracks.classes.count,
                                           std: tracks.std, seed: 5)
            let whole = try RandomPatchSampler(tracks: tracks, patchFrames: 16, batchSize: 7, seed: 3, augmenter: augmenter)
            let size = 128 * 16
            for shard in [0 ..< 3, 3 ..< 7, 6 ..< 7] {
                let part = try RandomPatchSampler(tracks: tracks, patchFrames: 16, batchSize: 7, seed: 3, augmenter: augmenter,
                                                  shard: shard)
                for step in [0, 5, 11] {
                    let a = whole.batch(step: step), b = part.batch(step: step)
                    XCTAssertEqual(b.count, shard.count)
                    XCTAssertEqual(b.labels, Array(a.labels[shard]))
                    XCTAssertEqual(b.inputs, Array(a.inputs[(shard.lowerBound * size) ..< (shard.upperBound * size)]), "mixup \(mixup)")
                    let k = tracks.classes.count
                    XCTAssertEqual(b.targets, a.targets.map { Array($0[(shard.lowerBound * k) ..< (shard.upperBound * k)]) })
                    XCTAssertEqual(b.targets != nil, mixup > 0)
                }
            }
        }
    }
}
