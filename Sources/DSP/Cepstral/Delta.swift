/// Weights `w` such that `sum_i w[i] y[i]` is the `deriv`-th derivative at `x0`
/// of the least-squares polynomial of degree `polyorder` through the points
/// `(xs[i], y[i])` (what scipy's `savgol_coeffs` and `_fit_edge` compute).
func savitzkyGolayWeights(xs: [Double], polyorder: Int, deriv: Int, at x0: Double) -> [Double] {
    let p = polyorder + 1
    // Normal matrix G = A^T A with A[i][k] = xs[i]^k.
    var g = [Double](repeating: 0, count: p * p)
    for x in xs {
        for r in 0 ..< p { for c in 0 ..< p { g[r * p + c] += pow(x, Double(r + c)) } }
    }
    // d[k] = d^deriv/dx^deriv x^k at x0 = k!/(k-deriv)! x0^(k-deriv).
    var d = [Double](repeating: 0, count: p)
    for k in deriv ..< p {
        var f = 1.0
        for j in 0 ..< deriv { f *= Double(k - j) }
        d[k] = f * pow(x0, Double(k - deriv))
    }
    // Solve G z = d (G is symmetric positive definite): Gaussian elimination with pivoting.
    var a = g, z = d
    for col in 0 ..< p {
        var piv = col
        for r in col + 1 ..< p where abs(a[r * p + col]) > abs(a[piv * p + col]) { piv = r }
        if piv != col {
            for c in 0 ..< p { a.swapAt(col * p + c, piv * p + c) }
            z.swapAt(col, piv)
        }
        for r in col + 1 ..< p {
            let f = a[r * p + col] / a[col * p + col]
            for c in col ..< p { a[r * p + c] -= f * a[col * p + c] }
            z[r] -= f * z[col]
        }
    }
    for r in stride(from: p - 1, through: 0, by: -1) {
        var s = z[r]
        for c in r + 1 ..< p { s -= a[r * p + c] * z[c] }
        z[r] = s / a[r * p + r]
    }
    // w[i] = sum_k z[k] xs[i]^k  (= d^T G^-1 A^T).
    return xs.map { x in (0 ..< p).reduce(0.0) { $0 + z[$1] * pow(x, Double($1)) } }
}

/// Delta features along time (librosa `feature.delta`, `mode="interp"`): a
/// Savitzky-Golay derivative of order `order` with polynomial order `order` over
/// `width` frames (scipy `savgol_filter`). Interior frames use the centred
/// filter; the first and last `width / 2` frames take the derivative of the
/// polynomial fitted to the first / last `width` frames. Input and output `[frames x bins]`.
public func delta(_ data: FeatureMatrix, width: Int = 9, order: Int = 1) throws -> FeatureMatrix {
    guard width >= 3, width % 2 == 1 else {
        throw DSPError.invalidParameter(parameter: "width", value: "\(width)", reason: "must be an odd integer >= 3")
    }
    try DSPError.requirePositive(order, "order")
    guard order < width else {
        throw DSPError.invalidParameter(parameter: "order", value: "\(order)", reason: "must be less than width = \(width)")
    }
    guard width <= data.frames else {
        throw DSPError.invalidParameter(parameter: "width", value: "\(width)",
                                        reason: "cannot exceed the number of frames (\(data.frames)) when mode='interp'")
    }
    let half = width / 2, frames = data.frames, bins = data.bins
    let centred = (0 ..< width).map { Double($0 - half) }
    let interior = savitzkyGolayWeights(xs: centred, polyorder: order, deriv: order, at: 0)
    // Edge t < half uses frames 0 ..< width evaluated at x = t - half (same coordinates);
    // the last `half` frames mirror that with frames `frames - width ..< frames`.
    let head = (0 ..< half).map { savitzkyGolayWeights(xs: centred, polyorder: order, deriv: order, at: Double($0 - half)) }
    let tail = (0 ..< half).map { savitzkyGolayWeights(xs: centred, polyorder: order, deriv: order, at: Double($0 + 1)) }
    var out = [Float](repeating: 0, count: frames * bins)
    var acc = [Double](repeating: 0, count: bins)
    data.data.withUnsafeBufferPointer { src in
        out.withUnsafeMutableBufferPointer { dst in
            func emit(_ t: Int, weights: [Double], firstFrame: Int) {
                for b in 0 ..< bins { acc[b] = 0 }
                for (i, w) in weights.enumerated() {
                    let row = src.baseAddress! + (firstFrame + i) * bins
                    for b in 0 ..< bins { acc[b] += w * Double(row[b]) }
                }
                for b in 0 ..< bins { dst[t * bins + b] = Float(acc[b]) }
            }
            for t in 0 ..< frames {
                if t < half {
                    emit(t, weights: head[t], firstFrame: 0)
                } else if t >= frames - half {
                    emit(t, weights: tail[t - (frames - half)], firstFrame: frames - width)
                } else {
                    emit(t, weights: interior, firstFrame: t - half)
                }
            }
        }
    }
    return FeatureMatrix(frames: frames, bins: bins, data: out)
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
