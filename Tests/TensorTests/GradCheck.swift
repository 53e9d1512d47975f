import XCTest
@testable import Tensor

/// Finite-difference gradient check.
///
/// The scalar checked is `L = Σ f(inputs) ⊙ R` for a fixed random `R` (so every output
/// element contributes with a different weight), accumulated in Double. Each input
/// element is perturbed by ±`eps` (central difference) and the numeric derivative is
/// compared with the autograd one: `|analytic - numeric| <= tolerance * max(1, max|numeric|)`.
/// Float32 forward passes limit the accuracy to about 1e-3 relative with eps = 1e-2.
func checkGradients(_ inputs: [Tensor], eps: Float = 1e-2, tolerance: Float = 2e-2, seed: UInt64 = 99,
                    file: StaticString = #filePath, line: UInt = #line, _ f: ([Tensor]) -> Tensor) {
    let errors = gradientErrors(inputs, eps: eps, seed: seed, f)
    for (index, (worst, scale)) in errors.enumerated() {
        XCTAssertLessThanOrEqual(worst, tolerance * scale,
                                 "input \(index) shape \(inputs[index].shape): max |analytic - numeric| = \(worst) (scale \(scale))",
                                 file: file, line: line)
    }
}

/// Per input: the largest |analytic - numeric| and the scale `max(1, max|numeric|)`
/// (infinite error when autograd produced no gradient).
func gradientErrors(_ inputs: [Tensor], eps: Float, seed: UInt64 = 99, _ f: ([Tensor]) -> Tensor) -> [(Float, Float)] {
    for t in inputs { t.requiresGrad = true; t.zeroGrad() }
    let out = f(inputs)
    var rng = SeededGenerator(seed: seed)
    let r = (0 ..< out.count).map { _ in rng.nextNormal() }
    (out * Tensor(shape: out.shape, data: r)).sum().backward()

    func loss() -> Double {
        Autograd.noGrad {
            let y = f(inputs)
            return zip(y.data, r).reduce(0) { $0 + Double($1.0) * Double($1.1) }
        }
    }
    var result: [(Float, Float)] = []
    for t in inputs {
        guard let analytic = t.grad else { result.append((.infinity, 1)); continue }
        var numeric = [Float](repeating: 0, count: t.count)
        for i in 0 ..< t.count {
            let saved = t.data[i]
            t.data[i] = saved + eps
            let plus = loss()
            t.data[i] = saved - eps
            let minus = loss()
            t.data[i] = saved
            numeric[i] = Float((plus - minus) / (2 * Double(eps)))
        }
        let scale = max(1, numeric.map(abs).max() ?? 0)
        result.append((zip(analytic, numeric).map { abs($0 - $1) }.max() ?? 0, scale))
    }
    return result
}

/// A tensor of normal values from a fixed seed.
func randomTensor(_ shape: [Int], seed: UInt64, scale: Float = 1) -> Tensor {
    var rng = SeededGenerator(seed: seed)
    return Tensor.normal(shape, mean: 0, std: scale, using: &rng)
}

/// Asserts two arrays agree elementwise within `tolerance`.
func assertClose(_ a: [Float], _ b: [Float], tolerance: Float = 1e-5,
                 file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(a.count, b.count, "counts differ", file: file, line: line)
    let worst = zip(a, b).map { abs($0 - $1) }.max() ?? 0
    XCTAssertLessThanOrEqual(worst, tolerance, "max difference \(worst)", file: file, line: line)
}

/// Distinct values 0.05 apart (shuffled, none within 0.013 of 0), for ops with kinks
/// (max, ReLU) where a finite difference must not cross a tie or zero.
func spacedTensor(_ shape: [Int], seed: UInt64) -> Tensor {
    var rng = SeededGenerator(seed: seed)
    let n = shape.reduce(1, *)
    let values = (0 ..< n).map { Float($0 - n / 2) * 0.05 + 0.013 }.shuffled(using: &rng)
    return Tensor(shape: shape, data: values)
}
