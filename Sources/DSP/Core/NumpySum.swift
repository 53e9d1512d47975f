// numpy's float32 summation order (pairwise_sum in numpy/_core/src/umath/loops_utils.h.src), for
// reductions that must round exactly as numpy's do.

/// `np.sum` of a contiguous float32 array as numpy computes it: blocks of at most 128 values summed
/// with 8 interleaved float32 accumulators, larger arrays split in two (the first half a multiple of 8).
func numpyPairwiseSum(_ x: UnsafeBufferPointer<Float>) -> Float {
    let n = x.count
    if n < 8 {
        var s: Float = 0
        for v in x { s += v }
        return s
    }
    if n <= 128 {
        var r = (x[0], x[1], x[2], x[3], x[4], x[5], x[6], x[7])
        var i = 8
        while i < n - n % 8 {
            r.0 += x[i]; r.1 += x[i + 1]; r.2 += x[i + 2]; r.3 += x[i + 3]
            r.4 += x[i + 4]; r.5 += x[i + 5]; r.6 += x[i + 6]; r.7 += x[i + 7]
            i += 8
        }
        var s = ((r.0 + r.1) + (r.2 + r.3)) + ((r.4 + r.5) + (r.6 + r.7))
        while i < n { s += x[i]; i += 1 }
        return s
    }
    var half = n / 2
    half -= half % 8
    return numpyPairwiseSum(UnsafeBufferPointer(rebasing: x[0 ..< half]))
        + numpyPairwiseSum(UnsafeBufferPointer(rebasing: x[half ..< n]))
}

/// `np.sum(x)` of float32 values (numpy's pairwise order).
func numpySum(_ x: [Float]) -> Float {
    x.withUnsafeBufferPointer { numpyPairwiseSum($0) }
}

/// `x.std(ddof=ddof)` of float32 values as numpy computes it, every step in float32: the mean by
/// pairwise sum / n, then the pairwise sum of squared deviations / (n - ddof), then sqrt.
func numpyStd(_ x: [Float], ddof: Int = 0) -> Float {
    let n = x.count
    let mean = numpySum(x) / Float(n)
    let squares = x.map { ($0 - mean) * ($0 - mean) }
    return (numpySum(squares) / Float(max(n - ddof, 0))).squareRoot()
}
