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
                    for t in 0 ..< mels.frames {
                        for b in 0 ..< bins {
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
