import Foundation
import XCTest
@testable import MelCNN

/// `train.monitor`: which epoch is best, ties broken by the lower validation loss.
final class ModelSelectionTests: XCTestCase {
    func metrics(track: Double, patch: Double, loss: Double, trainLoss: Double = 1) -> EpochMetrics {
        EpochMetrics(epoch: 1, step: 1, trainLoss: trainLoss, trainAccuracy: 0.5, valLoss: loss, valPatchAccuracy: patch,
                     valTrackAccuracy: track, lr: 0.1, samplesPerSecond: 1, seconds: 1, dataWaitShare: 0)
    }

    func testEachMonitorReadsItsMetric() {
        let m = metrics(track: 0.7, patch: 0.6, loss: 0.9, trainLoss: 1.3)
        XCTAssertEqual(SelectionScore(monitor: .trackAccuracy, metrics: m, hasValidation: true), SelectionScore(score: 0.7, loss: 0.9))
        XCTAssertEqual(SelectionScore(monitor: .patchAccuracy, metrics: m, hasValidation: true), SelectionScore(score: 0.6, loss: 0.9))
        XCTAssertEqual(SelectionScore(monitor: .loss, metrics: m, hasValidation: true), SelectionScore(score: -0.9, loss: 0.9))
        // No validation split: the lowest training loss wins, whatever the monitor.
        XCTAssertEqual(SelectionScore(monitor: .patchAccuracy, metrics: m, hasValidation: false), SelectionScore(score: -1.3, loss: 1.3))
    }

    func testHigherScoreWinsAndTiesGoToTheLowerLoss() {
        let best = SelectionScore(score: 0.75, loss: 0.8)
        XCTAssertTrue(best.isBetter(than: nil))
        XCTAssertTrue(SelectionScore(score: 0.8, loss: 2.0).isBetter(than: best))
        XCTAssertFalse(SelectionScore(score: 0.7, loss: 0.1).isBetter(than: best))
        // The tie that used to keep the earliest epoch even when its loss was worse.
        XCTAssertTrue(SelectionScore(score: 0.75, loss: 0.6).isBetter(than: best))
        XCTAssertFalse(SelectionScore(score: 0.75, loss: 0.8).isBetter(than: best))
        XCTAssertFalse(SelectionScore(score: 0.75, loss: 0.9).isBetter(than: best))
        XCTAssertFalse(SelectionScore(score: .nan, loss: 0.1).isBetter(than: best))
    }
}
