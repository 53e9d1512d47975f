import NN
import Tensor
import XCTest

final class OptimizerTests: XCTestCase {
    /// Runs the fixture's three fixed gradients through `make(parameter)` and compares every step.
    private func check(_ name: String, tolerance: Float = 1e-6,
                       _ make: (Fixture, [(name: String, tensor: Tensor)]) throws -> any Optimizer) throws {
        let fixture = try Fixture("nn_train_step.h5")
        let p0 = try fixture.array("optim/\(name)/p0")
        let p = Tensor(shape: p0.shape, data: p0.values, requiresGrad: true)
        let optimizer = try make(fixture, [("w", p)])
        var previous = try fixture.floats("optim/\(name)/p0")
        for i in 1 ... 3 {
            p.grad = try fixture.floats("optim/\(name)/grad\(i)")
            optimizer.step()
            let reference = try fixture.floats("optim/\(name)/p\(i)")
            XCTAssertLessThanOrEqual(relativeMaxError(p.data, reference), tolerance, "\(name) step \(i)")
            // The update itself, relative to its largest element (float32 rounding of p allows ~3e-5).
            let delta = zip(p.data, previous).map { $0 - $1 }, refDelta = zip(reference, previous).map { $0 - $1 }
            XCTAssertLessThanOrEqual(relativeMaxError(delta, refDelta), 1e-4, "\(name) update \(i)")
            previous = reference
        }
        // The exported state equals PyTorch's optimizer.state[p].
        let state = optimizer.stateDict()
        for kind in ["momentum_buffer", "exp_avg", "exp_avg_sq", "step"]
        where fixture.exists("optim/\(name)/state/\(kind)") {
            let reference = try fixture.floats("optim/\(name)/state/\(kind)")
            guard let ours = state["\(kind).w"] else { XCTFail("\(name): no \(kind).w"); continue }
            XCTAssertLessThanOrEqual(relativeMaxError(ours.values, reference), tolerance, "\(name) \(kind)")
        }
    }

    private func hp(_ f: Fixture, _ name: String, _ key: String) throws -> Double {
        try f.attribute("optim/\(name)", key)
    }

    func testSGDVariantsMatchPyTorch() throws {
        for name in ["sgd", "sgd_momentum", "sgd_nesterov_wd"] {
            try check(name) { f, params in
                try SGD(params, learningRate: hp(f, name, "lr"), momentum: hp(f, name, "momentum"),
                        dampening: hp(f, name, "dampening"), nesterov: hp(f, name, "nesterov") != 0,
                        weightDecay: hp(f, name, "weight_decay"))
            }
        }
    }

    func testAdamAndAdamWMatchPyTorch() throws {
        for name in ["adam", "adam_wd", "adamw", "adam_tiny_grad"] {
            try check(name) { f, params in
                try Adam(params, learningRate: hp(f, name, "lr"), beta1: hp(f, name, "beta1"),
                         beta2: hp(f, name, "beta2"), eps: hp(f, name, "eps"),
                         weightDecay: hp(f, name, "weight_decay"), decoupledWeightDecay: hp(f, name, "decoupled") != 0)
            }
        }
    }

    func testStateExportImportResumesExactly() throws {
        var rng = SeededGenerator(seed: 21)
        let grads = (0 ..< 4).map { _ in Tensor.normal([3, 2], mean: 0, std: 1, using: &rng).data }
        let start = Tensor.normal([3, 2], mean: 0, std: 1, using: &rng).data
        typealias Params = [(name: String, tensor: Tensor)]
        let makers: [(Params) throws -> any Optimizer] = [
            { try SGD($0, learningRate: 0.1, momentum: 0.9, nesterov: true) },
            { try AdamW($0, learningRate: 0.01) },
        ]
        for make in makers {
            let a = Tensor(shape: [3, 2], data: start, requiresGrad: true)
            let straight = try make([("layer.weight", a)])
            for g in grads { a.grad = g; straight.step() }

            let b = Tensor(shape: [3, 2], data: start, requiresGrad: true)
            let first = try make([("layer.weight", b)])
            for g in grads[..<2] { b.grad = g; first.step() }
            let saved = first.stateDict()
            let resumed = try make([("layer.weight", b)])
            try resumed.loadStateDict(saved)
            for g in grads[2...] { b.grad = g; resumed.step() }
            XCTAssertEqual(a.data, b.data, "resumed run must be bit-identical")
            XCTAssertTrue(saved.names.allSatisfy { $0.hasSuffix(".layer.weight") }, "\(saved.names)")
        }
        let adam = try Adam([("w", Tensor.zeros([2]))])
        XCTAssertThrowsError(try adam.loadStateDict(StateDict([("exp_avg.v", NamedArray(shape: [2], values: [0, 0]))]))) {
            XCTAssertTrue("\($0)".contains("unexpected: exp_avg.v"), "\($0)")
        }
        XCTAssertThrowsError(try adam.loadStateDict(StateDict([("exp_avg.w", NamedArray(shape: [3], values: [0, 0, 0]))]))) {
            XCTAssertTrue("\($0)".contains("exp_avg.w expected [2] got [3]"), "\($0)")
        }
    }

    func testParametersWithoutGradientAreSkipped() throws {
        let a = Tensor(shape: [2], data: [1, 2], requiresGrad: true)
        let b = Tensor(shape: [2], data: [3, 4], requiresGrad: true)
        let opt = try Adam([("a", a), ("b", b)], learningRate: 0.1)
        a.grad = [1, -1]
        opt.step()
        XCTAssertEqual(b.data, [3, 4])
        XCTAssertNotEqual(a.data, [1, 2])
        XCTAssertEqual(opt.stateDict().names, ["exp_avg.a", "exp_avg_sq.a", "step.a"])
        XCTAssertEqual(opt.stateDict()["step.a"], NamedArray(scalar: 1))
    }

    func testInvalidHyperparametersAreRefusedWithTheirName() {
        XCTAssertThrowsError(try SGD([], learningRate: 0.1, nesterov: true)) {
            XCTAssertTrue("\($0)".contains("nesterov"), "\($0)")
        }
        XCTAssertThrowsError(try SGD([], learningRate: -1)) { XCTAssertTrue("\($0)".contains("learning rate")) }
        XCTAssertThrowsError(try Adam([], beta2: 1)) { XCTAssertTrue("\($0)".contains("beta2")) }
    }

    func testVectorisedUpdatesEqualScalarFormulas() throws {
        // 37 elements: two 16-wide blocks and a scalar tail; three steps bit for bit.
        let n = 37
        var rng = SeededGenerator(seed: 11)
        let w0 = (0 ..< n).map { _ in rng.nextNormal() }
        let grads = (0 ..< 3).map { _ in (0 ..< n).map { _ in rng.nextNormal() } }
        // SGD, Nesterov, weight decay.
        let p = Tensor(shape: [n], data: w0, requiresGrad: true)
        let sgd = try SGD([("w", p)], learningRate: 0.1, momentum: 0.9, nesterov: true, weightDecay: 0.01)
        var w = w0, b = [Float](repeating: 0, count: n)
        for (step, g) in grads.enumerated() {
            p.grad = g
            sgd.step()
            for j in 0 ..< n {
                var d = g[j] + Float(0.01) * w[j]
                b[j] = step == 0 ? d : b[j] * 0.9 + Float(1) * d
                d = d + Float(0.9) * b[j]
                w[j] += -Float(0.1) * d
            }
            XCTAssertEqual(p.data, w, "SGD step \(step)")
        }
        // Adam.
        let q = Tensor(shape: [n], data: w0, requiresGrad: true)
        let adam = try Adam([("w", q)], learningRate: 0.01)
        var wa = w0, m = [Float](repeating: 0, count: n), v = [Float](repeating: 0, count: n)
        for (step, g) in grads.enumerated() {
            q.grad = g
            adam.step()
            let t = Double(step + 1)
            let stepSize = Float(0.01 / (1 - pow(0.9, t))), bc2 = Float((1 - pow(0.999, t)).squareRoot())
            let w1 = Float(1 - 0.9), b2 = Float(0.999), w2 = Float(1 - 0.999), e = Float(1e-8)
            for j in 0 ..< n {
                m[j] = m[j] + w1 * (g[j] - m[j])
                v[j] = v[j] * b2 + w2 * g[j] * g[j]
                wa[j] += -stepSize * (m[j] / (v[j].squareRoot() / bc2 + e))
            }
            XCTAssertEqual(q.data, wa, "Adam step \(step)")
        }
    }
}
