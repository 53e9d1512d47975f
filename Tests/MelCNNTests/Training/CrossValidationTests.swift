import Foundation
import TestSupport
import XCTest
@testable import MelCNN

final class CrossValidationTests: XCTestCase {
    /// 4 classes of uneven size, groups of 1-4 tracks each holding one or two classes.
    func makeSet() -> (labels: [Int], groups: [String]) {
        var labels: [Int] = [], groups: [String] = []
        var g = 0
        for (c, n) in [40, 24, 16, 30].enumerated() {
            var made = 0
            while made < n {
                let size = min(1 + (g % 4), n - made)
                for i in 0 ..< size { labels.append(i == 2 && c > 0 ? c - 1 : c); groups.append("album-\(g)") }
                made += size
                g += 1
            }
        }
        return (labels, groups)
    }

    func testNoGroupCrossesFoldsAndClassProportionsAreClose() throws {
        let (labels, groups) = makeSet()
        for k in [2, 3, 5] {
            let folds = try CrossValidation.folds(labels: labels, groups: groups, folds: k, seed: 7)
            XCTAssertEqual(folds.count, labels.count)
            XCTAssertTrue(folds.allSatisfy { (0 ..< k).contains($0) })
            var foldOf: [String: Int] = [:]
            for (t, g) in groups.enumerated() {
                if let f = foldOf[g] { XCTAssertEqual(f, folds[t], "group \(g) in two folds") } else { foldOf[g] = folds[t] }
            }
            // Each class's share in each fold within 8 points of 1/k (groups hold up to 4 tracks).
            for c in Set(labels) {
                let total = labels.filter { $0 == c }.count
                for f in 0 ..< k {
                    let inFold = labels.indices.filter { labels[$0] == c && folds[$0] == f }.count
                    XCTAssertEqual(Double(inFold) / Double(total), 1 / Double(k), accuracy: 0.08, "class \(c) fold \(f) of \(k)")
                }
            }
            // Fold sizes balanced too.
            let sizes = (0 ..< k).map { f in folds.filter { $0 == f }.count }
            XCTAssertLessThanOrEqual(sizes.max()! - sizes.min()!, 8, "\(sizes)")
        }
    }

    func testUngroupedTracksMatchAnExactStratifiedSplit() throws {
        // Every track its own group: each class of 6 tracks gives exactly 2 to each of 3 folds.
        let labels = (0 ..< 18).map { $0 % 3 }
        let folds = try CrossValidation.folds(labels: labels, groups: labels.indices.map { "t\($0)" }, folds: 3, seed: 1)
        for c in 0 ..< 3 { for f in 0 ..< 3 { XCTAssertEqual(labels.indices.filter { labels[$0] == c && folds[$0] == f }.count, 2) } }
    }

    func testDeterministicForASeedAndShuffledByIt() throws {
        let (labels, groups) = makeSet()
        let a = try CrossValidation.folds(labels: labels, groups: groups, folds: 5, seed: 3)
        XCTAssertEqual(a, try CrossValidation.folds(labels: labels, groups: groups, folds: 5, seed: 3))
        let others = try (4 ..< 8).map { try CrossValidation.folds(labels: labels, groups: groups, folds: 5, seed: UInt64($0)) }
        XCTAssertTrue(others.contains { $0 != a }, "the seed does not change the folds")
    }

    func testBadFoldCountsAreOneLineErrors() {
        let labels = [0, 1, 0, 1], groups = ["a", "a", "b", "c"]
        XCTAssertThrowsError(try CrossValidation.folds(labels: labels, groups: groups, folds: 1, seed: 0)) {
            XCTAssertEqual(($0 as? ParameterError)?.parameter, "folds", "\($0)")
        }
        XCTAssertThrowsError(try CrossValidation.folds(labels: labels, groups: groups, folds: 4, seed: 0)) {
            XCTAssertTrue("\($0)".contains("3 groups"), "\($0)")
        }
    }

    func testInnerValidationIsAGroupedSliceOfTheTrainingFolds() throws {
        let (labels, groups) = makeSet()
        let folds = try CrossValidation.folds(labels: labels, groups: groups, folds: 5, seed: 2)
        for fold in 0 ..< 5 {
            let splits = try CrossValidation.splits(folds: folds, fold: fold, labels: labels, groups: groups,
                                                    validation: .inner, fraction: 0.2, seed: 2)
            for t in labels.indices { XCTAssertEqual(splits[t] == .test, folds[t] == fold) }
            let validation = labels.indices.filter { splits[$0] == .validation }
            let train = labels.indices.filter { splits[$0] == .train }
            XCTAssertFalse(validation.isEmpty)
            XCTAssertTrue(Set(validation.map { groups[$0] }).isDisjoint(with: train.map { groups[$0] }))
            XCTAssertEqual(Double(validation.count) / Double(validation.count + train.count), 0.2, accuracy: 0.06)
        }
        let asFold = try CrossValidation.splits(folds: folds, fold: 1, labels: labels, groups: groups, validation: .fold, fraction: 0.1, seed: 0)
        XCTAssertEqual(labels.indices.filter { asFold[$0] == .validation }, labels.indices.filter { folds[$0] == 1 })
        let none = try CrossValidation.splits(folds: folds, fold: 1, labels: labels, groups: groups, validation: .none, fraction: 0.1, seed: 0)
        XCTAssertFalse(none.contains(.validation))
    }

    func testMeanAndSampleStd() {
        let (m, s) = CrossValidation.meanAndStd([0.5, 0.7, 0.9])
        XCTAssertEqual(m, 0.7, accuracy: 1e-12)
        XCTAssertEqual(s, 0.2, accuracy: 1e-12)   // numpy.std(ddof=1)
        XCTAssertEqual(CrossValidation.meanAndStd([0.4]).std, 0)
    }

    func testRunTrainsEachFoldAndSkipsFinishedOnes() throws {
        let dir = try TinyDataset.temporaryDirectory(self)
        var config = TinyDataset.config()
        config.train.epochs = 1
        let path = try TinyDataset.write(to: dir.appendingPathComponent("d.h5").path, data: config.data)
        let out = dir.appendingPathComponent("cv")
        let cv = try CrossValidationRun(config: config, dataset: path, directory: out, folds: 3, seed: 0, repeats: 1,
                                        validation: .inner, validationFraction: 0.2)
        let results = try XCTUnwrap(cv.run())
        XCTAssertEqual(results.map(\.fold), [0, 1, 2])
        XCTAssertEqual(results.reduce(0) { $0 + $1.testTracks }, 18)
        for r in results { XCTAssertEqual(r.trainTracks + r.validationTracks + r.testTracks, 18) }
        var skipped = 0
        let again = try XCTUnwrap(cv.run(events: { if case .foldSkipped = $0 { skipped += 1 } }))
        XCTAssertEqual(skipped, 3)
        XCTAssertEqual(again, results)
        let other = try CrossValidationRun(config: config, dataset: path, directory: out, folds: 2, seed: 0, repeats: 1,
                                           validation: .inner, validationFraction: 0.2)
        XCTAssertThrowsError(try other.run()) { XCTAssertTrue("\($0)".contains("folds.csv"), "\($0)") }
    }

    func testAnInterruptedFoldResumesToTheUninterruptedResult() throws {
        let dir = try TinyDataset.temporaryDirectory(self)
        var config = TinyDataset.config()
        config.train.epochs = 3
        let path = try TinyDataset.write(to: dir.appendingPathComponent("d.h5").path, data: config.data)
        func run(_ name: String) throws -> CrossValidationRun {
            try CrossValidationRun(config: config, dataset: path, directory: dir.appendingPathComponent(name), folds: 3, seed: 5,
                                   repeats: 1, validation: .inner, validationFraction: 0.2)
        }
        let whole = try XCTUnwrap(run("whole").run())
        // Stop in the middle of fold 2 (each fold runs 3 epochs of 4 steps).
        var calls = 0
        let cut = try run("cut")
        XCTAssertNil(try cut.run(shouldStop: { calls += 1; return calls > 18 }))
        XCTAssertTrue(FileManager.default.fileExists(atPath: cut.foldDirectory(repeatIndex: 0, fold: 1).appendingPathComponent("last.h5").path))
        XCTAssertFalse(FileManager.default.fileExists(atPath: cut.foldDirectory(repeatIndex: 0, fold: 1).appendingPathComponent("fold.json").path))
        var resumed = false, skipped = 0
        let rest = try XCTUnwrap(cut.run(events: {
            if case let .foldStarted(_, fold, _, _, _, resuming) = $0, fold == 1 { resumed = resuming }
            if case .foldSkipped = $0 { skipped += 1 }
        }))
        XCTAssertTrue(resumed)
        XCTAssertEqual(skipped, 1)
        func strip(_ r: [FoldResult]) -> [FoldResult] { r.map { var x = $0; x.seconds = 0; return x } }
        XCTAssertEqual(strip(rest), strip(whole))
    }

    /// A seed ensemble: member 1 is the one-model run's model, member 2 another seed's, and the
    /// fold is scored on their mean probabilities (not on either member alone in general).
    func testMembersTrainSeedsAndScoreTheirMeanProbabilities() throws {
        let dir = try TinyDataset.temporaryDirectory(self)
        var config = TinyDataset.config()
        config.train.epochs = 2
        let path = try TinyDataset.write(to: dir.appendingPathComponent("d.h5").path, data: config.data)
        func run(_ name: String, members: Int) throws -> CrossValidationRun {
            let cv = try CrossValidationRun(config: config, dataset: path, directory: dir.appendingPathComponent(name), folds: 2, seed: 3,
                                            repeats: 1, validation: .none, validationFraction: 0.2)
            cv.members = members
            return cv
        }
        let single = try run("single", members: 1)
        let one = try XCTUnwrap(single.run())
        let pair = try run("pair", members: 2)
        var started: [Int] = []
        let two = try XCTUnwrap(pair.run(events: { if case let .memberStarted(m, count, _) = $0 { XCTAssertEqual(count, 2); started.append(m) } }))
        XCTAssertEqual(started, [0, 1, 0, 1])
        for (a, b) in zip(one, two) {
            XCTAssertNil(a.members)
            XCTAssertNil(a.memberTrackAccuracy)
            XCTAssertEqual(b.members, 2)
            XCTAssertEqual(b.memberTrackAccuracy?.count, 2)
            XCTAssertEqual(b.memberTrackAccuracy?.first, a.trackAccuracy)
            XCTAssertEqual(b.bestEpoch, a.bestEpoch)
            let member1 = try Checkpoint.read(from: pair.memberDirectory(repeatIndex: 0, fold: a.fold, member: 0).appendingPathComponent("best.h5").path)
            let member2 = try Checkpoint.read(from: pair.memberDirectory(repeatIndex: 0, fold: a.fold, member: 1).appendingPathComponent("best.h5").path)
            let alone = try Checkpoint.read(from: single.foldDirectory(repeatIndex: 0, fold: a.fold).appendingPathComponent("best.h5").path)
            XCTAssertEqual(member1.model, alone.model)
            XCTAssertNotEqual(member2.model, alone.model)
            XCTAssertEqual(member2.seed, 3 + CrossValidationRun.memberSeedStride)
        }
        // The fold is scored on the members' mean track probabilities: recompute fold 1 from the two checkpoints.
        let tracks = try TrainingTracks.load(path: path, storage: config.data.storage, memoryBudget: config.data.memoryBudget)
        let folds = try CrossValidation.folds(labels: tracks.labels, groups: CrossValidation.groups(dataset: path), folds: 2, seed: 3)
        let test = folds.indices.filter { folds[$0] == 0 }
        var mean = [Float](repeating: 0, count: test.count * tracks.classes.count), patchAccuracy = 0.0
        for m in 0 ..< 2 {
            let trained = try TrainedModel(checkpointPath: pair.memberDirectory(repeatIndex: 0, fold: 0, member: m).appendingPathComponent("best.h5").path)
            let p = try trained.model.predict(tracks: tracks, trackIndices: test, patchFrames: config.data.patchFrames, hop: trained.evalHop,
                                              batchSize: config.eval.batchSize)
            let means = p.trackMeans(trackCount: test.count, width: tracks.classes.count)
            for i in mean.indices { mean[i] += means[i] / 2 }
            patchAccuracy += ClassificationReport(classes: tracks.classes, probabilities: p.probabilities, patchTracks: p.patchTracks,
                                                  trackLabels: test.map { tracks.labels[$0] }, topK: 1, aggregation: .meanProb).patchAccuracy / 2
        }
        let correct = test.indices.filter { t in
            let row = mean[t * tracks.classes.count ..< (t + 1) * tracks.classes.count]
            return row.indices.max { row[$0] < row[$1] }! - t * tracks.classes.count == tracks.labels[test[t]]
        }.count
        XCTAssertEqual(two[0].trackAccuracy, Double(correct) / Double(test.count), accuracy: 1e-12)
        XCTAssertEqual(two[0].patchAccuracy, patchAccuracy, accuracy: 1e-12)
        // A folder of two-member folds is not silently reused with another member count.
        XCTAssertThrowsError(try run("pair", members: 3).run()) { XCTAssertTrue("\($0)".contains("member"), "\($0)") }
        XCTAssertThrowsError(try run("other", members: 0).run()) { XCTAssertTrue("\($0)".contains("members"), "\($0)") }
    }

    /// Two configs (another patch length) in one ensemble: one member each, the second config's
    /// model in member-2 trained on its own patches.
    func testOtherConfigsJoinTheEnsemble() throws {
        let dir = try TinyDataset.temporaryDirectory(self)
        var config = TinyDataset.config()
        config.train.epochs = 1
        let path = try TinyDataset.write(to: dir.appendingPathComponent("d.h5").path, data: config.data)
        var longer = config
        longer.data.patchFrames = config.data.patchFrames * 2
        let cv = try CrossValidationRun(config: config, dataset: path, directory: dir.appendingPathComponent("cv"), folds: 2, seed: 1,
                                        repeats: 1, validation: .none, validationFraction: 0.2)
        cv.otherConfigs = [longer]
        let results = try XCTUnwrap(cv.run())
        for r in results {
            XCTAssertEqual(r.members, 2)
            XCTAssertEqual(r.memberTrackAccuracy?.count, 2)
            let second = try Checkpoint.read(from: cv.memberDirectory(repeatIndex: 0, fold: r.fold, member: 1).appendingPathComponent("best.h5").path)
            XCTAssertTrue(second.configYAML.contains("patch_frames: \(longer.data.patchFrames)"), second.configYAML)
            XCTAssertEqual(second.seed, 1)
        }
        // The same folder again: the finished folds are kept, also with other threads; with another
        // second config (or other epochs) the folder is refused, naming the member's config.yaml.
        var skipped = 0
        var threaded = config
        threaded.train.threads = 2
        let again = try CrossValidationRun(config: threaded, dataset: path, directory: dir.appendingPathComponent("cv"), folds: 2, seed: 1,
                                           repeats: 1, validation: .none, validationFraction: 0.2)
        again.otherConfigs = [longer]
        XCTAssertEqual(try again.run(events: { if case .foldSkipped = $0 { skipped += 1 } }), results)
        XCTAssertEqual(skipped, 2)
        var wider = longer
        wider.data.patchFrames += 8
        var longerRun = config
        longerRun.train.epochs = 2
        for (first, second, member) in [(config, wider, 2), (longerRun, longer, 1)] {
            let other = try CrossValidationRun(config: first, dataset: path, directory: dir.appendingPathComponent("cv"), folds: 2, seed: 1,
                                               repeats: 1, validation: .none, validationFraction: 0.2)
            other.otherConfigs = [second]
            XCTAssertThrowsError(try other.run()) {
                XCTAssertEqual(($0 as? ParameterError)?.parameter, "config", "\($0)")
                XCTAssertTrue("\($0)".contains("fold-1/member-\(member)/config.yaml"), "\($0)")
            }
        }
    }

    /// scikit-learn's StratifiedGroupKFold(shuffle=False) folds (Tests/Fixtures/generate_cv_fixture.py).
    func testUnshuffledFoldsMatchScikitLearn() throws {
        struct Case: Decodable { var k: Int; var labels: [Int]; var groups: [String]; var folds: [Int] }
        let url = Repository.fixtures.appendingPathComponent("cv_folds.json")
        let cases = try JSONDecoder().decode([Case].self, from: Data(contentsOf: url))
        XCTAssertEqual(cases.count, 4)
        for c in cases {
            XCTAssertEqual(try CrossValidation.folds(labels: c.labels, groups: c.groups, folds: c.k, seed: nil), c.folds, "k = \(c.k)")
        }
    }
}
