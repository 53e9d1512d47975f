/// How a signal is extended past its ends (numpy `np.pad` modes used by librosa).
public enum PadMode: String, CaseIterable, Sendable {
    /// Zeros (librosa 0.11's default for `stft(center=True)`, `pad_mode="constant"`).
    case constant
    /// Mirror without repeating the edge sample (`np.pad(mode="reflect")`);
    /// pads longer than the signal keep mirroring, as numpy does.
    case reflect
}

/// `y` with `left` samples before and `right` after, filled according to `mode`
/// (numpy `np.pad(y, (left, right), mode)`).
public func padSignal(_ y: [Float], left: Int, right: Int, mode: PadMode) -> [Float] {
    precondition(left >= 0 && right >= 0, "padSignal: negative pad")
    let n = y.count
    var out = [Float](repeating: 0, count: n + left + right)
    out.withUnsafeMutableBufferPointer { dst in
        y.withUnsafeBufferPointer { src in
            if n > 0 { (dst.baseAddress! + left).update(from: src.baseAddress!, count: n) }
            guard mode == .reflect, n > 0 else { return }
            for i in 0 ..< left { dst[i] = src[reflectIndex(i - left, count: n)] }
            for i in 0 ..< right { dst[left + n + i] = src[reflectIndex(n + i, count: n)] }
        }
    }
    return out
}

/// Index into `0 ..< count` of position `i` of the mirror-periodic extension
/// (period `2 (count - 1)`), which is what repeated numpy reflection produces.
@inline(__always)
func reflectIndex(_ i: Int, count n: Int) -> Int {
    if n == 1 { return 0 }
    let period = 2 * (n - 1)
    var m = i % period
    if m < 0 { m += period }
    return m < n ? m : period - m
}

/// `v` centred in a zero vector of `size` (librosa `util.pad_center`: left pad
/// `(size - count) / 2`, rounded down).
public func padCenter(_ v: [Float], size: Int) -> [Float] {
    precondition(size >= v.count, "padCenter: target \(size) shorter than input \(v.count)")
    let left = (size - v.count) / 2
    return padSignal(v, left: left, right: size - v.count - left, mode: .constant)
}

/// `y` truncated or zero-padded at the end to exactly `size` samples (librosa `util.fix_length`).
public func fixLength(_ y: [Float], size: Int) -> [Float] {
    if y.count >= size { return Array(y[0 ..< size]) }
    return y + [Float](repeating: 0, count: size - y.count)
}
