import Tensor

#if canImport(Glibc)
import Glibc
#else
import Foundation
#endif

/// Random draws used by the synthesiser, over one `SeededGenerator`.
struct Dice {
    var generator: SeededGenerator

    init(seed: UInt64) { generator = SeededGenerator(seed: seed) }

    /// Uniform in `range`.
    mutating func uniform(_ range: ClosedRange<Float>) -> Float {
        range.lowerBound + (range.upperBound - range.lowerBound) * generator.nextUniform()
    }

    /// Uniform integer in `range`.
    mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(generator.next() % UInt64(range.count))
    }

    /// One element of a non-empty array.
    mutating func pick<T>(_ items: [T]) -> T { items[Int(generator.next() % UInt64(items.count))] }

    /// True with probability `p`.
    mutating func chance(_ p: Float) -> Bool { generator.nextUniform() < p }

    /// A zero-mean jitter of roughly `scale` (sum of two uniforms, triangular).
    mutating func jitter(_ scale: Float) -> Float {
        scale == 0 ? 0 : scale * (generator.nextUniform() + generator.nextUniform() - 1)
    }

    /// A fresh 32-bit noise source seeded from this generator.
    mutating func noise() -> Noise { Noise(seed: UInt32(truncatingIfNeeded: generator.next() | 1)) }
}

/// A tiny white-noise source for inner loops (xorshift32, Marsaglia 2003).
struct Noise {
    var state: UInt32

    init(seed: UInt32) { state = seed == 0 ? 0x9E37_79B9 : seed }

    /// Uniform in [-1, 1).
    @inline(__always)
    mutating func next() -> Float {
        state ^= state << 13
        state ^= state >> 17
        state ^= state << 5
        return Float(Int32(bitPattern: state)) * (1.0 / 2_147_483_648.0)
    }
}

/// Size of every oscillator table (a power of two; tables carry one guard point).
let tableSize = 2048

/// One period of a sine, `tableSize + 1` points (the last repeats the first).
let sineTable: [Float] = (0 ... tableSize).map { Float(sin(2.0 * Double.pi * Double($0) / Double(tableSize))) }

/// Linear interpolation in a table with a guard point at `tableSize`; `phase` in [0, tableSize).
@inline(__always)
func tableLookup(_ table: UnsafePointer<Float>, _ phase: Float) -> Float {
    let i = Int(phase)
    let frac = phase - Float(i)
    let a = table[i]
    return a + frac * (table[i + 1] - a)
}

/// A smooth saturating curve close to tanh for |x| <= 3 and clamped beyond
/// (a Padé approximant of tanh, x (27 + x^2) / (27 + 9 x^2)).
@inline(__always)
func softClip(_ x: Float) -> Float {
    let c = min(max(x, -3), 3)
    let c2 = c * c
    return c * (27 + c2) / (27 + 9 * c2)
}

/// The frequency in Hz of a MIDI note number (A4 = 69 = 440 Hz).
@inline(__always)
func midiToHz(_ midi: Float) -> Float { 440 * powf(2, (midi - 69) / 12) }

/// In-place filters and effects on whole buffers.
enum BufferFX {
    /// Two cascaded one-pole low-pass filters (12 dB/octave) at `cutoff` Hz.
    static func lowPass(_ x: UnsafeMutableBufferPointer<Float>, cutoff: Float, sampleRate: Float) {
        let a = expf(-2 * Float.pi * min(cutoff, 0.49 * sampleRate) / sampleRate)
        let b = 1 - a
        var y1: Float = 0, y2: Float = 0
        for i in 0 ..< x.count {
            y1 = b * x[i] + a * y1
            y2 = b * y1 + a * y2
            x[i] = y2
        }
    }

    /// A one-pole high-pass filter at `cutoff` Hz.
    static func highPass(_ x: UnsafeMutableBufferPointer<Float>, cutoff: Float, sampleRate: Float) {
        let a = expf(-2 * Float.pi * min(cutoff, 0.49 * sampleRate) / sampleRate)
        var prevIn: Float = 0, y: Float = 0
        for i in 0 ..< x.count {
            let v = x[i]
            y = a * (y + v - prevIn)
            prevIn = v
            x[i] = y
        }
    }

    /// A feedback echo (`delay` seconds, `feedback`, wet level `mix`) added in place.
    static func echo(_ x: UnsafeMutableBufferPointer<Float>, delay: Float, feedback: Float, mix: Float, sampleRate: Float) {
        let d = max(1, Int(delay * sampleRate))
        guard d < x.count else { return }
        var line = [Float](repeating: 0, count: x.count)
        line.withUnsafeMutableBufferPointer { l in
            for i in d ..< x.count { l[i] = x[i - d] + feedback * l[i - d] }
            for i in d ..< x.count { x[i] += mix * l[i] }
        }
    }

    /// A small Schroeder reverberator (four parallel combs, two series all-passes;
    /// Schroeder 1962) whose output is added with level `mix`.
    static func reverb(_ x: UnsafeMutableBufferPointer<Float>, mix: Float, decay: Float, sampleRate: Float) {
        guard mix > 0 else { return }
        let scale = sampleRate / 44_100
        let combDelays = [1116, 1188, 1277, 1356].map { max(1, Int(Float($0) * scale)) }
        let allDelays = [556, 441].map { max(1, Int(Float($0) * scale)) }
        let n = x.count
        var wet = [Float](repeating: 0, count: n)
        wet.withUnsafeMutableBufferPointer { w in
            var line = [Float](repeating: 0, count: n)
            line.withUnsafeMutableBufferPointer { l in
                for d in combDelays where d < n {
                    for i in 0 ..< d { l[i] = x[i] }
                    for i in d ..< n { l[i] = x[i] + decay * l[i - d] }
                    for i in 0 ..< n { w[i] += 0.25 * l[i] }
                }
                for d in allDelays where d < n {
                    // y[n] = -g x[n] + x[n-d] + g y[n-d], g = 0.5
                    for i in 0 ..< n { l[i] = w[i] }
                    for i in 0 ..< n {
                        let delayedIn = i >= d ? l[i - d] : 0
                        let delayedOut = i >= d ? w[i - d] : 0
                        w[i] = -0.5 * l[i] + delayedIn + 0.5 * delayedOut
                    }
                }
            }
            for i in 0 ..< n { x[i] += mix * w[i] }
        }
    }
}
