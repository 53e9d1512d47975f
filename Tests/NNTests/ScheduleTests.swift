import NN
import XCTest

final class ScheduleTests: XCTestCase {
    private func check(_ name: String, _ schedule: any LRSchedule) throws {
        let fixture = try Fixture("nn_train_step.h5")
        let reference = try fixture.doubles("sched/\(name)")
        let base = try fixture.attribute("sched/\(name)", "base_lr")
        XCTAssertEqual(reference.count, 25)
        for (step, expected) in reference.enumerated() {
            let lr = schedule.learningRate(baseLR: base, step: step)
            XCTAssertEqual(lr, expected, accuracy: 1e-12 + 1e-9 * abs(expected), "\(name) step \(step)")
        }
    }

    func testStepLR() throws { try check("step", StepLR(stepSize: 4, gamma: 0.5)) }

    func testCosineAnnealingLR() throws { try check("cosine", CosineAnnealingLR(tMax: 10, etaMin: 0.001)) }

    func testLinearWarmup() throws {
        try check("linear_warmup", LinearLR(startFactor: 0.1, endFactor: 1, totalIters: 5))
    }

    func testWarmupThenCosine() throws {
        try check("warmup_cosine", SequentialLR([LinearLR(startFactor: 0.1, totalIters: 5),
                                                 CosineAnnealingLR(tMax: 15)], milestones: [5]))
    }

    func testWarmupThenStep() throws {
        try check("warmup_step", SequentialLR([LinearLR(startFactor: 0.25, totalIters: 3),
                                               StepLR(stepSize: 5, gamma: 0.1)], milestones: [3]))
    }

    func testSequentialRefusesBadMilestones() {
        XCTAssertThrowsError(try SequentialLR([ConstantLR(), ConstantLR()], milestones: [])) {
            XCTAssertTrue("\($0)".contains("milestones"))
        }
        XCTAssertThrowsError(try SequentialLR([ConstantLR(), ConstantLR(), ConstantLR()], milestones: [5, 3]))
    }
}
