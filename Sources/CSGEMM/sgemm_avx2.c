// melcnn's single-threaded AVX2+FMA SGEMM route, for x86-64 CPUs without AVX-512 (Haswell
// and later, AMD Zen), organised as in Goto & van de Geijn (ACM TOMS 2008) / BLIS: op(B) is
// packed per block of KC depths x NC columns into 16-column slivers (the block in L3, one
// sliver in L1), op(A) per panel of MC rows x KC depths into 6-row slivers (the panel in L2),
// and a 6x16 register-blocked micro-kernel (12 ymm accumulators, 2 for B, 1 broadcast of A)
// runs over them, each B sliver against every A sliver of the panel. Row-major throughout;
// transposed operands are transposed while packing. sgemm_dispatch.c chooses the route.
#include "sgemm_internal.h"

#if defined(__x86_64__)
#include <immintrin.h>
#include <stdint.h>

#define MR 6      // rows of C per micro-tile (broadcast operand, A)
#define NR 16     // columns of C per micro-tile (two ymm vectors, B)
#define KC 320    // depth of one packed block: a B sliver (KC x 16, 20 KiB) stays in L1
#define MC 96     // rows of one packed A panel (MC x KC floats, 120 KiB, in L2); a multiple of MR
#define NC 3072   // columns of one packed B block (KC x NC floats, 3.75 MiB, in L3); a multiple of NR

SGEMM_TARGET_BEGIN("avx,avx2,fma")

// Thread-local packing buffers of fixed size, allocated at first use and kept for the
// thread's lifetime.
static _Thread_local float *packA = NULL;
static _Thread_local float *packB = NULL;

static const int32_t laneMasks[16] = {-1, -1, -1, -1, -1, -1, -1, -1, 0, 0, 0, 0, 0, 0, 0, 0};

// The first `count` of 8 lanes (none for count <= 0, all for count >= 8).
static inline __m256i laneMask(long count) {
    count = count < 0 ? 0 : count > 8 ? 8 : count;
    return _mm256_loadu_si256((const __m256i *)(laneMasks + 8 - count));
}

// Packs op(A)[i0 ..< i0+mb, p0 ..< p0+kb] into ceil(mb/6) slivers, each `kb` rows of 6
// floats (sliver s, depth p: op(A)[i0 + 6s + r, p0 + p] for r in 0..<6, zero past mb).
// Depths are written as 8 floats in increasing order, each overwriting the 2 spare floats
// of the one before: up to 2 floats past the last sliver are written.
__attribute__((noinline)) static void packPanelA(int transA, const float *a, long lda, long i0, long mb, long p0,
                                                 long kb, float *dst) {
    for (long s = 0; s < mb; s += MR, dst += kb * MR) {
        long rows = mb - s < MR ? mb - s : MR;
        if (transA) {  // A stored [k, m]: the 6 rows at one depth are contiguous.
            __m256i mask = laneMask(rows);
            const float *src = a + p0 * lda + i0 + s;
            for (long p = 0; p < kb; p++) _mm256_storeu_ps(dst + p * MR, _mm256_maskload_ps(src + p * lda, mask));
        } else {       // A stored [m, k]: transpose 8 depths of the 6 rows (and 2 zero rows) at once.
            const float *src = a + (i0 + s) * lda + p0;
            long p = 0;
            for (; p + 8 <= kb; p += 8) {
                __m256 r[8];
                for (long i = 0; i < 8; i++) r[i] = i < rows ? _mm256_loadu_ps(src + i * lda + p) : _mm256_setzero_ps();
                sgemmTranspose8x8(r);
                for (long i = 0; i < 8; i++) _mm256_storeu_ps(dst + (p + i) * MR, r[i]);
            }
            for (; p < kb; p++)
                for (long r = 0; r < MR; r++) dst[p * MR + r] = r < rows ? src[r * lda + p] : 0;
        }
    }
}

// Packs op(B)[p0 ..< p0+kb, j0 ..< j0+nb] into ceil(nb/16) slivers, each `kb` rows of 16
// floats (sliver t, depth p: op(B)[p0 + p, j0 + 16t + c] for c in 0..<16, zero past nb).
__attribute__((noinline)) static void packBlockB(int transB, const float *b, long ldb, long p0, long kb, long j0,
                                                 long nb, float *dst) {
    for (long t = 0; t < nb; t += NR, dst += kb * NR) {
        long cols = nb - t < NR ? nb - t : NR;
        if (transB) {  // B stored [n, k]: transpose 8x8 blocks.
            sgemmPackTransposedSliver(b + (j0 + t) * ldb + p0, ldb, kb, cols, NR, dst);
            continue;
        }
        const float *src = b + p0 * ldb + j0 + t;  // B stored [k, n]: each depth row is contiguous.
        if (cols == NR) {
            for (long p = 0; p < kb; p++) {
                _mm256_store_ps(dst + p * NR, _mm256_loadu_ps(src + p * ldb));
                _mm256_store_ps(dst + p * NR + 8, _mm256_loadu_ps(src + p * ldb + 8));
            }
        } else {
            __m256i m0 = laneMask(cols), m1 = laneMask(cols - 8);
            for (long p = 0; p < kb; p++) {
                _mm256_store_ps(dst + p * NR, _mm256_maskload_ps(src + p * ldb, m0));
                _mm256_store_ps(dst + p * NR + 8, _mm256_maskload_ps(src + p * ldb + 8, m1));
            }
        }
    }
}

// Stores one 8-wide accumulator row: C = alpha * acc + beta * C on the first `cols` lanes.
static inline void storeRow(float *c, __m256 acc, __m256 alpha, float beta, long cols) {
    __m256 v = _mm256_mul_ps(acc, alpha);
    if (cols >= 8) {
        if (beta != 0) v = _mm256_fmadd_ps(_mm256_set1_ps(beta), _mm256_loadu_ps(c), v);
        _mm256_storeu_ps(c, v);
    } else {
        __m256i mask = laneMask(cols);
        if (beta != 0) v = _mm256_fmadd_ps(_mm256_set1_ps(beta), _mm256_maskload_ps(c, mask), v);
        _mm256_maskstore_ps(c, mask, v);
    }
}

// Brings the micro-tile's rows of C towards L1 while the product accumulates.
static inline void prefetchTile(const float *c, long ldc, long rows, long cols) {
    for (long r = 0; r < rows; r++) {
        _mm_prefetch((const char *)(c + r * ldc), _MM_HINT_T0);
        _mm_prefetch((const char *)(c + r * ldc + cols - 1), _MM_HINT_T0);
    }
}

#define ROW16(r) { \
    __m256 ar = _mm256_broadcast_ss(a + r); \
    c##r##0 = _mm256_fmadd_ps(ar, b0, c##r##0); \
    c##r##1 = _mm256_fmadd_ps(ar, b1, c##r##1); }

// The 6x16 micro-kernel: C[0 ..< rows, 0 ..< cols] (+)= alpha * Asliver * Bsliver over
// depth `kb`; `a` holds 6 floats per depth, `b` 16.
__attribute__((noinline)) static void kernel6x16(long kb, const float *a, const float *b, float *c, long ldc,
                                                 float alpha, float beta, long rows, long cols) {
    prefetchTile(c, ldc, rows, cols);
    __m256 c00 = _mm256_setzero_ps(), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
    __m256 c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
SGEMM_UNROLL(4)
    for (long p = 0; p < kb; p++, a += MR, b += NR) {
        __m256 b0 = _mm256_load_ps(b), b1 = _mm256_load_ps(b + 8);
        ROW16(0) ROW16(1) ROW16(2) ROW16(3) ROW16(4) ROW16(5)
    }
    __m256 va = _mm256_set1_ps(alpha);
    __m256 acc[MR][2] = {{c00, c01}, {c10, c11}, {c20, c21}, {c30, c31}, {c40, c41}, {c50, c51}};
    for (long r = 0; r < rows; r++) {
        storeRow(c + r * ldc, acc[r][0], va, beta, cols);
        if (cols > 8) storeRow(c + r * ldc + 8, acc[r][1], va, beta, cols - 8);
    }
}

#define ROW8(r) c##r##0 = _mm256_fmadd_ps(_mm256_broadcast_ss(a + r), b0, c##r##0);

// The 6x8 micro-kernel for a last sliver at most 8 columns wide (its other half is zero).
__attribute__((noinline)) static void kernel6x8(long kb, const float *a, const float *b, float *c, long ldc,
                                                float alpha, float beta, long rows, long cols) {
    prefetchTile(c, ldc, rows, cols);
    __m256 c00 = _mm256_setzero_ps(), c10 = c00, c20 = c00, c30 = c00, c40 = c00, c50 = c00;
SGEMM_UNROLL(4)
    for (long p = 0; p < kb; p++, a += MR, b += NR) {
        __m256 b0 = _mm256_load_ps(b);
        ROW8(0) ROW8(1) ROW8(2) ROW8(3) ROW8(4) ROW8(5)
    }
    __m256 va = _mm256_set1_ps(alpha);
    __m256 acc[MR] = {c00, c10, c20, c30, c40, c50};
    for (long r = 0; r < rows; r++) storeRow(c + r * ldc, acc[r], va, beta, cols);
}

static long depthStep(long k) { return sgemmDepthStep(k, KC); }

// The blocked product (loops as in BLIS: NC columns, KC depths, MC rows, then 16-column
// slivers of B outside 6-row slivers of A). With `prepacked` (all of op(A), depth block
// after depth block, as `melcnn_sgemm_pack_a` lays it out) A is not packed again; its MC-row
// panels are read in place.
static int drive(int transA, int transB, long m, long n, long k, float alpha,
                 const float *a, long lda, const float *prepacked, const float *b, long ldb,
                 float beta, float *c, long ldc) {
    float *pa = prepacked ? NULL : sgemmBuffer(&packA, (size_t)MC * KC + 8);
    float *pb = sgemmBuffer(&packB, (size_t)KC * NC);
    if ((pa == NULL && prepacked == NULL) || pb == NULL) return -1;
    long kStep = depthStep(k), rowsPacked = sgemmRoundUp(m, MR);
    for (long j0 = 0; j0 < n; j0 += NC) {
        long nb = n - j0 < NC ? n - j0 : NC;
        for (long p0 = 0; p0 < k; p0 += kStep) {
            long kb = k - p0 < kStep ? k - p0 : kStep;
            float blockBeta = p0 == 0 ? beta : 1;
            packBlockB(transB, b, ldb, p0, kb, j0, nb, pb);
            for (long i0 = 0; i0 < m; i0 += MC) {
                long mb = m - i0 < MC ? m - i0 : MC;
                const float *panel = prepacked ? prepacked + rowsPacked * p0 + i0 * kb : pa;
                if (!prepacked) packPanelA(transA, a, lda, i0, mb, p0, kb, pa);
                for (long t = 0; t < nb; t += NR) {
                    long cols = nb - t < NR ? nb - t : NR;
                    const float *bs = pb + t * kb;
                    float *ct = c + i0 * ldc + j0 + t;
                    for (long s = 0; s < mb; s += MR) {
                        long rows = mb - s < MR ? mb - s : MR;
                        if (cols <= 8)
                            kernel6x8(kb, panel + s * kb, bs, ct + s * ldc, ldc, alpha, blockBeta, rows, cols);
                        else
                            kernel6x16(kb, panel + s * kb, bs, ct + s * ldc, ldc, alpha, blockBeta, rows, cols);
                    }
                }
            }
        }
    }
    return 0;
}

const MelCNNSGEMMRoute melcnn_sgemm_route_avx2 = {"avx2 6x16", MR, depthStep, packPanelA, drive};

SGEMM_TARGET_END
#endif
