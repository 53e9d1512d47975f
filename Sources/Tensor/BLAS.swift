import CCPU
import COpenBLAS
import CSGEMM
#if canImport(Glibc)
import Glibc
#endif

/// The SGEMM implementation behind every matrix product in Tensor.
public enum SGEMMBackend: String, Sendable {
    /// melcnn's own kernels (`Sources/CSGEMM`): AVX-512 or AVX2 + FMA, whichever the CPU has
    /// (`melcnn_isa_level`). Their speed does not depend on which kernels OpenBLAS picked.
    case melcnn
    /// OpenBLAS's `cblas_sgemm`, single-threaded per call, on blocks melcnn spreads over its
    /// threads: on CPUs without AVX2 (and on ARM), with `MELCNN_CPU=generic`, or with
    /// `MELCNN_SGEMM=openblas`.
    case openblas

    /// The backend in use, fixed at the first matrix product.
    public static let current: SGEMMBackend = {
        if let forced = getenv("MELCNN_SGEMM").map({ String(cString: $0) }), forced == "openblas" {
            return .openblas
        }
        return melcnn_sgemm_available() != 0 ? .melcnn : .openblas
    }()

    /// What runs a product, for reports: e.g. `melcnn avx512 8x32` or `openblas`.
    public static var kernel: String {
        current == .openblas ? "openblas" : "melcnn \(String(cString: melcnn_sgemm_kernel()))"
    }
}

/// Row-major `C = alpha * op(A) * op(B) + beta * C` (cblas_sgemm): op(A) is `[m, k]`,
/// op(B) is `[k, n]`, C is `[m, n]`; `lda`, `ldb`, `ldc` are the row strides of the
/// matrices as stored (so a transposed operand is read in place, never copied).
/// Runs on `Threads.count` threads, or on the calling thread inside melcnn's own
/// parallel loops (`Threads.parallelChunks`). The result does not depend on the thread
/// count on either backend.
@inline(__always)
func sgemm(transA: Bool = false, transB: Bool = false, m: Int, n: Int, k: Int,
           alpha: Float = 1, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
           beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
    guard m > 0, n > 0 else { return }
    if k == 0 {
        for i in 0 ..< m { for j in 0 ..< n { c[i * ldc + j] = beta == 0 ? 0 : beta * c[i * ldc + j] } }
        return
    }
    if SGEMMBackend.current == .melcnn {
        ownSGEMM(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha,
                 a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
        return
    }
    splitOpenBLAS(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha,
                  a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
}

/// OpenBLAS's cblas_sgemm on one thread (OpenBLAS's own thread count stays 1: see
/// `Threads`), also the fallback when melcnn's kernel cannot get its packing buffers.
private func openBLASSGEMM(_ transA: Bool, _ transB: Bool, _ m: Int, _ n: Int, _ k: Int, _ alpha: Float,
                           _ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int,
                           _ beta: Float, _ c: UnsafeMutablePointer<Float>, _ ldc: Int) {
    cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                blasint(m), blasint(n), blasint(k), alpha, a, blasint(lda), b, blasint(ldb),
                beta, c, blasint(ldc))
}

/// Columns (or rows) of one OpenBLAS block. OpenBLAS's own threading splits a product by
/// thread count and its edge kernels sum in another order than its main kernel, so C's bits
/// would depend on the thread count; instead melcnn cuts a large product into blocks whose
/// bounds depend on the shape only and runs each block single-threaded, spread over its
/// threads. Each element then comes from the same call whatever the thread count.
private let openBLASBlockColumns = 256, openBLASBlockRows = 64

private func splitOpenBLAS(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
                           a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                           beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
    let large = 2 * m * n * k >= 1 << 22
    if large && n >= 2 * openBLASBlockColumns {
        fixedBlocks(n, block: openBLASBlockColumns) { lo, hi in
            let bPart = transB ? b + lo * ldb : b + lo
            openBLASSGEMM(transA, transB, m, hi - lo, k, alpha, a, lda, bPart, ldb, beta, c + lo, ldc)
        }
    } else if large && m >= 2 * openBLASBlockRows {
        fixedBlocks(m, block: openBLASBlockRows) { lo, hi in
            let aPart = transA ? a + lo : a + lo * lda
            openBLASSGEMM(transA, transB, hi - lo, n, k, alpha, aPart, lda, b, ldb, beta, c + lo * ldc, ldc)
        }
    } else {
        openBLASSGEMM(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
    }
}

/// Runs `body(lo, hi)` for the blocks `[i * block, (i + 1) * block)` of `0 ..< extent` (the
/// last one shorter), over `Threads.blasThreads` threads in contiguous runs of blocks.
private func fixedBlocks(_ extent: Int, block: Int, _ body: (Int, Int) -> Void) {
    let blocks = (extent + block - 1) / block, parts = min(Threads.blasThreads, blocks)
    Threads.parallelFor(parts) { part in
        for i in part * blocks / parts ..< (part + 1) * blocks / parts {
            body(i * block, min(extent, (i + 1) * block))
        }
    }
}

/// melcnn's kernel, split into column (or row) blocks over the threads when the product is
/// large enough and the caller is not already one of melcnn's parallel workers. Its
/// per-element summation order does not depend on where a block starts, so the split may
/// follow the thread count.
private func ownSGEMM(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
                      a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                      beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
    let (ta, tb): (Int32, Int32) = (transA ? 1 : 0, transB ? 1 : 0)
    let parts = gemmParts(m: m, n: n, k: k)
    if parts == 1 || n >= 64 * parts {
        splitColumns(n, parts: parts) { lo, hi in
            let bPart = transB ? b + lo * ldb : b + lo
            if melcnn_sgemm(ta, tb, m, hi - lo, k, alpha, a, lda, bPart, ldb, beta, c + lo, ldc) != 0 {
                openBLASSGEMM(transA, transB, m, hi - lo, k, alpha, a, lda, bPart, ldb, beta, c + lo, ldc)
            }
        }
    } else if m >= 16 * parts {
        splitBlocks(m, unit: 8, parts: parts) { lo, hi in  // rows lo..<hi of op(A) and C
            let aPart = transA ? a + lo : a + lo * lda
            if melcnn_sgemm(ta, tb, hi - lo, n, k, alpha, aPart, lda, b, ldb, beta, c + lo * ldc, ldc) != 0 {
                openBLASSGEMM(transA, transB, hi - lo, n, k, alpha, aPart, lda, b, ldb, beta, c + lo * ldc, ldc)
            }
        }
    } else if melcnn_sgemm(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc) != 0 {
        openBLASSGEMM(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
    }
}

/// Threads worth using for one product: `Threads.blasThreads` from 4 MFLOP up, else 1.
private func gemmParts(m: Int, n: Int, k: Int) -> Int {
    let threads = Threads.blasThreads
    return threads > 1 && 2 * m * n * k >= 1 << 22 ? threads : 1
}

/// Runs `body(lo, hi)` on `parts` threads for column blocks of whole 32-column slivers
/// (one call on this thread when `parts` is 1 or `n` is too narrow to share).
private func splitColumns(_ n: Int, parts: Int, _ body: (Int, Int) -> Void) {
    if parts == 1 || n < 64 * parts { body(0, n); return }
    splitBlocks(n, unit: 32, parts: parts, body)
}

private func splitBlocks(_ extent: Int, unit: Int, parts: Int, _ body: (Int, Int) -> Void) {
    let units = (extent + unit - 1) / unit
    Threads.parallelFor(parts) { part in
        let lo = min(extent, part * units / parts * unit), hi = min(extent, (part + 1) * units / parts * unit)
        if hi > lo { body(lo, hi) }
    }
}

/// op(A) prepared once for many products `op(A) · op(B)` with different B, such as a layer's
/// weights applied to every sample of a batch: packed for melcnn's kernel (so that A is not
/// packed again for every product), or read in place by OpenBLAS. `a` must stay valid and
/// unchanged while this object is used.
final class SharedLeftOperand: @unchecked Sendable {
    let transA: Bool, m: Int, k: Int, a: UnsafePointer<Float>, lda: Int
    private let packed: OpaquePointer?

    /// op(A) is `[m, k]`: A stored `[m, k]`, or `[k, m]` when `transA`, with row stride `lda`.
    init(transA: Bool = false, m: Int, k: Int, a: UnsafePointer<Float>, lda: Int) {
        (self.transA, self.m, self.k, self.a, self.lda) = (transA, m, k, a, lda)
        packed = SGEMMBackend.current == .melcnn ? melcnn_sgemm_pack_a(transA ? 1 : 0, m, k, a, lda) : nil
    }

    deinit { melcnn_sgemm_free_packed_a(packed) }

    /// `C = alpha * op(A) * op(B) + beta * C` with op(B) `[k, n]` and C `[m, n]`: the same
    /// result, bit for bit, as `sgemm` with this A.
    func multiply(transB: Bool = false, n: Int, alpha: Float = 1, b: UnsafePointer<Float>, ldb: Int,
                  beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        guard let packed else {
            sgemm(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda,
                  b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
            return
        }
        splitColumns(n, parts: gemmParts(m: m, n: n, k: k)) { lo, hi in
            let bPart = transB ? b + lo * ldb : b + lo
            if melcnn_sgemm_packed_a(packed, transB ? 1 : 0, hi - lo, alpha, bPart, ldb, beta, c + lo, ldc) != 0 {
                openBLASSGEMM(transA, transB, m, hi - lo, k, alpha, a, lda, bPart, ldb, beta, c + lo, ldc)
            }
        }
    }
}
