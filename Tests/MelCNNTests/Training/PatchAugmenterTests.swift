import Foundation
import XCTest
@testable import MelCNN
import Tensor

/// Statistics and determinism of the training-time augmentation.
final class PatchAugmenterTests: XCTestCase {
    let nMels = 8, frames = 16, classes = 3

    func augmenter(_ edit: (inout AugmentConfig) -> Void, std: [Float]? = nil, seed: UInt64 = 5) -> PatchAugmenter {
        var c = AugmentConfig()
        edit(&c)
        return PatchAugmenter(config: c, nMels: nMels, patchFrames: frames, classCount: classes,
                              std: std ?? [Float](repeating: 1, count: nMels), seed: seed)
    }

    /// A batch of `count` patches where patch i holds the constant `value + i`, labels i % classes.
    func batch(_ count: Int, value: Float = 5) -> PatchBatch {
        let size = nMels * frames
        return PatchBatch(inputs: (0 ..< count * size).map { value + Float($0 / size) }, labels: (0 ..< count).map { $0 % classes })
    }

    func testMasksStayWithinTheirCountsAndWidths() {
        let a = augmenter { $0.timeMasks = 2; $0.timeMaskWidth = 5; $0.freqMasks = 3; $0.freqMaskWidth = 3 }
        var timeWidths = Set<Int>(), freqWidths = Set<Int>(), timeStarts = Set<Int>()
        for step in 0 ..< 200 {
            for p in a.plan(step: step, count: 8) {
                XCTAssertEqual(p.timeMasks.count, 2)
                XCTAssertEqual(p.freqMasks.count, 3)
                for r in p.timeMasks {
                    XCTAssertTrue(r.lowerBound >= 0 && r.upperBound <= frames && r.count <= 5, "\(r)")
                    timeWidths.insert(r.count)
                    timeStarts.insert(r.lowerBound)
                }
                for r in p.freqMasks {
                    XCTAssertTrue(r.lowerBound >= 0 && r.upperBound <= nMels && r.count <= 3, "\(r)")
                    freqWidths.insert(r.count)
                }
                XCTAssertEqual(p.gainDB, 0)
                XCTAssertEqual(p.lambda, 1)
            }
        }
        // Widths are uniform over 0 ... max (Park et al.); starts reach both ends.
        XCTAssertEqual(timeWidths, Set(0 ... 5))
        XCTAssertEqual(freqWidths, Set(0 ... 3))
        XCTAssertTrue(timeStarts.contains(0) && timeStarts.contains(frames - 1))
    }

    func testMaskedCellsHoldTheStandardisedMeanAndNothingElseChanges() {
        let a = augmenter { $0.timeMasks = 2; $0.timeMaskWidth = 6; $0.freqMasks = 2; $0.freqMaskWidth = 4 }
        var b = batch(6)
        let before = b
        a.apply(to: &b, step: 3)
        XCTAssertNil(b.targets)
        XCTAssertEqual(b.labels, before.labels)
        var masked = 0
        for (i, p) in a.plan(step: 3, count: 6).enumerated() {
            for m in 0 ..< nMels {
                for t in 0 ..< frames {
                    let inMask = p.timeMasks.contains { $0.contains(t) } || p.freqMasks.contains { $0.contains(m) }
                    let e = i * nMels * frames + m * frames + t
                    XCTAssertEqual(b.inputs[e], inMask ? 0 : before.inputs[e])
                    if inMask { masked += 1 }
                }
            }
        }
        XCTAssertGreaterThan(masked, 0)
    }

    func testGainIsUniformInRangeAndScaledByTheBinStd() {
        let std: [Float] = [1, 2, 4, 0.5, 1, 1, 3, 1e-7]
        let a = augmenter({ $0.gainDB = 6 }, std: std)
        var gains: [Float] = []
        for step in 0 ..< 300 { gains += a.plan(step: step, count: 10).map(\.gainDB) }
        XCTAssertTrue(gains.allSatisfy { abs($0) <= 6 })
        XCTAssertEqual(Double(gains.reduce(0, +)) / Double(gains.count), 0, accuracy: 0.2)
        XCTAssertLessThan(gains.min()!, -5.8)
        XCTAssertGreaterThan(gains.max()!, 5.8)
        // Uniform on [-6, 6]: variance 12^2 / 12 = 12.
        let variance = gains.map { Double($0 * $0) }.reduce(0, +) / Double(gains.count)
        XCTAssertEqual(variance, 12, accuracy: 0.6)
        var b = PatchBatch(inputs: [Float](repeating: 0, count: 2 * nMels * frames), labels: [0, 1])
        a.apply(to: &b, step: 7)
        for (i, p) in a.plan(step: 7, count: 2).enumerated() {
            for m in 0 ..< nMels {
                // g dB on the log-mel is g / std[m] after standardisation (std floored at 1e-5).
                let expected = p.gainDB / max(std[m], 1e-5)
                for t in 0 ..< frames { XCTAssertEqual(b.inputs[i * nMels * frames + m * frames + t], expected, accuracy: 1e-3 * abs(expected)) }
            }
        }
    }

    func testMixupLambdaFollowsBetaAndMixesInputsAndTargets() {
        let uniform = augmenter { $0.mixupAlpha = 1 }
        var lambdas: [Double] = []
        for step in 0 ..< 500 {
            let plans = uniform.plan(step: step, count: 16)
            XCTAssertEqual(Set(plans.map(\.partner)), Set(0 ..< 16), "partners form a permutation")
            lambdas += plans.map { Double($0.lambda) }
        }
        XCTAssertTrue(lambdas.allSatisfy { $0 >= 0 && $0 <= 1 })
        let mean = lambdas.reduce(0, +) / Double(lambdas.count)
        let variance = lambdas.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(lambdas.count)
        XCTAssertEqual(mean, 0.5, accuracy: 0.01)        // Beta(1, 1) = U(0, 1): mean 1/2
        XCTAssertEqual(variance, 1.0 / 12, accuracy: 0.004) // variance 1/12
        // Beta(0.2, 0.2): mean 1/2, variance 1 / (4 (2α + 1)) = 1/5.6, mass near 0 and 1.
        let sharp = augmenter { $0.mixupAlpha = 0.2 }
        let l2 = (0 ..< 500).flatMap { sharp.plan(step: $0, count: 16).map { Double($0.lambda) } }
        let m2 = l2.reduce(0, +) / Double(l2.count)
        XCTAssertEqual(m2, 0.5, accuracy: 0.015)
        XCTAssertEqual(l2.map { ($0 - m2) * ($0 - m2) }.reduce(0, +) / Double(l2.count), 1 / 5.6, accuracy: 0.01)

        var b = batch(6)
        let before = b
        uniform.apply(to: &b, step: 11)
        let size = nMels * frames
        let targets = try! XCTUnwrap(b.targets)
        XCTAssertEqual(targets.count, 6 * classes)
        for (i, p) in uniform.plan(step: 11, count: 6).enumerated() {
            let j = p.partner
            let expected = p.lambda * before.inputs[i * size] + (1 - p.lambda) * before.inputs[j * size]
            XCTAssertEqual(b.inputs[i * size + 17], expected, accuracy: 1e-5)
            let row = Array(targets[(i * classes) ..< ((i + 1) * classes)])
            XCTAssertEqual(row.reduce(0, +), 1, accuracy: 1e-6)
            XCTAssertEqual(row[before.labels[i]], before.labels[i] == before.labels[j] ? 1 : p.lambda, accuracy: 1e-6)
            // The training label is the argmax of the mixed target.
            XCTAssertEqual(b.labels[i], row.indices.max { row[$0] < row[$1] || (row[$0] == row[$1] && $0 > $1) })
        }
    }

    func testGammaAndBetaDrawsHaveTheirMeans() {
        var rng = SeededGenerator(seed: 3)
        for shape in [0.3, 1.0, 2.5] {
            let draws = (0 ..< 20000).map { _ in rng.nextGamma(shape: shape) }
            XCTAssertEqual(draws.reduce(0, +) / 20000, shape, accuracy: 0.04 * max(shape, 1), "Gamma(\(shape))")
            XCTAssertTrue(draws.allSatisfy { $0 >= 0 && $0.isFinite })
        }
        let beta = (0 ..< 20000).map { _ in rng.nextBeta(2, 6) }
        XCTAssertEqual(beta.reduce(0, +) / 20000, 0.25, accuracy: 0.005)
    }

    func testSameSeedAndStepGiveTheSameBatch() {
        let edit: (inout AugmentConfig) -> Void = {
            $0.timeMasks = 1; $0.timeMaskWidth = 4; $0.freqMasks = 1; $0.freqMaskWidth = 2; $0.mixupAlpha = 0.4; $0.gainDB = 3
        }
        func augmented(seed: UInt64, step: Int) -> PatchBatch {
            var b = batch(8)
            augmenter(edit, seed: seed).apply(to: &b, step: step)
            return b
        }
        let a = augmented(seed: 5, step: 2)
        XCTAssertEqual(a.inputs, augmented(seed: 5, step: 2).inputs)
        XCTAssertEqual(a.targets, augmented(seed: 5, step: 2).targets)
        XCTAssertEqual(a.labels, augmented(seed: 5, step: 2).labels)
        XCTAssertNotEqual(a.inputs, augmented(seed: 5, step: 3).inputs)
        XCTAssertNotEqual(a.inputs, augmented(seed: 6, step: 2).inputs)
    }

    func testTheSamplerAppliesItsAugmenterToEveryBatch() throws {
        let dir = try TinyDataset.temporaryDirectory(self)
        let tracks = try TrainingTracks.load(path: try TinyDataset.write(to: dir.appendingPathComponent("d.h5").path,
                                                                       data: TinyDataset.config().data))
        let a = PatchAugmenter(config: { var c = AugmentConfig(); c.gainDB = 3; c.mixupAlpha = 1; return c }(),
                               nMels: tracks.nMels, patchFrames: 16, classCount: tracks.classes.count, std: tracks.std, seed: 9)
        let plain = try RandomPatchSampler(tracks: tracks, patchFrames: 16, batchSize: 4, seed: 9)
        let augmented = try RandomPatchSampler(tracks: tracks, patchFrames: 16, batchSize: 4, seed: 9, augmenter: a)
        for step in [0, 5] {
            var expected = plain.batch(step: step)
            a.apply(to: &expected, step: step)
            let got = augmented.batch(step: step)
            XCTAssertEqual(got.inputs, expected.inputs)
            XCTAssertEqual(got.targets, expected.targets)
            XCTAssertNotEqual(got.inputs, plain.batch(step: step).inputs)
        }
    }
}
