#ifndef MELCNN_CSGEMM_H
#define MELCNN_CSGEMM_H

/// 1 when melcnn's own AVX-512 SGEMM can run on this CPU (AVX-512F, AVX-512VL, AVX2, FMA), else 0.
int melcnn_sgemm_available(void);

/// Single-threaded row-major SGEMM: `C = alpha * op(A) * op(B) + beta * C` with op(A)
/// `[m, k]`, op(B) `[k, n]` and C `[m, n]`. `lda`, `ldb`, `ldc` are the row strides of the
/// matrices as stored: op(A) = A stored `[m, k]`, or Aᵀ when `transA` (A stored `[k, m]`);
/// likewise for B. When `beta == 0`, C is not read (it may hold garbage or NaN).
/// Returns 0 when done, -1 when the AVX-512 kernel is not available (nothing is written).
/// Thread-safe: every calling thread packs into its own thread-local buffers.
int melcnn_sgemm(int transA, int transB, long m, long n, long k, float alpha,
                 const float *a, long lda, const float *b, long ldb,
                 float beta, float *c, long ldc);

#endif
