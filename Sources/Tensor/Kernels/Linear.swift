/// Matrix multiplication and the fully connected (linear) layer, on cblas_sgemm.

/// `op(a) · op(b)` where `op` transposes when the flag is set, read in place (no copy).
///
/// - a: `[M, K]`, or `[K, M]` with `transposeA`
/// - b: `[K, N]`, or `[N, K]` with `transposeB`
/// - returns `[M, N]`
public func matmul(_ a: Tensor, _ b: Tensor, transposeA: Bool = false, transposeB: Bool = false) -> Tensor {
    precondition(a.rank == 2 && b.rank == 2, "matmul: needs 2-d tensors, got \(a.shape) and \(b.shape)")
    let (m, k) = transposeA ? (a.shape[1], a.shape[0]) : (a.shape[0], a.shape[1])
    let (k2, n) = transposeB ? (b.shape[1], b.shape[0]) : (b.shape[0], b.shape[1])
    precondition(k == k2, "matmul: inner sizes differ: \(a.shape)\(transposeA ? "ᵀ" : "") · \(b.shape)\(transposeB ? "ᵀ" : "")")
    let (lda, ldb) = (a.shape[1], b.shape[1])
    let out = makeBuffer(m * n) { c in
        a.data.withUnsafeBufferPointer { ap in
            b.data.withUnsafeBufferPointer { bp in
                sgemm(transA: transposeA, transB: transposeB, m: m, n: n, k: k,
                      a: ap.baseAddress!, lda: lda, b: bp.baseAddress!, ldb: ldb, beta: 0, c: c, ldc: n)
            }
        }
    }
    let result = Tensor(shape: [m, n], data: out)
    guard Autograd.needsGrad(a, b) else { return result }
    let (av, bv) = (a.data, b.data)
    result.record([a, b]) { g in
        g.withUnsafeBufferPointer { gp in
            let gp = gp.baseAddress!
            if a.requiresGrad {
                a.accumulateGrad { ga, overwrite in
                    bv.withUnsafeBufferPointer { bp in
                        if transposeA {  // dA [K, M] = op(B) [K, N] · dCᵀ [N, M]
                            sgemm(transA: transposeB, transB: true, m: k, n: m, k: n, a: bp.baseAddress!, lda: ldb,
                                  b: gp, ldb: n, beta: overwrite ? 0 : 1, c: ga, ldc: m)
                        } else {         // dA [M, K] = dC [M, N] · op(B)ᵀ [N, K]
                            sgemm(transA: false, transB: !transposeB, m: m, n: k, k: n, a: gp, lda: n,
                                  b: bp.baseAddress!, ldb: ldb, beta: overwrite ? 0 : 1, c: ga, ldc: k)
                        }
                    }
                }
            }
            if b.requiresGrad {
                b.accumulateGrad { gb, overwrite in
                    av.withUnsafeBufferPointer { ap in
                        if transposeB {  // dB [N, K] = dCᵀ [N, M] · op(A) [M, K]
                            sgemm(transA: true, transB: transposeA, m: n, n: k, k: m, a: gp, lda: n,
                                  b: ap.baseAddress!, ldb: lda, beta: overwrite ? 0 : 1, c: gb, ldc: k)
                        } else {         // dB [K, N] = op(A)ᵀ [K, M] · dC [M, N]
                            sgemm(transA: !transposeA, transB: false, m: k, n: n, k: m, a: ap.baseAddress!, lda: lda,
                                  b: gp, ldb: n, beta: overwrite ? 0 : 1, c: gb, ldc: n)
                        }
                    }
                }
            }
        }
    }
    return result
}

/// Fully connected layer `y = x · weightᵀ + bias` (PyTorch's `F.linear`).
///
/// - x: `[N, in]` (or `[..., in]`: leading dimensions are flattened into N)
/// - weight: `[out, in]`
/// - bias: `[out]` or nil
/// - returns `[N, out]` (`[..., out]`)
public func linear(_ x: Tensor, weight: Tensor, bias: Tensor? = nil) -> Tensor {
    precondition(weight.rank == 2, "linear: weight must be [out, in], got \(weight.shape)")
    let (outF, inF) = (weight.shape[0], weight.shape[1])
    precondition(x.rank >= 1 && x.shape[x.rank - 1] == inF, "linear: input \(x.shape) does not end in \(inF)")
    precondition(bias == nil || bias!.shape == [outF], "linear: bias must be [\(outF)], got \(bias!.shape)")
    let n = x.count / max(inF, 1)
    let y = linearForward(x.data, weight.data, bias?.data, n: n, inF: inF, outF: outF)
    let result = Tensor(shape: Array(x.shape.dropLast()) + [outF], data: y)
    guard Autograd.needsGrad(x, weight, bias) else { return result }
    let (xv, wv) = (x.data, weight.data)
    result.record([x, weight] + (bias.map { [$0] } ?? [])) { g in
        linearBackward(g, xv, wv, x: x, weight: weight, bias: bias, n: n, inF: inF, outF: outF)
    }
    return result
}

/// y (N, out) = x (N, in) · wᵀ (in, out) + b (out)
private func linearForward(_ x: [Float], _ w: [Float], _ b: [Float]?, n: Int, inF: Int, outF: Int) -> [Float] {
    makeBuffer(n * outF) { y in
        if let b {
            for i in 0 ..< n { for j in 0 ..< outF { y[i * outF + j] = b[j] } }
        }
        x.withUnsafeBufferPointer { xp in
            w.withUnsafeBufferPointer { wp in
                sgemm(transB: true, m: n, n: outF, k: inF, a: xp.baseAddress!, lda: inF,
                      b: wp.baseAddress!, ldb: inF, beta: b == nil ? 0 : 1, c: y, ldc: outF)
            }
        }
    }
}

/// dx (N, in) = dy (N, out) · w (out, in); dw (out, in) += dyᵀ (out, N) · x (N, in); db (out) += Σ_N dy
private func linearBackward(_ g: [Float], _ xv: [Float], _ wv: [Float], x: Tensor, weight: Tensor, bias: Tensor?,
                            n: Int, inF: Int, outF: Int) {
    g.withUnsafeBufferPointer { gp in
        let gp = gp.baseAddress!
        if x.requiresGrad {
            x.accumulateGrad { gx, overwrite in
                wv.withUnsafeBufferPointer { wp in
                    sgemm(m: n, n: inF, k: outF, a: gp, lda: outF, b: wp.baseAddress!, ldb: inF,
                          beta: overwrite ? 0 : 1, c: gx, ldc: inF)
                }
            }
        }
        if weight.requiresGrad {
            weight.accumulateGrad { gw, overwrite in
                xv.withUnsafeBufferPointer { xp in
                    sgemm(transA: true, m: outF, n: inF, k: n, a: gp, lda: outF, b: xp.baseAddress!, ldb: inF,
                          beta: overwrite ? 0 : 1, c: gw, ldc: inF)
                }
            }
        }
        if let bias, bias.requiresGrad {
            bias.accumulateGrad { gb, overwrite in
                if overwrite { for j in 0 ..< outF { gb[j] = 0 } }
                for i in 0 ..< n { for j in 0 ..< outF { gb[j] += gp[i * outF + j] } }
            }
        }
    }
}
