import COpenBLAS
import Foundation

/// Principal component analysis of the rows of a matrix, as scikit-learn's `PCA.fit_transform`.
public enum PCA {
    /// The rows of `x` (`[n, dim]`, row-major) projected on the first `components` principal
    /// axes, `[n, components]` row-major in float64. Signs follow scikit-learn's
    /// `svd_flip(u_based_decision=False)`: each axis's largest-magnitude coefficient is positive.
    public static func project(_ x: [Float], n: Int, dim: Int, components: Int = 2) -> [Double] {
        precondition(x.count == n * dim && components >= 1 && components <= dim)
        var centred = x.map(Double.init)
        centre(&centred, n: n, dim: dim)
        let axes = principalAxes(centred, n: n, dim: dim, components: components)
        var out = [Double](repeating: 0, count: n * components)
        // out[n, c] = centred[n, dim] * axes^T[dim, c]  (axes are rows of length dim)
        centred.withUnsafeBufferPointer { a in
            axes.withUnsafeBufferPointer { v in
                out.withUnsafeMutableBufferPointer { o in
                    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, blasint(n), blasint(components), blasint(dim),
                                1, a.baseAddress, blasint(dim), v.baseAddress, blasint(dim), 0, o.baseAddress, blasint(components))
                }
            }
        }
        return out
    }

    /// Subtracts each column's mean.
    static func centre(_ a: inout [Double], n: Int, dim: Int) {
        guard n > 0 else { return }
        var mean = [Double](repeating: 0, count: dim)
        a.withUnsafeMutableBufferPointer { p in
            for i in 0 ..< n { for j in 0 ..< dim { mean[j] += p[i * dim + j] } }
            for j in 0 ..< dim { mean[j] /= Double(n) }
            for i in 0 ..< n { for j in 0 ..< dim { p[i * dim + j] -= mean[j] } }
        }
    }

    /// The first `components` right singular vectors of the centred data (eigenvectors of its
    /// scatter matrix, largest eigenvalue first), `[components, dim]`, signs as `svd_flip`.
    static func principalAxes(_ centred: [Double], n: Int, dim: Int, components: Int) -> [Double] {
        var scatter = [Double](repeating: 0, count: dim * dim)
        centred.withUnsafeBufferPointer { a in
            scatter.withUnsafeMutableBufferPointer { s in
                cblas_dsyrk(CblasRowMajor, CblasUpper, CblasTrans, blasint(dim), blasint(n), 1, a.baseAddress, blasint(dim),
                            0, s.baseAddress, blasint(dim))
            }
        }
        for i in 0 ..< dim { for j in 0 ..< i { scatter[i * dim + j] = scatter[j * dim + i] } }
        let (values, vectors) = symmetricEigen(scatter, dim: dim)
        let order = (0 ..< dim).sorted { values[$0] != values[$1] ? values[$0] > values[$1] : $0 < $1 }
        var axes = [Double](repeating: 0, count: components * dim)
        for c in 0 ..< components {
            let k = order[c]
            var best = 0
            for j in 0 ..< dim where abs(vectors[j * dim + k]) > abs(vectors[best * dim + k]) { best = j }
            let sign: Double = vectors[best * dim + k] < 0 ? -1 : 1
            for j in 0 ..< dim { axes[c * dim + j] = sign * vectors[j * dim + k] }
        }
        return axes
    }

    /// Eigenvalues and eigenvectors (columns of the returned row-major matrix) of a symmetric
    /// matrix by cyclic Jacobi rotations (Golub & Van Loan, Algorithm 8.5.3).
    static func symmetricEigen(_ matrix: [Double], dim: Int) -> (values: [Double], vectors: [Double]) {
        var a = matrix
        var v = [Double](repeating: 0, count: dim * dim)
        for i in 0 ..< dim { v[i * dim + i] = 1 }
        a.withUnsafeMutableBufferPointer { a in
            v.withUnsafeMutableBufferPointer { v in
                for _ in 0 ..< 100 {
                    var off = 0.0, diag = 0.0
                    for i in 0 ..< dim {
                        diag += a[i * dim + i] * a[i * dim + i]
                        for j in (i + 1) ..< max(i + 1, dim) { off += a[i * dim + j] * a[i * dim + j] }
                    }
                    if off <= 1e-30 * max(diag, 1e-300) { break }
                    for p in 0 ..< dim {
                        for q in (p + 1) ..< max(p + 1, dim) {
                            let apq = a[p * dim + q]
                            if abs(apq) < 1e-300 { continue }
                            let app = a[p * dim + p], aqq = a[q * dim + q]
                            let theta = (aqq - app) / (2 * apq)
                            let t = (theta >= 0 ? 1.0 : -1.0) / (abs(theta) + (theta * theta + 1).squareRoot())
                            let c = 1 / (t * t + 1).squareRoot(), s = t * c
                            for k in 0 ..< dim {
                                let akp = a[k * dim + p], akq = a[k * dim + q]
                                a[k * dim + p] = c * akp - s * akq
                                a[k * dim + q] = s * akp + c * akq
                            }
                            for k in 0 ..< dim {
                                let apk = a[p * dim + k], aqk = a[q * dim + k]
                                a[p * dim + k] = c * apk - s * aqk
                                a[q * dim + k] = s * apk + c * aqk
                            }
                            for k in 0 ..< dim {
                                let vkp = v[k * dim + p], vkq = v[k * dim + q]
                                v[k * dim + p] = c * vkp - s * vkq
                                v[k * dim + q] = s * vkp + c * vkq
                            }
                        }
                    }
                }
            }
        }
        return ((0 ..< dim).map { a[$0 * dim + $0] }, v)
    }
}
