/// Helpers for explicitly vectorised elementwise loops (16 Float lanes).

/// Loads 16 floats from `p` (no alignment needed).
@inline(__always)
func load16(_ p: UnsafePointer<Float>) -> SIMD16<Float> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD16<Float>.self)
}

@inline(__always)
func load16(_ p: UnsafeMutablePointer<Float>) -> SIMD16<Float> { load16(UnsafePointer(p)) }

/// Stores 16 floats at `p` (no alignment needed).
@inline(__always)
func store16(_ v: SIMD16<Float>, _ p: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD16<Float>.self)
}

/// Calls `vector(i)` for each full block of 16 starting at `i` in `range`, then `scalar(i)` for the tail.
@inline(__always)
func simdLoop(_ range: Range<Int>, _ vector: (Int) -> Void, scalar: (Int) -> Void) {
    var i = range.lowerBound
    while i + 16 <= range.upperBound { vector(i); i += 16 }
    while i < range.upperBound { scalar(i); i += 1 }
}

/// Σ p[0 ..< n] with 16 partial sums (vectorised; the order differs from a serial sum).
@inline(__always)
func sumFloats(_ p: UnsafePointer<Float>, _ n: Int) -> Float {
    var acc = SIMD16<Float>(repeating: 0)
    var tail: Float = 0
    simdLoop(0 ..< n) { i in acc += load16(p + i) } scalar: { i in tail += p[i] }
    return acc.sum() + tail
}
