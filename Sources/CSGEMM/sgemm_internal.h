// Private to CSGEMM: what the dispatcher (sgemm_dispatch.c) knows of each x86-64 route
// (sgemm_avx512.c, sgemm_avx2.c), and the helpers they share.
#ifndef MELCNN_SGEMM_INTERNAL_H
#define MELCNN_SGEMM_INTERNAL_H

#include <stddef.h>
#include <stdlib.h>

/// One SGEMM route. op(A) is packed in slivers of `mr` rows, depth-major (`mr` floats per
/// depth, zero past m), depth block after depth block: the block at depth p0 (of
/// `depthStep(k)` depths, the last one shorter) starts at `roundUp(m, mr) * p0` floats.
typedef struct {
    const char *name;  // "avx512 8x32": instruction set and micro-tile (rows x columns)
    long mr;           // rows per packed A sliver
    long (*depthStep)(long k);
    /// Packs op(A)[i0 ..< i0+mb, p0 ..< p0+kb] into ceil(mb/mr) slivers at `dst`; may write
    /// up to 8 floats past the last sliver (callers leave room).
    void (*packA)(int transA, const float *a, long lda, long i0, long mb, long p0, long kb, float *dst);
    /// The blocked product, k > 0 and alpha != 0. With `prepacked` (all of op(A), laid out as
    /// above) A is not packed again. Returns -1 when a packing buffer cannot be allocated.
    int (*drive)(int transA, int transB, long m, long n, long k, float alpha,
                 const float *a, long lda, const float *prepacked, const float *b, long ldb,
                 float beta, float *c, long ldc);
} MelCNNSGEMMRoute;

#if defined(__x86_64__)
extern const MelCNNSGEMMRoute melcnn_sgemm_route_avx512;
extern const MelCNNSGEMMRoute melcnn_sgemm_route_avx2;
#endif

static inline long sgemmRoundUp(long x, long step) { return (x + step - 1) / step * step; }

/// Depth blocks of equal size (multiples of 8, at most `kc`) so that none is a thin remainder.
static inline long sgemmDepthStep(long k, long kc) {
    long blocks = (k + kc - 1) / kc;
    return sgemmRoundUp((k + blocks - 1) / blocks, 8);
}

/// A thread-local packing buffer of fixed size, allocated at first use and kept for the
/// thread's lifetime (NULL when memory runs out).
static inline float *sgemmBuffer(float **buffer, size_t floats) {
    if (*buffer == NULL) *buffer = aligned_alloc(64, (floats * sizeof(float) + 63) / 64 * 64);
    return *buffer;
}

#if defined(__x86_64__)
#include <immintrin.h>

#define SGEMM_AVX2 __attribute__((target("avx,avx2,fma")))

/// `SGEMM_TARGET_BEGIN("avx2,fma")` ... `SGEMM_TARGET_END`: every function between them is
/// compiled for those instruction sets, with clang (SwiftPM) and gcc alike. `SGEMM_UNROLL(n)`
/// before a loop: clang unrolls it n times (gcc decides for itself).
#define SGEMM_PRAGMA(text) _Pragma(#text)
#if defined(__clang__)
#define SGEMM_TARGET_BEGIN(targets) \
    SGEMM_PRAGMA(clang attribute push(__attribute__((target(targets))), apply_to = function))
#define SGEMM_TARGET_END SGEMM_PRAGMA(clang attribute pop)
#define SGEMM_UNROLL(n) SGEMM_PRAGMA(clang loop unroll_count(n))
#else
#define SGEMM_TARGET_BEGIN(targets) SGEMM_PRAGMA(GCC push_options) SGEMM_PRAGMA(GCC target(targets))
#define SGEMM_TARGET_END SGEMM_PRAGMA(GCC pop_options)
#define SGEMM_UNROLL(n)
#endif

/// Transposes the 8x8 block held in r[0..7] (row i in r[i]) in place.
SGEMM_AVX2 static inline void sgemmTranspose8x8(__m256 r[8]) {
    __m256 t0 = _mm256_unpacklo_ps(r[0], r[1]), t1 = _mm256_unpackhi_ps(r[0], r[1]);
    __m256 t2 = _mm256_unpacklo_ps(r[2], r[3]), t3 = _mm256_unpackhi_ps(r[2], r[3]);
    __m256 t4 = _mm256_unpacklo_ps(r[4], r[5]), t5 = _mm256_unpackhi_ps(r[4], r[5]);
    __m256 t6 = _mm256_unpacklo_ps(r[6], r[7]), t7 = _mm256_unpackhi_ps(r[6], r[7]);
    __m256 s0 = _mm256_shuffle_ps(t0, t2, _MM_SHUFFLE(1, 0, 1, 0));
    __m256 s1 = _mm256_shuffle_ps(t0, t2, _MM_SHUFFLE(3, 2, 3, 2));
    __m256 s2 = _mm256_shuffle_ps(t1, t3, _MM_SHUFFLE(1, 0, 1, 0));
    __m256 s3 = _mm256_shuffle_ps(t1, t3, _MM_SHUFFLE(3, 2, 3, 2));
    __m256 s4 = _mm256_shuffle_ps(t4, t6, _MM_SHUFFLE(1, 0, 1, 0));
    __m256 s5 = _mm256_shuffle_ps(t4, t6, _MM_SHUFFLE(3, 2, 3, 2));
    __m256 s6 = _mm256_shuffle_ps(t5, t7, _MM_SHUFFLE(1, 0, 1, 0));
    __m256 s7 = _mm256_shuffle_ps(t5, t7, _MM_SHUFFLE(3, 2, 3, 2));
    r[0] = _mm256_permute2f128_ps(s0, s4, 0x20);
    r[1] = _mm256_permute2f128_ps(s1, s5, 0x20);
    r[2] = _mm256_permute2f128_ps(s2, s6, 0x20);
    r[3] = _mm256_permute2f128_ps(s3, s7, 0x20);
    r[4] = _mm256_permute2f128_ps(s0, s4, 0x31);
    r[5] = _mm256_permute2f128_ps(s1, s5, 0x31);
    r[6] = _mm256_permute2f128_ps(s2, s6, 0x31);
    r[7] = _mm256_permute2f128_ps(s3, s7, 0x31);
}

/// Writes the 8x8 transpose of the block at `src` (row stride `ss`) to `dst` (row stride `ds`).
SGEMM_AVX2 static inline void sgemmTransposeBlock(const float *src, long ss, float *dst, long ds) {
    __m256 r[8];
    for (int i = 0; i < 8; i++) r[i] = _mm256_loadu_ps(src + i * ss);
    sgemmTranspose8x8(r);
    for (int i = 0; i < 8; i++) _mm256_storeu_ps(dst + i * ds, r[i]);
}

/// Packs one sliver of `nr` columns of op(B) = Bᵀ (B stored [n, k], row stride `ld`; `src` at
/// the sliver's first column and depth) for depths 0 ..< kb: `nr` floats per depth, zero
/// past `cols`. 8x8 blocks are transposed whole, the rest element by element. The blocks go
/// 8 columns at a time along the depth: 8 rows of B are read at once, which stay in L1 even
/// when `ld` is a multiple of 4 KiB (all rows in one cache set).
SGEMM_AVX2 static inline void sgemmPackTransposedSliver(const float *src, long ld, long kb, long cols, long nr,
                                                        float *dst) {
    long full = cols / 8 * 8, deep = kb / 8 * 8;
    for (long c = 0; c < full; c += 8)
        for (long p = 0; p < deep; p += 8) sgemmTransposeBlock(src + c * ld + p, ld, dst + p * nr + c, nr);
    for (long q = 0; q < kb; q++)
        for (long c = q < deep ? full : 0; c < nr; c++) dst[q * nr + c] = c < cols ? src[c * ld + q] : 0;
}
#endif

#endif
