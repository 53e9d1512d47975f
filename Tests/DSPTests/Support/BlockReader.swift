import DSP
import Foundation

/// A `GTZANFeatures.SignalSource` over `y`, delivered in pieces of the given sizes in turn
/// (cycled), as a decoder and resampler would deliver a file.
func blockReader(_ y: [Float], sizes: [Int]) -> GTZANFeatures.SignalSource {
    { consume in
        var from = 0, i = 0
        while from < y.count {
            let n = min(sizes[i % sizes.count], y.count - from)
            try y.withUnsafeBufferPointer { try consume(UnsafeBufferPointer(rebasing: $0[from ..< from + n])) }
            from += n
            i += 1
        }
    }
}

/// A test signal of `n` samples: two tones with a slow vibrato, clicks every 0.4 s and a
/// little noise, so that every feature (HPSS, beats, tuning) has something to find.
func toneAndClicks(_ n: Int, seed: UInt64 = 7) -> [Float] {
    var state = seed
    return (0 ..< n).map { i in
        state = state &* 6364136223846793005 &+ 1442695040888963407
        let noise = Float(Int64(bitPattern: state >> 11) % 1000) / 1e5
        let t = Double(i) / 22050
        let vibrato: Double = 220 + 3 * sin(t)
        let low: Double = 0.3 * sin(2 * Double.pi * vibrato * t)
        let high: Double = 0.1 * sin(2 * Double.pi * 660.5 * t)
        let click: Float = i % 8820 < 60 ? 0.4 : 0
        return Float(low + high) + click + noise
    }
}
