import COpenBLAS
import Foundation
import Tensor

/// Implicit-feedback matrix factorisation by alternating least squares (Hu, Koren, Volinsky
/// 2008, "Collaborative Filtering for Implicit Feedback Datasets"), solved per row with the
/// conjugate-gradient steps of Takács, Pilászy, Tikk 2011 as the Python `implicit` package
/// does (`implicit/cpu/_als.pyx`, `_least_squares_cg`, 3 CG steps warm-started from the
/// previous factors) or exactly by Cholesky (`_least_squares`, LAPACK `sposv`).
///
/// For plays `r_ui`, preference `p_ui = 1` where `r_ui > 0`, confidence `c_ui = 1 + alpha r_ui`
/// (0 plays: `p = 0`, `c = 1`). Minimises `sum c_ui (p_ui - x_u . y_i)^2 + lambda (|x|^2 + |y|^2)`.
/// Each user's factors solve `(YtY + Yt (C_u - I) Y + lambda I) x_u = Yt C_u p_u`.
///
/// `implicit` uses a stored value as the confidence itself (its `alpha` scales it); to run
/// `implicit` on the same objective, give it `1 + alpha * count` with its `alpha = 1`.
/// ```swift
/// let als = ImplicitALS(options: .init(factors: 64, iterations: 15))
/// let model = als.fit(plays.matrix)   // model.userFactors [users x 64], model.itemFactors [tracks x 64]
/// ```
public struct ImplicitALS: Sendable {
    public struct Options: Equatable, Sendable {
        /// Latent dimensions per user and track.
        public var factors: Int = 64
        /// Alternations (users then tracks each).
        public var iterations: Int = 15
        /// lambda, added to the diagonal of every solve (not scaled by the number of plays).
        public var regularization: Float = 0.01
        /// Confidence slope: c = 1 + alpha * count.
        public var alpha: Float = 40
        /// Seed of the initial factors (uniform in [0, 0.01), as `implicit`).
        public var seed: UInt64 = 0
        /// Worker threads over users/tracks; results do not depend on it.
        public var threads: Int = 1
        /// Conjugate-gradient steps per row and iteration; 0 = exact Cholesky solve.
        public var cgSteps: Int = 3

        public init(factors: Int = 64, iterations: Int = 15, regularization: Float = 0.01, alpha: Float = 40,
                    seed: UInt64 = 0, threads: Int = 1, cgSteps: Int = 3) {
            self.factors = factors
            self.iterations = iterations
            self.regularization = regularization
            self.alpha = alpha
            self.seed = seed
            self.threads = threads
            self.cgSteps = cgSteps
        }

        /// Throws a `ParameterError` naming the first value out of range.
        public func validate() throws {
            guard (1 ... 4096).contains(factors) else { throw ParameterError("factors", " must be 1...4096, got \(factors)") }
            guard (1 ... 10_000).contains(iterations) else { throw ParameterError("iterations", " must be 1...10000, got \(iterations)") }
            guard regularization.isFinite, regularization >= 0 else {
                throw ParameterError("regularization", " must be a finite number >= 0, got \(regularization)")
            }
            guard alpha.isFinite, alpha >= 0 else { throw ParameterError("alpha", " must be a finite number >= 0, got \(alpha)") }
            guard threads >= 1 else { throw ParameterError("threads", " must be >= 1, got \(threads)") }
            guard (0 ... 1000).contains(cgSteps) else { throw ParameterError("cgSteps", " must be 0...1000, got \(cgSteps)") }
        }
    }

    /// Fitted factors, row-major.
    public struct Model: Sendable {
        public var factors: Int
        /// `[users x factors]`.
        public var userFactors: [Float]
        /// `[tracks x factors]`.
        public var itemFactors: [Float]
    }

    public var options: Options
    public init(options: Options) { self.options = options }

    /// Factorises `plays` (users x tracks, raw counts). `progress(iteration)` after each
    /// alternation. Users or tracks without plays get zero factors.
    public func fit(_ plays: SparseMatrix, progress: ((Int) -> Void)? = nil) -> Model {
        let f = options.factors
        // Initial factors: uniform [0, 0.01), users first, then items (as implicit).
        var rng = SeededGenerator(seed: options.seed)
        let x = (0 ..< plays.rows * f).map { _ in rng.nextUniform() * 0.01 }
        let y = (0 ..< plays.cols * f).map { _ in rng.nextUniform() * 0.01 }
        return fit(plays, userFactors: x, itemFactors: y, progress: progress)
    }

    /// Factorises `plays` starting from the given factors (`[users x factors]`,
    /// `[tracks x factors]`), e.g. the ones `implicit` draws, to compare trajectories.
    public func fit(_ plays: SparseMatrix, userFactors: [Float], itemFactors: [Float],
                    progress: ((Int) -> Void)? = nil) -> Model {
        let f = options.factors
        precondition(userFactors.count == plays.rows * f && itemFactors.count == plays.cols * f,
                     "initial factors must be [users x factors] and [tracks x factors]")
        let alpha = options.alpha
        let cui = plays.mapValues { 1 + alpha * $0 }
        let ciu = cui.transposed()
        var x = userFactors, y = itemFactors
        for it in 0 ..< options.iterations {
            solve(cui, x: &x, y: y)
            solve(ciu, x: &y, y: x)
            progress?(it + 1)
        }
        return Model(factors: f, userFactors: x, itemFactors: y)
    }

    /// One half-step: every row of `x` from the fixed `y`, given confidences `c` (rows of x
    /// by rows of y). Rows are processed in blocks of 64 pulled by `threads` workers.
    func solve(_ c: SparseMatrix, x: inout [Float], y: [Float]) {
        let f = options.factors
        // YtY + lambda I, [f x f] (BLAS ssyrk: upper triangle, then mirrored).
        var yty = [Float](repeating: 0, count: f * f)
        y.withUnsafeBufferPointer { yp in
            yty.withUnsafeMutableBufferPointer { g in
                cblas_ssyrk(CblasRowMajor, CblasUpper, CblasTrans, blasint(f), blasint(c.cols), 1,
                            yp.baseAddress, blasint(f), 0, g.baseAddress, blasint(f))
            }
        }
        for i in 0 ..< f {
            for j in 0 ..< i { yty[i * f + j] = yty[j * f + i] }
            yty[i * f + i] += options.regularization
        }
        let rows = c.rows
        let block = 64
        let blocks = (rows + block - 1) / block
        let cgSteps = options.cgSteps
        x.withUnsafeMutableBufferPointer { xp in
            y.withUnsafeBufferPointer { yp in
                yty.withUnsafeBufferPointer { gp in
                    c.indptr.withUnsafeBufferPointer { ptr in
                        c.indices.withUnsafeBufferPointer { idx in
                            c.values.withUnsafeBufferPointer { val in
                                let shared = ALSShared(x: xp.baseAddress!, y: yp.baseAddress!, yty: gp.baseAddress!,
                                                       indptr: ptr.baseAddress!, indices: idx.baseAddress!,
                                                       values: val.baseAddress!, f: f)
                                forEachBlock(blocks, threads: options.threads, scratch: 3 * f + f * f) { b, scratch in
                                    for u in b * block ..< min(rows, (b + 1) * block) {
                                        if cgSteps > 0 {
                                            shared.conjugateGradient(row: u, steps: cgSteps, scratch: scratch)
                                        } else {
                                            shared.cholesky(row: u, scratch: scratch)
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Runs `body(block, scratch)` for `0 ..< blocks` on `threads` workers pulling the next
/// block from a shared counter; each worker owns a scratch buffer of `scratch` floats.
func forEachBlock(_ blocks: Int, threads: Int, scratch: Int,
                  _ body: @escaping @Sendable (Int, UnsafeMutablePointer<Float>) -> Void) {
    _ = Threads.count  // sets OpenBLAS to one thread per call (the workers may call BLAS)
    let workers = max(1, min(threads, blocks))
    let next = BlockCounter()
    let work: @Sendable () -> Void = {
        let buffer = UnsafeMutablePointer<Float>.allocate(capacity: max(1, scratch))
        defer { buffer.deallocate() }
        while let b = next.take(limit: blocks) { body(b, buffer) }
    }
    if workers == 1 { work(); return }
    WorkerPool.run(workers: workers) { _ in work() }
}

/// Dot product of `n` floats (two 8-wide accumulators; the sum order is fixed for a given n).
@inline(__always)
func vectorDot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ n: Int) -> Float {
    let ra = UnsafeRawPointer(a), rb = UnsafeRawPointer(b)
    var acc0 = SIMD8<Float>(), acc1 = SIMD8<Float>()
    var j = 0
    while j + 16 <= n {
        acc0 += ra.loadUnaligned(fromByteOffset: j * 4, as: SIMD8<Float>.self)
            * rb.loadUnaligned(fromByteOffset: j * 4, as: SIMD8<Float>.self)
        acc1 += ra.loadUnaligned(fromByteOffset: j * 4 + 32, as: SIMD8<Float>.self)
            * rb.loadUnaligned(fromByteOffset: j * 4 + 32, as: SIMD8<Float>.self)
        j += 16
    }
    if j + 8 <= n {
        acc0 += ra.loadUnaligned(fromByteOffset: j * 4, as: SIMD8<Float>.self)
            * rb.loadUnaligned(fromByteOffset: j * 4, as: SIMD8<Float>.self)
        j += 8
    }
    var s = (acc0 + acc1).sum()
    while j < n { s += a[j] * b[j]; j += 1 }
    return s
}

/// y += alpha * x over `n` floats.
@inline(__always)
func vectorAXPY(_ alpha: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
    let rx = UnsafeRawPointer(x), ry = UnsafeMutableRawPointer(y)
    let va = SIMD8<Float>(repeating: alpha)
    var j = 0
    while j + 8 <= n {
        let v = ry.loadUnaligned(fromByteOffset: j * 4, as: SIMD8<Float>.self)
            + va * rx.loadUnaligned(fromByteOffset: j * 4, as: SIMD8<Float>.self)
        ry.storeBytes(of: v, toByteOffset: j * 4, as: SIMD8<Float>.self)
        j += 8
    }
    while j < n { y[j] += alpha * x[j]; j += 1 }
}

/// The shared counter of `forEachBlock`.
private final class BlockCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func take(limit: Int) -> Int? {
        lock.lock(); defer { lock.unlock() }
        guard value < limit else { return nil }
        value += 1
        return value - 1
    }
}

/// Raw pointers of one half-step. Workers write disjoint rows of `x` and only read the rest.
private struct ALSShared: @unchecked Sendable {
    let x: UnsafeMutablePointer<Float>
    let y: UnsafePointer<Float>
    let yty: UnsafePointer<Float>
    let indptr: UnsafePointer<Int>
    let indices: UnsafePointer<Int32>
    let values: UnsafePointer<Float>
    let f: Int

    /// `implicit`'s `_least_squares_cg` for one row: r = b - A x, then `steps` CG steps,
    /// with A p = YtY p + sum_i (c_i - 1) (y_i . p) y_i computed without forming A.
    func conjugateGradient(row u: Int, steps: Int, scratch: UnsafeMutablePointer<Float>) {
        let xu = x + u * f
        let start = indptr[u], end = indptr[u + 1]
        if start == end {
            xu.update(repeating: 0, count: f)
            return
        }
        let r = scratch, p = scratch + f, ap = scratch + 2 * f
        // r = -YtY x + sum_i (c_i - (c_i - 1) y_i . x) y_i
        symmetricProduct(-1, xu, r)
        for e in start ..< end {
            let yi = y + Int(indices[e]) * f
            let confidence = values[e]
            vectorAXPY(confidence - (confidence - 1) * vectorDot(yi, xu, f), yi, r, f)
        }
        p.update(from: r, count: f)
        var rsold = vectorDot(r, r, f)
        if rsold < 1e-20 { return }
        for _ in 0 ..< steps {
            symmetricProduct(1, p, ap)
            for e in start ..< end {
                let yi = y + Int(indices[e]) * f
                vectorAXPY((values[e] - 1) * vectorDot(yi, p, f), yi, ap, f)
            }
            let step = rsold / vectorDot(p, ap, f)
            vectorAXPY(step, p, xu, f)
            vectorAXPY(-step, ap, r, f)
            let rsnew = vectorDot(r, r, f)
            if rsnew < 1e-20 { break }
            let beta = rsnew / rsold
            for j in 0 ..< f { p[j] = r[j] + beta * p[j] }
            rsold = rsnew
        }
    }

    /// out = scale * (YtY + lambda I) v (the full symmetric matrix, row by row).
    @inline(__always)
    func symmetricProduct(_ scale: Float, _ v: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>) {
        for i in 0 ..< f { out[i] = scale * vectorDot(yty + i * f, v, f) }
    }

    /// `implicit`'s `_least_squares` for one row: A = YtY + lambda I + sum (c_i - 1) y_i y_i^T,
    /// b = sum c_i y_i, solved by Cholesky (as LAPACK `sposv`); a matrix that is not positive
    /// definite (only possible with lambda = 0) keeps the previous x.
    func cholesky(row u: Int, scratch: UnsafeMutablePointer<Float>) {
        let n = blasint(f)
        let xu = x + u * f
        let start = indptr[u], end = indptr[u + 1]
        if start == end {
            xu.update(repeating: 0, count: f)
            return
        }
        let b = scratch, a = scratch + 3 * f
        a.update(from: yty, count: f * f)
        b.update(repeating: 0, count: f)
        for e in start ..< end {
            let yi = y + Int(indices[e]) * f
            vectorAXPY(values[e], yi, b, f)
            cblas_ssyr(CblasRowMajor, CblasUpper, n, values[e] - 1, yi, 1, a, n)
        }
        // The full matrix from the upper triangle ssyr filled, then A = L L^T in place.
        for i in 0 ..< f { for j in 0 ..< i { a[i * f + j] = a[j * f + i] } }
        if choleskySolve(a, b) { xu.update(from: b, count: f) }
    }

    /// Solves `a z = b` for symmetric positive definite `a` (`[f x f]`, overwritten by its
    /// Cholesky factor L in the lower triangle); `b` becomes z. False if `a` is not positive definite.
    func choleskySolve(_ a: UnsafeMutablePointer<Float>, _ b: UnsafeMutablePointer<Float>) -> Bool {
        for j in 0 ..< f {
            var d = Double(a[j * f + j])
            for k in 0 ..< j { d -= Double(a[j * f + k]) * Double(a[j * f + k]) }
            guard d > 0 else { return false }
            let ljj = d.squareRoot()
            a[j * f + j] = Float(ljj)
            for i in j + 1 ..< f {
                var s = Double(a[i * f + j])
                for k in 0 ..< j { s -= Double(a[i * f + k]) * Double(a[j * f + k]) }
                a[i * f + j] = Float(s / ljj)
            }
        }
        for i in 0 ..< f {  // L z = b
            var s = Double(b[i])
            for k in 0 ..< i { s -= Double(a[i * f + k]) * Double(b[k]) }
            b[i] = Float(s / Double(a[i * f + i]))
        }
        for i in stride(from: f - 1, through: 0, by: -1) {  // L^T x = z
            var s = Double(b[i])
            for k in i + 1 ..< f { s -= Double(a[k * f + i]) * Double(b[k]) }
            b[i] = Float(s / Double(a[i * f + i]))
        }
        return true
    }
}
