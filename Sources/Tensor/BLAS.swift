import COpenBLAS
import CSGEMM
#if canImport(Glibc)
import Glibc
#endif

/// The SGEMM implementation behind every matrix product in Tensor.
public enum SGEMMBackend: String, Sendable {
    /// melcnn's own AVX-512 kernel (`Sources/CSGEMM`), used when the CPU has AVX-512F. Its
    /// speed does not depend on which kernels OpenBLAS picked (`OPENBLAS_CORETYPE`).
    case melcnn
    /// OpenBLAS's `cblas_sgemm`: on CPUs without AVX-512, or when the environment sets
    /// `MELCNN_SGEMM=openblas`.
    case openblas

    /// The backend in use, fixed at the first matrix product.
    public static let current: SGEMMBackend = {
        if let forced = getenv("MELCNN_SGEMM").map({ String(cString: $0) }), forced == "openblas" {
            return .openblas
        }
        return melcnn_sgemm_available() != 0 ? .melcnn : .openblas
    }()
}

/// Row-major `C = alpha * op(A) * op(B) + beta * C` (cblas_sgemm): op(A) is `[m, k]`,
/// op(B) is `[k, n]`, C is `[m, n]`; `lda`, `ldb`, `ldc` are the row strides of the
/// matrices as stored (so a transposed operand is read in place, never copied).
/// Runs on `Threads.count` threads, or on the calling thread inside melcnn's own
/// parallel loops (`Threads.parallelChunks`).
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
    cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                blasint(m), blasint(n), blasint(k), alpha, a, blasint(lda), b, blasint(ldb),
                beta, c, blasint(ldc))
}

/// melcnn's kernel, split into column (or row) blocks over the threads when the product is
/// large enough and the caller is not already one of melcnn's parallel workers.
private func ownSGEMM(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
                      a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                      beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
    let threads = Threads.blasThreads
    let flops = 2 * m * n * k
    let parts = threads > 1 && flops >= 1 << 22 ? threads : 1
    if parts == 1 || (n < 64 * parts && m < 16 * parts) {
        _ = melcnn_sgemm(transA ? 1 : 0, transB ? 1 : 0, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
        return
    }
    let splitColumns = n >= 64 * parts
    let (extent, unit) = splitColumns ? (n, 32) : (m, 8)
    let units = (extent + unit - 1) / unit
    let aAddress = UInt(bitPattern: a), bAddress = UInt(bitPattern: b), cAddress = UInt(bitPattern: c)
    Threads.parallelFor(parts) { part in
        let lo = min(extent, part * units / parts * unit), hi = min(extent, (part + 1) * units / parts * unit)
        guard hi > lo else { return }
        let a = UnsafePointer<Float>(bitPattern: aAddress)!, b = UnsafePointer<Float>(bitPattern: bAddress)!
        let c = UnsafeMutablePointer<Float>(bitPattern: cAddress)!
        if splitColumns {  // columns lo..<hi of op(B) and C
            let bPart = transB ? b + lo * ldb : b + lo
            _ = melcnn_sgemm(transA ? 1 : 0, transB ? 1 : 0, m, hi - lo, k, alpha, a, lda, bPart, ldb,
                             beta, c + lo, ldc)
        } else {           // rows lo..<hi of op(A) and C
            let aPart = transA ? a + lo : a + lo * lda
            _ = melcnn_sgemm(transA ? 1 : 0, transB ? 1 : 0, hi - lo, n, k, alpha, aPart, lda, b, ldb,
                             beta, c + lo * ldc, ldc)
        }
    }
}
