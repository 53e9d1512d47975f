/// Reductions: sum, mean, max, argmax and variance, over everything or along one axis.
///
/// Along an axis the tensor is viewed as `[outer, n, inner]` (n = the axis size); the
/// result drops the axis (or keeps it with size 1 when `keepDims`). Negative axes count
/// from the end.

extension Tensor {
    /// `axis` made non-negative and checked.
    func normalizedAxis(_ axis: Int, _ op: String) -> Int {
        let a = axis < 0 ? axis + shape.count : axis
        precondition(a >= 0 && a < shape.count, "\(op): axis \(axis) out of range for shape \(shape)")
        return a
    }

    /// `(outer, n, inner)` sizes around `axis` and the reduced shape.
    func reductionGeometry(_ axis: Int, keepDims: Bool) -> (outer: Int, n: Int, inner: Int, shape: [Int]) {
        var reduced = shape
        if keepDims { reduced[axis] = 1 } else { reduced.remove(at: axis) }
        return (product(shape[..<axis]), shape[axis], product(shape[(axis + 1)...]), reduced)
    }

    /// Sum of all elements (0-d result).
    public func sum() -> Tensor {
        let n = count
        let total = data.withUnsafeBufferPointer { x in
            var s: Double = 0
            for v in x { s += Double(v) }
            return Float(s)
        }
        let result = Tensor(shape: [], data: [total])
        guard Autograd.needsGrad(self) else { return result }
        result.record([self]) { g in
            self.accumulateGrad { p, overwrite in
                for i in 0 ..< n { p[i] = overwrite ? g[0] : p[i] + g[0] }
            }
        }
        return result
    }

    /// Mean of all elements (0-d result).
    public func mean() -> Tensor { sum() * (1 / Float(Swift.max(count, 1))) }

    /// Sum along `axis`.
    public func sum(axis: Int, keepDims: Bool = false) -> Tensor {
        let axis = normalizedAxis(axis, "sum")
        let (outer, n, inner, reduced) = reductionGeometry(axis, keepDims: keepDims)
        let out = makeBuffer(outer * inner) { o in
            data.withUnsafeBufferPointer { x in
                for a in 0 ..< outer {
                    let dst = o + a * inner
                    for i in 0 ..< inner { dst[i] = 0 }
                    for k in 0 ..< n {
                        let src = x.baseAddress! + (a * n + k) * inner
                        for i in 0 ..< inner { dst[i] += src[i] }
                    }
                }
            }
        }
        let result = Tensor(shape: reduced, data: out)
        guard Autograd.needsGrad(self) else { return result }
        result.record([self]) { g in
            self.accumulateGrad { p, overwrite in
                for a in 0 ..< outer {
                    for k in 0 ..< n {
                        let dst = p + (a * n + k) * inner
                        for i in 0 ..< inner { dst[i] = (overwrite ? 0 : dst[i]) + g[a * inner + i] }
                    }
                }
            }
        }
        return result
    }

    /// Mean along `axis`.
    public func mean(axis: Int, keepDims: Bool = false) -> Tensor {
        let axis = normalizedAxis(axis, "mean")
        return sum(axis: axis, keepDims: keepDims) * (1 / Float(Swift.max(shape[axis], 1)))
    }

    /// Variance along `axis`: sum((x - mean)^2) / (n - 1) if `unbiased` (PyTorch's default), else / n.
    public func variance(axis: Int, unbiased: Bool = true, keepDims: Bool = false) -> Tensor {
        let axis = normalizedAxis(axis, "variance")
        let n = shape[axis]
        let centered = self - mean(axis: axis, keepDims: true)
        return centered.squared().sum(axis: axis, keepDims: keepDims) * (1 / Float(Swift.max(unbiased ? n - 1 : n, 1)))
    }

    /// Maximum along `axis`; the gradient flows to the first maximal element (as `argmax`).
    public func max(axis: Int, keepDims: Bool = false) -> Tensor {
        let axis = normalizedAxis(axis, "max")
        let (outer, n, inner, reduced) = reductionGeometry(axis, keepDims: keepDims)
        precondition(n > 0, "max: empty axis \(axis) in shape \(shape)")
        let index = argmaxIndices(axis)
        let out = data.withUnsafeBufferPointer { x in
            makeBuffer(outer * inner) { o in
                for a in 0 ..< outer {
                    for i in 0 ..< inner { o[a * inner + i] = x[(a * n + index[a * inner + i]) * inner + i] }
                }
            }
        }
        let result = Tensor(shape: reduced, data: out)
        guard Autograd.needsGrad(self) else { return result }
        result.record([self]) { g in
            var part = [Float](repeating: 0, count: self.count)
            for a in 0 ..< outer {
                for i in 0 ..< inner { part[(a * n + index[a * inner + i]) * inner + i] = g[a * inner + i] }
            }
            self.accumulateGrad(part)
        }
        return result
    }

    /// Index of the first maximum along `axis`, row-major over the other dimensions.
    public func argmax(axis: Int) -> [Int] {
        argmaxIndices(normalizedAxis(axis, "argmax"))
    }

    private func argmaxIndices(_ axis: Int) -> [Int] {
        let (outer, n, inner, _) = reductionGeometry(axis, keepDims: false)
        var index = [Int](repeating: 0, count: outer * inner)
        data.withUnsafeBufferPointer { x in
            for a in 0 ..< outer {
                for i in 0 ..< inner {
                    var best = x[a * n * inner + i], bestK = 0
                    for k in 1 ..< Swift.max(n, 1) where x[(a * n + k) * inner + i] > best {
                        best = x[(a * n + k) * inner + i]; bestK = k
                    }
                    index[a * inner + i] = bestK
                }
            }
        }
        return index
    }
}
