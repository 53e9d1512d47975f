import CMedian
import Foundation

// Sliding-window median filters for HPSS (scipy.ndimage.median_filter with mode="reflect"),
// sixteen independent series at a time: CMedian's running median (AVX-512, AVX2 or portable C,
// the same bits on every route) over blocks gathered here.

/// Which route runs the running medians of HPSS, for reports: `avx512 16 lanes`,
/// `avx2 2 x 8 lanes` or `generic` (CPUs without AVX2, `MELCNN_CPU=generic`, ARM).
public enum MedianFilterKernel {
    public static var name: String { String(cString: melcnn_median_kernel()) }
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
    let frames = alongFrames ? length : S.frames, bins = S.bins, lanes = Int(MELCNN_MEDIAN_LANES)
    // Every value is written below.
    var out = [Float](unsafeUninitializedCapacity: frames * (alongFrames ? bins : length)) { $1 = $0.count }
    guard !out.isEmpty else { return out }
    // Along time the series run over frames and the lanes are neighbouring bins; along
    // frequency the series run over bins and the lanes are neighbouring frames. Lane l of
    // position p is float p * lanes + l of `padded` and `medians`.
    let series = alongFrames ? bins : frames
    let padded = UnsafeMutablePointer<Float>.allocate(capacity: (length + 2 * half) * lanes)
    let medians = UnsafeMutablePointer<Float>.allocate(capacity: length * lanes)
    let window = UnsafeMutablePointer<Float>.allocate(capacity: size * lanes)
    defer { padded.deallocate(); medians.deallocate(); window.deallocate() }
    S.data.withUnsafeBufferPointer { srcBuffer in
        out.withUnsafeMutableBufferPointer { dstBuffer in
            let src = srcBuffer.baseAddress!, dst = dstBuffer.baseAddress!
            var s0 = 0
            while s0 < series {
                // A ragged last block repeats its last series in the spare lanes.
                let full = s0 + lanes <= series
                let last = min(s0 + lanes, series) - 1
                if alongFrames {
                    for p in 0 ..< length + 2 * half {
                        let row = src + source[p] * bins
                        if full {
                            (padded + p * lanes).update(from: row + s0, count: lanes)
                        } else {
                            for l in 0 ..< lanes { padded[p * lanes + l] = row[min(s0 + l, last)] }
                        }
                    }
                } else {
                    for l in 0 ..< lanes {
                        let row = src + min(s0 + l, last) * bins
                        for p in 0 ..< length + 2 * half { padded[p * lanes + l] = row[source[p]] }
                    }
                }
                melcnn_running_median(padded, medians, length, size, window)
                if alongFrames {
                    for t in 0 ..< length {
                        (dst + t * bins + s0).update(from: medians + t * lanes, count: last - s0 + 1)
                    }
                } else {
                    for l in 0 ... last - s0 {
                        let row = dst + (s0 + l) * bins
                        for b in 0 ..< length { row[b] = medians[b * lanes + l] }
                    }
                }
                s0 += lanes
            }
        }
    }
    return out
}
