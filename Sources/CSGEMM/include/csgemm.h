#ifndef MELCNN_CSGEMM_H
#define MELCNN_CSGEMM_H

/// melcnn's own single-threaded SGEMM. Each call takes the route `melcnn_isa_level()` (CCPU)
/// selects: AVX-512 (an 8x32 micro-kernel), AVX2+FMA (6x16), or none at the generic level
/// (also on every CPU that is not x86-64): then the entry points return -1 / NULL and the
/// caller uses OpenBLAS. Routes differ in their last bits (summation order), not in meaning.

/// 1 when a route can run at the current level (AVX2 and FMA, or AVX-512), else 0.
int melcnn_sgemm_available(void);

/// The route the current level selects, for logs and benchmarks: `"avx512 8x32"`,
/// `"avx2 6x16"` (instruction set, micro-tile rows x columns) or `"none"`.
const char *melcnn_sgemm_kernel(void);

/// Row-major SGEMM: `C = alpha * op(A) * op(B) + beta * C` with op(A) `[m, k]`, op(B) `[k, n]`
/// and C `[m, n]` (sizes in elements). `lda`, `ldb`, `ldc` are the row strides, in floats, of
/// the matrices as stored: op(A) = A stored `[m, k]`, or Aᵀ when `transA` (A stored `[k, m]`);
/// likewise for B. When `beta == 0`, C is not read (it may hold garbage or NaN); columns of C
/// past `n` (row padding) are never written. Returns 0 when done, -1 when no route is
/// available or a packing buffer cannot be allocated (nothing is written).
/// Thread-safe: every calling thread packs into its own thread-local buffers.
int melcnn_sgemm(int transA, int transB, long m, long n, long k, float alpha,
                 const float *a, long lda, const float *b, long ldb,
                 float beta, float *c, long ldc);

/// op(A) `[m, k]` packed once for several products that share it (a layer's weights applied
/// to every sample of a batch), in the layout of the route the current level selects; the
/// packed operand remembers that route. Returns NULL when no route is available or memory
/// runs out. Read-only once made: several threads may use it at once.
typedef struct MelCNNPackedA MelCNNPackedA;
MelCNNPackedA *melcnn_sgemm_pack_a(int transA, long m, long k, const float *a, long lda);

/// Frees a packed operand made by `melcnn_sgemm_pack_a` (NULL is ignored).
void melcnn_sgemm_free_packed_a(MelCNNPackedA *packed);

/// `C = alpha * op(A) * op(B) + beta * C` with op(A) taken from `packed` (its m and k), on
/// the route that packed it (whatever the level is now): the same product as `melcnn_sgemm`
/// on that route, bit for bit, without packing A again. Returns 0, or -1 when this thread's
/// packing buffer cannot be allocated (nothing is written).
int melcnn_sgemm_packed_a(const MelCNNPackedA *packed, int transB, long n, float alpha,
                           const float *b, long ldb, float beta, float *c, long ldc);

#endif
