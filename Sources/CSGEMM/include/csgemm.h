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

/// op(A) `[m, k]` packed once for several products that share it (a layer's weights applied
/// to every sample of a batch). Returns NULL when the AVX-512 kernel is not available or
/// memory runs out. Read-only once made: several threads may use it at once.
typedef struct MelCNNPackedA MelCNNPackedA;
MelCNNPackedA *melcnn_sgemm_pack_a(int transA, long m, long k, const float *a, long lda);

/// Frees a packed operand made by `melcnn_sgemm_pack_a` (NULL is ignored).
void melcnn_sgemm_free_packed_a(MelCNNPackedA *packed);

/// `C = alpha * op(A) * op(B) + beta * C` with op(A) taken from `packed` (its m and k):
/// the same product as `melcnn_sgemm`, bit for bit, without packing A again. Returns 0, or
/// -1 when this thread's packing buffer cannot be allocated (nothing is written).
int melcnn_sgemm_packed_a(const MelCNNPackedA *packed, int transB, long n, float alpha,
                           const float *b, long ldb, float beta, float *c, long ldc);

#endif
