import Foundation

// Sliding-window median filters for HPSS (scipy.ndimage.median_filter with mode="reflect").

/// Median over a window of `size` (odd) values centred on each element of `count` values read
/// with `stride` from `input`, written with `stride` to `output`; out-of-range positions reflect
/// about the edge (`d c b a | a b c d | d c b a`), as scipy's `mode="reflect"`.
///
/// A sorted copy of the window is kept; each step replaces the outgoing value by the incoming
/// one and restores the order with one shift (O(size) per output, no allocation).
/// `scratch` needs `count + size` floats.
@inlinable
func slidingMedian(_ input: UnsafePointer<Float>, _ output: UnsafeMutablePointer<Float>, count n: Int,
                   stride: Int, size: Int, scratch: UnsafeMutablePointer<Float>) {
    let half = size / 2
    // Padded copy: index p of `padded` is position p - half of the sequence, reflected.
    let padded = scratch
    let window = scratch + (n + 2 * half)   // size floats after the padded run
    @inline(__always) func reflect(_ i: Int) -> Int {
        let period = 2 * n
        var m = i % period
        if m < 0 { m += period }
        return m < n ? m : period - 1 - m
    }
    for p in 0 ..< n + 2 * half { padded[p] = input[reflect(p - half) * stride] }
    for j in 0 ..< size { window[j] = padded[j] }
    // insertion sort of the first window (size is small)
    for j in 1 ..< size {
        let v = window[j]
        var k = j - 1
        while k >= 0 && window[k] > v { window[k + 1] = window[k]; k -= 1 }
        window[k + 1] = v
    }
    output[0] = window[half]
    if n == 1 { return }
    for i in 1 ..< n {
        let old = padded[i - 1], new = padded[i - 1 + size]
        if old != new {
            // find `old` (binary search for its first position)
            var lo = 0, hi = size - 1
            while lo < hi { let mid = (lo + hi) >> 1; if window[mid] < old { lo = mid + 1 } else { hi = mid } }
            var pos = lo
            if new > old {
                while pos + 1 < size && window[pos + 1] < new { window[pos] = window[pos + 1]; pos += 1 }
            } else {
                while pos > 0 && window[pos - 1] > new { window[pos] = window[pos - 1]; pos -= 1 }
            }
            window[pos] = new
        }
        output[i * stride] = window[half]
    }
}

/// `slidingMedian` for windows of at most 32 values: the sorted window is a 32-float block
/// (unused slots +inf) whose ranks are found by counting comparisons over all 32 slots, a loop
/// of constant trip count that the compiler vectorises, instead of a mispredicting binary search.
@inlinable
func slidingMedian32(_ input: UnsafePointer<Float>, _ output: UnsafeMutablePointer<Float>, count n: Int,
                     stride: Int, size: Int, scratch: UnsafeMutablePointer<Float>) {
    let half = size / 2
    let padded = scratch
    let w = scratch + (n + 2 * half)        // 32 floats
    @inline(__always) func reflect(_ i: Int) -> Int {
        let period = 2 * n
        var m = i % period
        if m < 0 { m += period }
        return m < n ? m : period - 1 - m
    }
    for p in 0 ..< half { padded[p] = input[reflect(p - half) * stride] }
    for i in 0 ..< n { padded[half + i] = input[i * stride] }
    for p in (n + half) ..< (n + 2 * half) { padded[p] = input[reflect(p - half) * stride] }
    for j in 0 ..< 32 { w[j] = j < size ? padded[j] : .infinity }
    var initial = UnsafeMutableBufferPointer(start: w, count: size)
    initial.sort()
    output[0] = w[half]
    var i = 1
    while i < n {
        let old = padded[i - 1], new = padded[i - 1 + size]
        if old != new {
            let o = SIMD8<Float>(repeating: old), nw = SIMD8<Float>(repeating: new)
            let raw = UnsafeRawPointer(w)
            let v0 = raw.loadUnaligned(as: SIMD8<Float>.self), v1 = raw.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self)
            let v2 = raw.loadUnaligned(fromByteOffset: 64, as: SIMD8<Float>.self), v3 = raw.loadUnaligned(fromByteOffset: 96, as: SIMD8<Float>.self)
            // a true lane of a comparison mask is -1 as Int32
            var p = unsafeBitCast(v0 .< o, to: SIMD8<Int32>.self) &+ unsafeBitCast(v1 .< o, to: SIMD8<Int32>.self)
            p &+= unsafeBitCast(v2 .< o, to: SIMD8<Int32>.self) &+ unsafeBitCast(v3 .< o, to: SIMD8<Int32>.self)
            var c = unsafeBitCast(v0 .< nw, to: SIMD8<Int32>.self) &+ unsafeBitCast(v1 .< nw, to: SIMD8<Int32>.self)
            c &+= unsafeBitCast(v2 .< nw, to: SIMD8<Int32>.self) &+ unsafeBitCast(v3 .< nw, to: SIMD8<Int32>.self)
            let pi = -Int(p.wrappedSum()), ci = -Int(c.wrappedSum())
            if new > old {
                let q = ci - 1
                var j = pi
                while j < q { w[j] = w[j + 1]; j += 1 }
                w[q] = new
            } else {
                var j = pi
                while j > ci { w[j] = w[j - 1]; j -= 1 }
                w[ci] = new
            }
        }
        output[i * stride] = w[half]
        i += 1
    }
}

/// Median filter of every row of a `[rows x columns]` row-major matrix along its columns
/// (window `size`, odd, reflect mode).
func medianFilterRows(_ data: [Float], rows: Int, columns: Int, size: Int) -> [Float] {
    precondition(size >= 1 && size % 2 == 1, "medianFilter: the kernel size must be odd")
    var out = [Float](repeating: 0, count: data.count)
    guard rows > 0 && columns > 0 else { return out }
    var scratch = [Float](repeating: 0, count: columns + 2 * (size / 2) + max(size, 32))
    data.withUnsafeBufferPointer { src in
        out.withUnsafeMutableBufferPointer { dst in
            scratch.withUnsafeMutableBufferPointer { s in
                for r in 0 ..< rows where size <= 32 {
                    slidingMedian32(src.baseAddress! + r * columns, dst.baseAddress! + r * columns, count: columns,
                                    stride: 1, size: size, scratch: s.baseAddress!)
                }
                for r in 0 ..< rows where size > 32 {
                    slidingMedian(src.baseAddress! + r * columns, dst.baseAddress! + r * columns, count: columns,
                                  stride: 1, size: size, scratch: s.baseAddress!)
                }
            }
        }
    }
    return out
}
