import Foundation

// Frame-wise features computed from the waveform itself: zero-crossing rate and RMS.

/// Number of frames librosa produces for `count` samples with `center=True` padding.
@inlinable
func centeredFrameCount(samples count: Int, hopLength: Int) -> Int { 1 + count / hopLength }

/// Zero-crossing rate per frame (librosa.feature.zero_crossing_rate): frames of `frameLength`
/// every `hopLength` samples, edge-padded by `frameLength / 2` when `center`; a crossing is a
/// sign-bit change between neighbours inside the frame, values with `|x| <= threshold` counting as +0.
public func zeroCrossingRate(_ y: [Float], frameLength: Int = 2048, hopLength: Int = 512,
                             center: Bool = true, threshold: Float = 1e-10) -> [Float] {
    precondition(frameLength > 0 && hopLength > 0, "zeroCrossingRate: frameLength and hopLength must be positive")
    guard !y.isEmpty else { return [] }
    let pad = center ? frameLength / 2 : 0
    let n = y.count + 2 * pad
    guard n >= frameLength else { return [] }
    let frames = 1 + (n - frameLength) / hopLength
    // negative[i]: sign bit of the padded sample i after thresholding; crossings prefix-summed.
    var prefix = [Int32](repeating: 0, count: n + 1)
    y.withUnsafeBufferPointer { x in
        @inline(__always) func negative(_ i: Int) -> Bool {
            let j = min(max(i - pad, 0), x.count - 1)          // edge padding
            let v = x[j]
            return v < -threshold                               // |v| <= threshold -> +0
        }
        var previous = negative(0)
        for i in 1 ..< n {
            let current = negative(i)
            prefix[i + 1] = prefix[i] + (current != previous ? 1 : 0)
            previous = current
        }
    }
    // Crossings of frame f: pairs (i-1, i) with start < i < start + frameLength.
    return (0 ..< frames).map { f in
        let start = f * hopLength
        return Float(prefix[start + frameLength] - prefix[start + 1]) / Float(frameLength)
    }
}

/// Root-mean-square energy per frame from the waveform (librosa.feature.rms with `y`):
/// zero-padded by `frameLength / 2` when `center`, `sqrt(mean(x^2))` over each frame.
public func rms(_ y: [Float], frameLength: Int = 2048, hopLength: Int = 512, center: Bool = true) -> [Float] {
    precondition(frameLength > 0 && hopLength > 0, "rms: frameLength and hopLength must be positive")
    let pad = center ? frameLength / 2 : 0
    let n = y.count + 2 * pad
    guard n >= frameLength else { return [] }
    let frames = 1 + (n - frameLength) / hopLength
    var prefix = [Double](repeating: 0, count: n + 1)
    y.withUnsafeBufferPointer { x in
        for i in 0 ..< x.count {
            let v = Double(x[i] * x[i])
            prefix[pad + i + 1] = prefix[pad + i] + v
        }
        for i in (pad + x.count) ..< n { prefix[i + 1] = prefix[i] }
    }
    return (0 ..< frames).map { f in
        let start = f * hopLength
        return Float(max(0, (prefix[start + frameLength] - prefix[start]) / Double(frameLength)).squareRoot())
    }
}
