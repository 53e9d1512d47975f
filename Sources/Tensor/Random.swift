/// A seeded, reproducible random generator (xoshiro256**, seeded through SplitMix64).
///
/// Its whole state is four `UInt64` words (`state`), which checkpoints store so a
/// resumed run draws the same numbers as an uninterrupted one.
public struct SeededGenerator: RandomNumberGenerator, Sendable, Equatable {
    /// The four words of xoshiro256** state.
    public var state: [UInt64]

    /// A generator whose sequence depends only on `seed`.
    public init(seed: UInt64) {
        var x = seed
        var s = [UInt64](repeating: 0, count: 4)
        for i in 0 ..< 4 {
            // SplitMix64 (Vigna) expands the seed into the initial state.
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            s[i] = z ^ (z >> 31)
        }
        state = s
    }

    /// Restores a generator from a saved `state` (four words, not all zero).
    public init?(state: [UInt64]) {
        guard state.count == 4, state.contains(where: { $0 != 0 }) else { return nil }
        self.state = state
    }

    /// The next 64 random bits (xoshiro256**, Blackman and Vigna 2018).
    public mutating func next() -> UInt64 {
        let result = rotl(state[1] &* 5, 7) &* 9
        let t = state[1] << 17
        state[2] ^= state[0]
        state[3] ^= state[1]
        state[1] ^= state[2]
        state[0] ^= state[3]
        state[2] ^= t
        state[3] = rotl(state[3], 45)
        return result
    }

    /// A uniform Float in [0, 1) with 24 random bits.
    public mutating func nextUniform() -> Float {
        Float(next() >> 40) * (1.0 / 16_777_216.0)
    }

    /// A standard normal Float (Box-Muller on two uniform draws).
    public mutating func nextNormal() -> Float {
        let u1 = Double((next() >> 11) + 1) * (1.0 / 9_007_199_254_740_993.0) // (0, 1]
        let u2 = Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
        return Float((-2.0 * _log(u1)).squareRoot() * _cos(2.0 * Double.pi * u2))
    }

    private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }
}

#if canImport(Glibc)
import Glibc
@inline(__always) private func _log(_ x: Double) -> Double { Glibc.log(x) }
@inline(__always) private func _cos(_ x: Double) -> Double { Glibc.cos(x) }
#else
import Foundation
@inline(__always) private func _log(_ x: Double) -> Double { Foundation.log(x) }
@inline(__always) private func _cos(_ x: Double) -> Double { Foundation.cos(x) }
#endif
