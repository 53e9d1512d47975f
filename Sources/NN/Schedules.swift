/// A learning-rate schedule: the learning rate after `step` scheduler steps, given the
/// optimiser's initial rate, as PyTorch's `torch.optim.lr_scheduler` (closed forms).
/// A schedule is a pure function of the step, so resuming needs only the step count.
///
/// ```swift
/// let schedule = SequentialLR([LinearLR(startFactor: 0.1, totalIters: 5), CosineAnnealingLR(tMax: 95)],
///                             milestones: [5])
/// optimizer.learningRate = schedule.learningRate(baseLR: 0.1, step: epoch)
/// ```
public protocol LRSchedule: Sendable {
    /// The learning rate after `step` calls of PyTorch's `scheduler.step()` (step 0: the initial rate).
    func learningRate(baseLR: Double, step: Int) -> Double
}

/// The base rate throughout.
public struct ConstantLR: LRSchedule {
    public init() {}
    public func learningRate(baseLR: Double, step: Int) -> Double { baseLR }
}

/// `StepLR`: baseLR * gamma^floor(step / stepSize).
public struct StepLR: LRSchedule {
    public let stepSize: Int, gamma: Double
    public init(stepSize: Int, gamma: Double = 0.1) {
        self.stepSize = max(1, stepSize)
        self.gamma = gamma
    }
    public func learningRate(baseLR: Double, step: Int) -> Double {
        baseLR * pow(gamma, Double(step / stepSize))
    }
}

/// `CosineAnnealingLR` (Loshchilov and Hutter 2017, without restarts):
/// etaMin + (baseLR - etaMin) * (1 + cos(pi * step / tMax)) / 2 (periodic past tMax, as PyTorch).
public struct CosineAnnealingLR: LRSchedule {
    public let tMax: Int, etaMin: Double
    public init(tMax: Int, etaMin: Double = 0) {
        self.tMax = max(1, tMax)
        self.etaMin = etaMin
    }
    public func learningRate(baseLR: Double, step: Int) -> Double {
        etaMin + (baseLR - etaMin) * (1 + cos(Double.pi * Double(step) / Double(tMax))) / 2
    }
}

/// `LinearLR` (linear warm-up): baseLR * (startFactor + (endFactor - startFactor) * min(step, totalIters) / totalIters).
public struct LinearLR: LRSchedule {
    public let startFactor: Double, endFactor: Double, totalIters: Int
    public init(startFactor: Double = 1.0 / 3.0, endFactor: Double = 1, totalIters: Int = 5) {
        self.startFactor = startFactor
        self.endFactor = endFactor
        self.totalIters = max(1, totalIters)
    }
    public func learningRate(baseLR: Double, step: Int) -> Double {
        let t = Double(min(step, totalIters)) / Double(totalIters)
        return baseLR * (startFactor + (endFactor - startFactor) * t)
    }
}

/// `SequentialLR`: `schedules[i]` runs from `milestones[i - 1]` (restarting at its own
/// step 0) until `milestones[i]`; `milestones.count == schedules.count - 1`, increasing.
/// The usual composition is a linear warm-up followed by a cosine or step decay.
public struct SequentialLR: LRSchedule {
    public let schedules: [any LRSchedule]
    public let milestones: [Int]

    /// Refuses a milestone count other than `schedules.count - 1` or decreasing milestones.
    public init(_ schedules: [any LRSchedule], milestones: [Int]) throws {
        guard !schedules.isEmpty, milestones.count == schedules.count - 1 else {
            throw NNError.invalidHyperparameter("milestones", "\(milestones.count) milestones for \(schedules.count) schedules")
        }
        guard zip(milestones, milestones.dropFirst()).allSatisfy({ $0 < $1 }), milestones.allSatisfy({ $0 > 0 }) else {
            throw NNError.invalidHyperparameter("milestones", "\(milestones) must be positive and increasing")
        }
        self.schedules = schedules
        self.milestones = milestones
    }

    public func learningRate(baseLR: Double, step: Int) -> Double {
        let index = milestones.firstIndex(where: { step < $0 }) ?? milestones.count
        let start = index == 0 ? 0 : milestones[index - 1]
        return schedules[index].learningRate(baseLR: baseLR, step: step - start)
    }
}

#if canImport(Glibc)
import Glibc
#else
import Foundation
#endif
