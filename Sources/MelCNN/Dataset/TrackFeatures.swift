import DSP

/// One track's log-mels with their per-bin sum and sum of squares (for `/stats`).
struct TrackFeatures {
    var mels: FeatureMatrix
    var sum: [Double]
    var sumSquares: [Double]

    init(_ mels: FeatureMatrix) {
        self.mels = mels
        let bins = mels.bins
        var sum = [Double](repeating: 0, count: bins), sq = [Double](repeating: 0, count: bins)
        mels.data.withUnsafeBufferPointer { v in
            sum.withUnsafeMutableBufferPointer { s in
                sq.withUnsafeMutableBufferPointer { q in
                    // Eight bins at a time in registers, frames in order: each bin's sums
                    // add the same values in the same order as a plain loop.
                    var b0 = 0
                    while b0 + 8 <= bins {
                        var s8 = SIMD8<Double>(repeating: 0), q8 = SIMD8<Double>(repeating: 0)
                        for t in 0 ..< mels.frames {
                            var x = SIMD8<Double>()
                            for k in 0 ..< 8 { x[k] = Double(v[t * bins + b0 + k]) }
                            s8 += x
                            q8 += x * x
                        }
                        for k in 0 ..< 8 { s[b0 + k] = s8[k]; q[b0 + k] = q8[k] }
                        b0 += 8
                    }
                    for b in b0 ..< bins {
                        for t in 0 ..< mels.frames {
                            let x = Double(v[t * bins + b])
                            s[b] += x
                            q[b] += x * x
                        }
                    }
                }
            }
        }
        self.sum = sum
        sumSquares = sq
    }
}
