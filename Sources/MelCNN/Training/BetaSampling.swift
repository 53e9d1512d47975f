import Foundation
import Tensor

extension SeededGenerator {
    /// A uniform Double in [0, 1) with 53 random bits.
    mutating func nextUnitDouble() -> Double {
        Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
    }

    /// A Gamma(shape, 1) draw, shape > 0: Marsaglia & Tsang (2000), "A simple method for
    /// generating gamma variables"; shape < 1 uses Gamma(shape + 1) · U^(1 / shape).
    mutating func nextGamma(shape: Double) -> Double {
        if shape < 1 {
            let u = max(nextUnitDouble(), Double.leastNonzeroMagnitude)
            return nextGamma(shape: shape + 1) * pow(u, 1 / shape)
        }
        let d = shape - 1.0 / 3.0, c = 1 / (9 * d).squareRoot()
        while true {
            var x = 0.0, v = 0.0
            repeat {
                x = Double(nextNormal())
                v = 1 + c * x
            } while v <= 0
            v = v * v * v
            let u = nextUnitDouble()
            if u < 1 - 0.0331 * x * x * x * x { return d * v }
            if log(max(u, Double.leastNonzeroMagnitude)) < 0.5 * x * x + d * (1 - v + log(v)) { return d * v }
        }
    }

    /// A Beta(a, b) draw in [0, 1] as X / (X + Y), X ~ Gamma(a), Y ~ Gamma(b).
    mutating func nextBeta(_ a: Double, _ b: Double) -> Double {
        let x = nextGamma(shape: a), y = nextGamma(shape: b)
        let s = x + y
        return s > 0 ? x / s : (nextUnitDouble() < a / (a + b) ? 1 : 0)
    }
}
