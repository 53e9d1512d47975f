import Foundation
@testable import MelCNN
import XCTest

/// Two models of one data set (two seeds) as an ensemble; a model of other classes is refused.
final class ModelEnsembleTests: XCTestCase {
    func testTrackProbabilitiesAreTheMeanOfTheModelsAndOtherClassesAreRefused() throws {
        let (dir, config, data, models) = try TinyDataset.trainedModels(self, seeds: [1, 2])
        let (a, b) = (models[0], models[1])
        let tracks = try a.loadTracks(dataset: data, splits: [.test])
        let single = try [a, b].map { try ModelEnsemble(models: [$0]).trackProbabilities(tracks) }
        XCTAssertNotEqual(single[0], single[1], "two seeds, two models")
        let both = try ModelEnsemble(models: [a, b]).trackProbabilities(tracks)
        XCTAssertEqual(both.count, tracks.count)
        for t in both.indices {
            for c in both[t].indices { XCTAssertEqual(both[t][c], (single[0][t][c] + single[1][t][c]) / 2, accuracy: 1e-6) }
        }
        let twoClasses = try TinyDataset.write(to: dir.appendingPathComponent("two.h5").path, data: config.data, classes: 2)
        let other = try TinyDataset.trainedModel(config, data: twoClasses, runDirectory: dir.appendingPathComponent("c"))
        XCTAssertThrowsError(try ModelEnsemble(models: [a, other])) { XCTAssertTrue("\($0)".contains(other.path), "\($0)") }
        XCTAssertThrowsError(try ModelEnsemble(models: []))
    }

    /// The one average of an ensemble (eval, predict, cv): members summed in order, then divided.
    func testAveragedSumsTheMembersInOrderThenDivides() {
        let a: [Float] = [0.83, 0.7, 0], b: [Float] = [0.41, 0.2, 0.3], c: [Float] = [0.55, 0.1, 0.7]
        let mean = ModelEnsemble.averaged([a, b, c])
        XCTAssertEqual(mean.map(\.bitPattern), (0 ..< 3).map { (((a[$0] + b[$0]) + c[$0]) / 3).bitPattern })
        XCTAssertNotEqual(mean[0], a[0] / 3 + b[0] / 3 + c[0] / 3, "dividing first rounds differently here")
        XCTAssertEqual(ModelEnsemble.averaged([a]), a)
        XCTAssertEqual(ModelEnsemble.averaged([]), [])
    }

    /// A data set split predicted by an ensemble: one model's report is exactly its own; two models
    /// (the second on patches twice as long) have as track scores the mean of theirs and as report
    /// `ClassificationReport(trackProbabilities:members:)`.
    func testSplitOfADataSetIsScoredOnTheMeanTrackProbabilities() throws {
        let (dir, config, data, seeded) = try TinyDataset.trainedModels(self, seeds: [1])
        var longer = config
        longer.data.patchFrames *= 2
        let models = [seeded[0], try TinyDataset.trainedModel(longer, data: data, runDirectory: dir.appendingPathComponent("long"))]
        let tracks = try models[0].loadTracks(dataset: data, splits: [.test])
        let own = try models.map { try $0.predict(tracks) }
        XCTAssertNotEqual(own[0].patchTracks.count, own[1].patchTracks.count, "each model cuts its own patches")
        let one = try ModelEnsemble(models: [models[0]])
        let p1 = try one.predict(dataset: data, split: .test)
        XCTAssertEqual(p1.tracks.paths, tracks.paths)
        XCTAssertEqual(one.report(p1, topK: 2), models[0].report(own[0], tracks: tracks, topK: 2))

        let both = try ModelEnsemble(models: models)
        var seen: [(Int, Int)] = []
        let p = try both.predict(dataset: data, split: .test) { seen.append(($0, $1)) }
        XCTAssertEqual(seen.last.map { $0.0 == $0.1 }, true, "the progress ends at its total")
        let k = tracks.classes.count
        let means = own.map { $0.trackMeans(trackCount: tracks.count, width: k) }
        for i in p.trackMeans.indices { XCTAssertEqual(p.trackMeans[i], (means[0][i] + means[1][i]) / 2, accuracy: 1e-6) }
        let reports = zip(models, own).map { $0.report($1, tracks: tracks, topK: 2) }
        let report = both.report(p, topK: 2)
        XCTAssertEqual(report, ClassificationReport(classes: tracks.classes, trackProbabilities: p.trackMeans, trackLabels: tracks.labels,
                                                    members: reports, topK: 2))
        XCTAssertEqual(report.patchAccuracy, (reports[0].patchAccuracy + reports[1].patchAccuracy) / 2, accuracy: 1e-12)
        XCTAssertEqual(report.patches, own[0].patchTracks.count + own[1].patchTracks.count)
        let right = (0 ..< tracks.count).filter { t in
            ClassificationReport.argmax(Array(p.trackMeans[t * k ..< (t + 1) * k])) == tracks.labels[t]
        }.count
        XCTAssertEqual(report.trackAccuracy, Double(right) / Double(tracks.count), accuracy: 1e-12)
    }
}
