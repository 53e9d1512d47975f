import Foundation
@testable import MelCNN
import XCTest

/// Two models of one data set (two seeds) as an ensemble; a model of other classes is refused.
final class ModelEnsembleTests: XCTestCase {
    func testTrackProbabilitiesAreTheMeanOfTheModelsAndOtherClassesAreRefused() throws {
        let dir = try TinyDataset.temporaryDirectory(self)
        var config = TinyDataset.config()
        config.train.epochs = 1
        config.train.stepsPerEpoch = 2
        let data = try TinyDataset.write(to: dir.appendingPathComponent("d.h5").path, data: config.data)
        func train(_ name: String, seed: Int, data: String) throws -> TrainedModel {
            var c = config
            c.train.seed = seed
            return try TinyDataset.trainedModel(c, data: data, runDirectory: dir.appendingPathComponent(name))
        }
        let a = try train("a", seed: 1, data: data), b = try train("b", seed: 2, data: data)
        let tracks = try a.loadTracks(dataset: data, splits: [.test])
        let single = try [a, b].map { try ModelEnsemble(models: [$0]).trackProbabilities(tracks) }
        XCTAssertNotEqual(single[0], single[1], "two seeds, two models")
        let both = try ModelEnsemble(models: [a, b]).trackProbabilities(tracks)
        XCTAssertEqual(both.count, tracks.count)
        for t in both.indices {
            for c in both[t].indices { XCTAssertEqual(both[t][c], (single[0][t][c] + single[1][t][c]) / 2, accuracy: 1e-6) }
        }
        let twoClasses = try TinyDataset.write(to: dir.appendingPathComponent("two.h5").path, data: config.data, classes: 2)
        let other = try train("c", seed: 1, data: twoClasses)
        XCTAssertThrowsError(try ModelEnsemble(models: [a, other])) { XCTAssertTrue("\($0)".contains(other.path), "\($0)") }
        XCTAssertThrowsError(try ModelEnsemble(models: []))
    }
}
