/// Shape ops: reshape, permute / transpose, concatenation and slicing along an axis.

extension Tensor {
    /// The same elements under `newShape` (one entry may be -1: inferred). Shares storage.
    public func reshaped(_ newShape: [Int]) -> Tensor {
        var shape = newShape
        if let free = shape.firstIndex(of: -1) {
            let known = product(shape.enumerated().filter { $0.offset != free }.map(\.element))
            precondition(known > 0 && count % known == 0, "reshape: cannot infer -1 in \(newShape) for \(count) elements")
            shape[free] = count / known
        }
        precondition(product(shape) == count, "reshape: \(self.shape) (\(count) elements) cannot become \(newShape)")
        let result = Tensor(shape: shape, data: data)
        guard Autograd.needsGrad(self) else { return result }
        result.record([self]) { g in self.accumulateGrad(g) }
        return result
    }

    /// `[N, ...]` flattened to `[N, rest]`.
    public func flattened() -> Tensor { reshaped([shape.first ?? 1, -1]) }

    /// Dimensions reordered: result dimension i is input dimension `dims[i]` (a copy).
    public func permuted(_ dims: [Int]) -> Tensor {
        precondition(dims.sorted() == Array(0 ..< rank), "permute: \(dims) is not a permutation of 0..<\(rank)")
        let outShape = dims.map { shape[$0] }
        let result = Tensor(shape: outShape, data: permuteData(data, shape: shape, dims: dims))
        guard Autograd.needsGrad(self) else { return result }
        var inverse = [Int](repeating: 0, count: rank)
        for (i, d) in dims.enumerated() { inverse[d] = i }
        result.record([self]) { g in self.accumulateGrad(permuteData(g, shape: outShape, dims: inverse)) }
        return result
    }

    /// The last two dimensions swapped (a 2-d matrix transposed), as a copy. For a
    /// product with a transpose use `matmul(_:_:transposeA:transposeB:)`, which does not copy.
    public func transposed() -> Tensor {
        precondition(rank >= 2, "transposed: needs at least 2 dimensions, got \(shape)")
        var dims = Array(0 ..< rank)
        dims.swapAt(rank - 1, rank - 2)
        return permuted(dims)
    }

    /// Elements `range` of dimension `axis` (a copy).
    public func slice(axis: Int, _ range: Range<Int>) -> Tensor {
        let axis = normalizedAxis(axis, "slice")
        precondition(range.lowerBound >= 0 && range.upperBound <= shape[axis],
                     "slice: \(range) out of bounds for axis \(axis) of \(shape)")
        let (outer, n, inner, _) = reductionGeometry(axis, keepDims: true)
        let m = range.count
        var outShape = shape
        outShape[axis] = m
        let out = data.withUnsafeBufferPointer { x in
            makeBuffer(outer * m * inner) { o in
                for a in 0 ..< outer {
                    (o + a * m * inner).update(from: x.baseAddress! + (a * n + range.lowerBound) * inner, count: m * inner)
                }
            }
        }
        let result = Tensor(shape: outShape, data: out)
        guard Autograd.needsGrad(self) else { return result }
        result.record([self]) { g in
            var part = [Float](repeating: 0, count: outer * n * inner)
            for a in 0 ..< outer {
                for j in 0 ..< m * inner { part[(a * n + range.lowerBound) * inner + j] = g[a * m * inner + j] }
            }
            self.accumulateGrad(part)
        }
        return result
    }
}

/// `tensors` joined along `axis`; all other dimensions must agree.
public func concat(_ tensors: [Tensor], axis: Int) -> Tensor {
    precondition(!tensors.isEmpty, "concat: no tensors")
    let first = tensors[0]
    let axis = first.normalizedAxis(axis, "concat")
    for t in tensors {
        precondition(t.rank == first.rank && (0 ..< t.rank).allSatisfy { $0 == axis || t.shape[$0] == first.shape[$0] },
                     "concat: shape \(t.shape) does not match \(first.shape) outside axis \(axis)")
    }
    let outer = product(first.shape[..<axis]), inner = product(first.shape[(axis + 1)...])
    let sizes = tensors.map { $0.shape[axis] }
    let total = sizes.reduce(0, +)
    var outShape = first.shape
    outShape[axis] = total
    let out = makeBuffer(outer * total * inner) { o in
        var offset = 0
        for (t, m) in zip(tensors, sizes) {
            t.data.withUnsafeBufferPointer { x in
                for a in 0 ..< outer {
                    (o + (a * total + offset) * inner).update(from: x.baseAddress! + a * m * inner, count: m * inner)
                }
            }
            offset += m
        }
    }
    let result = Tensor(shape: outShape, data: out)
    guard Autograd.needsGrad(tensors.map { Optional($0) }) else { return result }
    result.record(tensors) { g in
        var offset = 0
        for (t, m) in zip(tensors, sizes) {
            if t.requiresGrad {
                let o = offset
                let part = makeBuffer(outer * m * inner) { p in
                    g.withUnsafeBufferPointer { gp in
                        for a in 0 ..< outer {
                            (p + a * m * inner).update(from: gp.baseAddress! + (a * total + o) * inner, count: m * inner)
                        }
                    }
                }
                t.accumulateGrad(part)
            }
            offset += m
        }
    }
    return result
}

/// Copy of row-major `x` of `shape` with dimensions reordered by `dims`.
private func permuteData(_ x: [Float], shape: [Int], dims: [Int]) -> [Float] {
    let rank = shape.count
    var inStrides = [Int](repeating: 1, count: rank)
    for i in stride(from: rank - 2, through: 0, by: -1) { inStrides[i] = inStrides[i + 1] * shape[i + 1] }
    let outShape = dims.map { shape[$0] }
    let strides = dims.map { inStrides[$0] }  // input stride of each output dimension
    return makeBuffer(x.count) { o in
        x.withUnsafeBufferPointer { xp in
            var idx = [Int](repeating: 0, count: rank)
            var src = 0
            for i in 0 ..< x.count {
                o[i] = xp[src]
                var d = rank - 1
                while d >= 0 {
                    idx[d] += 1; src += strides[d]
                    if idx[d] < outShape[d] { break }
                    src -= strides[d] * outShape[d]; idx[d] = 0; d -= 1
                }
            }
        }
    }
}
