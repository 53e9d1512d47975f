import Foundation

// Sliding-window median filters for HPSS (scipy.ndimage.median_filter with mode="reflect"),
// eight independent series at a time in the lanes of a SIMD vector.

/// Eight series processed together, one per lane.
typealias MedianLanes = SIMD8<Float>

/// Running median of window `size` (odd, >= 3) over the `count + size - 1` lane vectors of
/// `x` (each lane a padded series), writing `count` medians to `out`; `window` needs `size`
/// vectors.
///
/// Every lane keeps its window sorted in `window[0 ..< size]`. A step removes the outgoing value
/// (entries from its position on shift down: `w[j] < old ? w[j] : w[j+1]`) and inserts the
/// incoming one (`min(w[j], max(w[j-1], new))`), one branch-free pass over the window whatever
/// the data: no mispredictions, and eight series per instruction. The first `size` steps remove
/// the `+inf` the window starts with.
@inline(__always)
func runningMedianLanes(_ x: UnsafePointer<MedianLanes>, _ out: UnsafeMutablePointer<MedianLanes>, count n: Int,
                        size k: Int, window w: UnsafeMutablePointer<MedianLanes>) {
    let inf = MedianLanes(repeating: .infinity)
    for j in 0 ..< k { w[j] = inf }
    let half = k / 2
    for i in 0 ..< n + k - 1 {
        let new = x[i]
        let old = i >= k ? x[i - k] : inf
        var next = w[0]
        var prev = inf
        for j in 0 ..< k - 1 {
            let cur = next
            next = w[j + 1]
            let removed = cur.replacing(with: next, where: cur .>= old)      // w'[j]
            let low = j == 0 ? new : prev.replacing(with: new, where: prev .< new)   // max(w'[j-1], new)
            w[j] = removed.replacing(with: low, where: low .< removed)       // min(w'[j], low)
            prev = removed
        }
        w[k - 1] = prev.replacing(with: new, where: prev .< new)
        if i >= k - 1 { out[i - k + 1] = w[half] }
    }
}

/// scipy's `mode="reflect"` index for position `i` of a series of `n` values
/// (`d c b a | a b c d | d c b a`, periodic beyond that).
@inline(__always)
func reflectIndex(_ i: Int, _ n: Int) -> Int {
    let period = 2 * n
    var m = i % period
    if m < 0 { m += period }
    return m < n ? m : period - 1 - m
}

/// Median filter (window `size`, odd, scipy's reflect mode) of a `[frames x bins]` matrix along
/// time (`alongFrames`: every bin's series over frames) or along frequency (every frame's
/// spectrum). Returns the filtered values in the same `[frames x bins]` layout.
func medianFilter(_ S: FeatureMatrix, size: Int, alongFrames: Bool) -> [Float] {
    precondition(size >= 1 && size % 2 == 1, "medianFilter: the kernel size must be odd")
    guard S.frames > 0 && S.bins > 0 else { return [Float](repeating: 0, count: S.data.count) }
    if size == 1 { return S.data }
    let length = alongFrames ? S.frames : S.bins, half = size / 2
    return medianFilter(S, size: size, alongFrames: alongFrames,
                        source: (0 ..< length + 2 * half).map { reflectIndex($0 - half, length) })
}

/// The median filter over padded series given explicitly: padded position `p` of every series
/// is frame `source[p]` of `S` (`alongFrames`) or bin `source[p]` of each frame. The output
/// has `source.count - size + 1` positions: `[positions x bins]` along frames (a run of frames
/// filtered with the context `source` names, as `StreamingHPSS` does), `[frames x positions]`
/// along frequency. Every median is one of its window's values, so it does not depend on
/// where the series starts: a run gives the values of the whole matrix at those frames.
func medianFilter(_ S: FeatureMatrix, size: Int, alongFrames: Bool, source: [Int]) -> [Float] {
    let half = size / 2, length = source.count - 2 * half
    precondition(size >= 3 && size % 2 == 1 && length >= 0, "medianFilter: the kernel size must be odd, >= 3")
    let frames = alongFrames ? length : S.frames, bins = S.bins, lanes = MedianLanes.scalarCount
    // Every value is written below.
    var out = [Float](unsafeUninitializedCapacity: frames * (alongFrames ? bins : length)) { $1 = $0.count }
    guard !out.isEmpty else { return out }
    // Along time the series run over frames and the lanes are neighbouring bins; along
    // frequency the series run over bins and the lanes are neighbouring frames.
    let series = alongFrames ? bins : frames
    let padded = UnsafeMutablePointer<MedianLanes>.allocate(capacity: length + 2 * half)
    let medians = UnsafeMutablePointer<MedianLanes>.allocate(capacity: length)
    let window = UnsafeMutablePointer<MedianLanes>.allocate(capacity: size)
    defer { padded.deallocate(); medians.deallocate(); window.deallocate() }
    // The same lanes as floats (lane l of vector p is float p * lanes + l).
    let paddedFloats = UnsafeMutableRawPointer(padded).assumingMemoryBound(to: Float.self)
    let medianFloats = UnsafeMutableRawPointer(medians).assumingMemoryBound(to: Float.self)
    S.data.withUnsafeBufferPointer { srcBuffer in
        out.withUnsafeMutableBufferPointer { dstBuffer in
            let src = srcBuffer.baseAddress!, dst = dstBuffer.baseAddress!
            var s0 = 0
            while s0 < series {
                let full = s0 + lanes <= series
                let last = min(s0 + lanes, series) - 1
                if alongFrames {
                    for p in 0 ..< length + 2 * half {
                        let row = src + source[p] * bins
                        if full {
                            padded[p] = UnsafeRawPointer(row + s0).loadUnaligned(as: MedianLanes.self)
                        } else {
                            for l in 0 ..< lanes { paddedFloats[p * lanes + l] = row[min(s0 + l, last)] }
                        }
                    }
                } else {
                    for l in 0 ..< lanes {
                        let row = src + min(s0 + l, last) * bins
                        for p in 0 ..< length + 2 * half { paddedFloats[p * lanes + l] = row[source[p]] }
                    }
                }
                if size == 31 {
                    runningMedianLanes(padded, medians, count: length, size: 31, window: window)
                } else {
                    runningMedianLanes(padded, medians, count: length, size: size, window: window)
                }
                if alongFrames {
                    for t in 0 ..< length {
                        if full {
                            UnsafeMutableRawPointer(dst + t * bins + s0).storeBytes(of: medians[t], as: MedianLanes.self)
                        } else {
                            for l in 0 ... last - s0 { dst[t * bins + s0 + l] = medianFloats[t * lanes + l] }
                        }
                    }
                } else {
                    for l in 0 ... last - s0 {
                        let row = dst + (s0 + l) * bins
                        for b in 0 ..< length { row[b] = medianFloats[b * lanes + l] }
                    }
                }
                s0 += lanes
            }
        }
    }
    return out
}
