import XCTest
@testable import Tensor
#if canImport(Glibc)
import Glibc
#endif

final class AutogradTests: XCTestCase {
    func testChainRuleAndSharedInput() {
        // y = x * x + x: dy/dx = 2x + 1 (x used three times)
        let x = Tensor([1, -2, 3], requiresGrad: true)
        (x * x + x).sum().backward()
        XCTAssertEqual(x.grad, [3, -3, 7])
    }

    func testAccumulatesUntilZeroed() {
        let x = Tensor([1, 2], requiresGrad: true)
        (x * 3).sum().backward()
        (x * 3).sum().backward()
        XCTAssertEqual(x.grad, [6, 6])
        x.zeroGrad()
        XCTAssertNil(x.grad)
        (x * 3).sum().backward()
        XCTAssertEqual(x.grad, [3, 3])
    }

    func testNoGradRecordsNothing() {
        let x = Tensor([1, 2], requiresGrad: true)
        let y = Autograd.noGrad { relu(x * 2 + 1).sum() }
        XCTAssertFalse(y.requiresGrad)
        XCTAssertTrue(y.parents.isEmpty)
        XCTAssertNil(y.backwardFn)
        XCTAssertTrue(Autograd.isGradEnabled)
        XCTAssertEqual(y.item, 8)
    }

    func testConstantsGetNoGradient() {
        let x = Tensor([1, 2], requiresGrad: true)
        let c = Tensor([5, 5])
        (x * c).sum().backward()
        XCTAssertNil(c.grad)
        XCTAssertEqual(x.grad, [5, 5])
    }

    func testGraphIsReleasedAfterBackward() {
        let x = Tensor([1, 2], requiresGrad: true)
        let h = x * 2
        let loss = h.sum()
        loss.backward()
        XCTAssertNil(h.backwardFn)
        XCTAssertTrue(h.parents.isEmpty)
        XCTAssertNil(h.grad)          // intermediate gradients are not kept
        XCTAssertEqual(x.grad, [2, 2]) // leaves keep theirs
    }

    func testBackwardWithSeed() {
        let x = Tensor([1, 2, 3], requiresGrad: true)
        (x * x).backward(seed: [1, 0, 2])
        XCTAssertEqual(x.grad, [2, 0, 12])
    }

    func testDeepChainDoesNotOverflow() {
        let x = Tensor([1], requiresGrad: true)
        var y = x
        for _ in 0 ..< 20000 { y = y * 1 }
        y.sum().backward()
        XCTAssertEqual(x.grad, [1])
    }

    func testGradientCheckCatchesAWrongDerivative() {
        // A deliberately wrong backward (d sin / dx claimed to be sin) must be flagged.
        let x = randomTensor([6], seed: 1)
        let errors = gradientErrors([x], eps: 1e-2) { unary($0[0], { sinf($0) }, derivative: { _, y in y }) }
        XCTAssertGreaterThan(errors[0].0, 0.1 * errors[0].1)
        let right = gradientErrors([x], eps: 1e-2) { unary($0[0], { sinf($0) }, derivative: { x, _ in cosf(x) }) }
        XCTAssertLessThan(right[0].0, 1e-2 * right[0].1)
    }

    /// Records when the pass reports each leaf's gradient final, and the gradient it had then.
    private final class ReadyLog: BackwardObserver {
        var ready: [(Tensor, [Float]?)] = []
        var nodes = 0
        func gradientReady(_ leaf: Tensor) { ready.append((leaf, leaf.grad)) }
        func nodeFinished() { nodes += 1 }
    }

    func testObserverHearsEachLeafOnceWhenItsGradientIsFinal() {
        // loss = sum(relu(x * w1 + w1) * w2) + sum(w3 * 0): w1 feeds two ops, w2 one near the
        // root, x is a leaf too, c needs no gradient, w3 gets one (zeros).
        let x = Tensor([1, -2, 3], requiresGrad: true)
        let w1 = Tensor([0.5, 0.25, -1], requiresGrad: true)
        let w2 = Tensor([2, 3, 4], requiresGrad: true)
        let w3 = Tensor([1, 1, 1], requiresGrad: true)
        let c = Tensor([7, 7, 7])
        let log = ReadyLog()
        ((relu(x * w1 + w1) * w2).sum() + (w3 * c * 0).sum()).backward(observer: log)
        let ids = log.ready.map { ObjectIdentifier($0.0) }
        XCTAssertEqual(ids.count, 4, "each leaf that requires a gradient once")
        XCTAssertEqual(Set(ids), Set([x, w1, w2, w3].map { ObjectIdentifier($0) }))
        for (leaf, gradient) in log.ready {
            XCTAssertEqual(gradient, leaf.grad, "the gradient was final when the observer heard of it")
        }
        // w2's last consumer runs before w1's: w2 is heard of before w1.
        let position = { (t: Tensor) in ids.firstIndex(of: ObjectIdentifier(t))! }
        XCTAssertLessThan(position(w2), position(w1))
        XCTAssertGreaterThan(log.nodes, 0)
        // The same gradients as without an observer.
        let (x2, w12, w22) = (Tensor([1, -2, 3], requiresGrad: true), Tensor([0.5, 0.25, -1], requiresGrad: true), Tensor([2, 3, 4], requiresGrad: true))
        (relu(x2 * w12 + w12) * w22).sum().backward()
        XCTAssertEqual(w1.grad, w12.grad)
        XCTAssertEqual(w2.grad, w22.grad)
        XCTAssertEqual(x.grad, x2.grad)
    }
}
