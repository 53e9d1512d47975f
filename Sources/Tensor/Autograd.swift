/// Reverse-mode automatic differentiation: a tape of backward closures.
///
/// Every differentiable op computes its output, and when grad mode is on and any input
/// requires grad it stores on the output (1) its inputs (`parents`) and (2) a closure that,
/// given the output's gradient, adds each input's gradient contribution (`accumulateGrad`).
/// `backward()` orders the graph topologically and calls the closures in reverse. After
/// the walk the graph is released: closures (and the buffers they saved) and gradients of
/// non-leaf tensors are dropped; leaves keep `grad` (accumulating until `zeroGrad()`).
public enum Autograd {
    nonisolated(unsafe) private static var enabled = true

    /// Whether ops currently record the tape (false inside `noGrad`).
    public static var isGradEnabled: Bool { enabled }

    /// Runs `body` without recording any op (inference; optimiser updates).
    public static func noGrad<T>(_ body: () throws -> T) rethrows -> T {
        let previous = enabled
        enabled = false
        defer { enabled = previous }
        return try body()
    }

    /// True when an op on `inputs` must be recorded.
    @inline(__always)
    static func needsGrad(_ inputs: Tensor?...) -> Bool { needsGrad(inputs) }

    static func needsGrad(_ inputs: [Tensor?]) -> Bool {
        guard enabled else { return false }
        for case let t? in inputs where t.requiresGrad { return true }
        return false
    }
}

extension Tensor {
    /// Records the op that produced `self`: `parents` and the closure that propagates
    /// `self`'s gradient to them. Call only when `Autograd.needsGrad(parents...)`.
    func record(_ parents: [Tensor], _ backward: @escaping (_ grad: [Float]) -> Void) {
        requiresGrad = true
        self.parents = parents
        backwardFn = backward
    }

    /// Adds `g` (same layout as `data`) to `grad`.
    func accumulateGrad(_ g: [Float]) {
        precondition(g.count == data.count, "gradient has \(g.count) elements for shape \(shape)")
        if grad == nil { grad = g; return }
        grad!.withUnsafeMutableBufferPointer { dst in
            g.withUnsafeBufferPointer { src in
                for i in 0 ..< dst.count { dst[i] += src[i] }
            }
        }
    }

    /// Lets a kernel write its gradient contribution straight into `grad`: `body` gets
    /// the buffer and `overwrite` (true: the buffer is uninitialised and must be fully
    /// written, e.g. GEMM beta 0; false: add to it, e.g. beta 1).
    func accumulateGrad(_ body: (_ grad: UnsafeMutablePointer<Float>, _ overwrite: Bool) -> Void) {
        if grad == nil {
            grad = makeBuffer(data.count) { body($0, true) }
        } else {
            grad!.withUnsafeMutableBufferPointer { body($0.baseAddress!, false) }
        }
    }

    /// Back-propagates from this one-element tensor (seed gradient 1); see `backward(seed:)`.
    public func backward(observer: BackwardObserver? = nil) {
        precondition(data.count == 1, "backward() needs a one-element tensor, got shape \(shape); use backward(seed:)")
        backward(seed: [1], observer: observer)
    }

    /// Back-propagates `seed` (d root / d self, same layout as `data`) through the recorded
    /// graph, accumulating into the `grad` of every tensor that requires grad, then
    /// releases the graph (a second `backward()` through it reaches only this tensor).
    /// `observer` hears when each leaf's gradient is final (its last consumer ran) and after
    /// every node, so that data-parallel training can start a gradient's allreduce while the
    /// rest of the pass still runs.
    public func backward(seed: [Float], observer: BackwardObserver? = nil) {
        precondition(seed.count == data.count, "backward: seed has \(seed.count) elements for shape \(shape)")
        // Topological order by iterative depth-first search (no recursion limit).
        var order: [Tensor] = []
        var visited = Set<ObjectIdentifier>()
        var stack: [(Tensor, Bool)] = [(self, false)]
        while let (node, expanded) = stack.popLast() {
            if expanded { order.append(node); continue }
            guard visited.insert(ObjectIdentifier(node)).inserted else { continue }
            stack.append((node, true))
            for p in node.parents where p.requiresGrad && !visited.contains(ObjectIdentifier(p)) {
                stack.append((p, false))
            }
        }
        // Consumers left per leaf (a tensor without a backward closure): its gradient is final
        // when the count reaches 0.
        var consumersLeft: [ObjectIdentifier: Int] = [:]
        if observer != nil {
            for node in order where node.backwardFn != nil {
                for p in node.parents where p.requiresGrad && p.backwardFn == nil { consumersLeft[ObjectIdentifier(p), default: 0] += 1 }
            }
        }
        accumulateGrad(seed)
        for node in order.reversed() {
            guard let fn = node.backwardFn else { continue }
            if let g = node.grad { fn(g) }
            let parents = node.parents
            // Release the tape: saved buffers, parents and the intermediate gradient.
            node.backwardFn = nil
            node.parents = []
            node.grad = nil
            node.requiresGrad = false
            guard let observer else { continue }
            for p in parents where p.requiresGrad && p.backwardFn == nil {
                let id = ObjectIdentifier(p)
                guard let left = consumersLeft[id] else { continue }
                consumersLeft[id] = left - 1
                if left == 1 { observer.gradientReady(p) }
            }
            observer.nodeFinished()
        }
    }
}

/// Hears the progress of a backward pass (`Tensor.backward(observer:)`), on the calling thread.
public protocol BackwardObserver: AnyObject {
    /// `leaf`'s gradient is final: no node left in this pass adds to it (it may be nil when no
    /// gradient reached it).
    func gradientReady(_ leaf: Tensor)
    /// A node's backward closure has run (a point to poll communication).
    func nodeFinished()
}
