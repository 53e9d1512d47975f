// melcnn's single-threaded AVX-512 SGEMM route, organised as in Goto & van de Geijn, "Anatomy
// of high-performance matrix multiplication" (ACM TOMS 2008) / BLIS: op(A) is packed into
// 8-row slivers and op(B) into 32-column slivers, and an 8x32 register-blocked micro-kernel
// (16 zmm accumulators) runs over them. Row-major throughout; transposed operands are
// transposed while packing, never copied beforehand. sgemm_dispatch.c chooses the route.
#include "sgemm_internal.h"

#if defined(__x86_64__)
#include <immintrin.h>

#define MR 8      // rows of C per micro-tile (broadcast operand, A)
#define NR 32     // columns of C per micro-tile (two zmm vectors, B)
#define KC 384    // depth of one packed block: an A sliver (8 x KC) stays in L1
#define NC 480    // columns of one packed B block (KC x NC floats, ~720 KiB, in L2)
#define MC 1024   // rows of one packed A panel (MC x KC floats, 1.5 MiB, in L3)

SGEMM_TARGET_BEGIN("avx512f,avx512vl,avx2,fma")

// Thread-local packing buffers of fixed size, allocated at first use and kept for the
// thread's lifetime.
static _Thread_local float *packA = NULL;
static _Thread_local float *packB = NULL;

// The first `count` of 16 lanes (none for count <= 0, all for count >= 16).
static inline __mmask16 laneMask(long count) {
    return count <= 0 ? 0 : count >= 16 ? 0xFFFF : (__mmask16)((1u << count) - 1);
}


// Packs op(A)[i0 ..< i0+mb, p0 ..< p0+kb] into ceil(mb/8) slivers, each `kb` rows of 8
// floats (sliver s, depth p: op(A)[i0 + 8s + r, p0 + p] for r in 0..<8, zero past mb).
__attribute__((noinline)) static void packPanelA(int transA, const float *a, long lda, long i0, long mb, long p0, long kb,
                       float *dst) {
    for (long s = 0; s < mb; s += MR, dst += kb * MR) {
        long rows = mb - s < MR ? mb - s : MR;
        if (transA) {  // A stored [k, m]: the 8 rows at one depth are contiguous.
            __mmask8 mask = (__mmask8)((1u << rows) - 1);
            const float *src = a + p0 * lda + i0 + s;
            for (long p = 0; p < kb; p++)
                _mm256_store_ps(dst + p * MR, _mm256_maskz_loadu_ps(mask, src + p * lda));
        } else {       // A stored [m, k]: transpose 8x8 blocks.
            const float *src = a + (i0 + s) * lda + p0;
            long p = 0;
            if (rows == MR)
                for (; p + 8 <= kb; p += 8) sgemmTransposeBlock(src + p, lda, dst + p * MR, MR);
            for (; p < kb; p++)
                for (long r = 0; r < MR; r++) dst[p * MR + r] = r < rows ? src[r * lda + p] : 0;
        }
    }
}

// Packs op(B)[p0 ..< p0+kb, j0 ..< j0+nb] into ceil(nb/32) slivers, each `kb` rows of 32
// floats (sliver t, depth p: op(B)[p0 + p, j0 + 32t + c] for c in 0..<32, zero past nb).
__attribute__((noinline)) static void packBlockB(int transB, const float *b, long ldb, long p0, long kb, long j0, long nb,
                       float *dst) {
    for (long t = 0; t < nb; t += NR, dst += kb * NR) {
        long cols = nb - t < NR ? nb - t : NR;
        if (!transB) {  // B stored [k, n]: each depth row of the sliver is contiguous.
            __mmask16 m0 = laneMask(cols), m1 = laneMask(cols - 16);
            const float *src = b + p0 * ldb + j0 + t;
            for (long p = 0; p < kb; p++) {
                _mm512_store_ps(dst + p * NR, _mm512_maskz_loadu_ps(m0, src + p * ldb));
                _mm512_store_ps(dst + p * NR + 16, _mm512_maskz_loadu_ps(m1, src + p * ldb + 16));
            }
        } else {        // B stored [n, k]: transpose 8x8 blocks.
            sgemmPackTransposedSliver(b + (j0 + t) * ldb + p0, ldb, kb, cols, NR, dst);
        }
    }
}

// Stores one 16-wide accumulator row: C = alpha * acc + beta * C on the lanes in `mask`.
static inline void storeRow(float *c, __m512 acc, __mmask16 mask, __m512 alpha, float beta) {
    __m512 v = _mm512_mul_ps(acc, alpha);
    if (beta != 0)
        v = _mm512_fmadd_ps(_mm512_set1_ps(beta), _mm512_maskz_loadu_ps(mask, c), v);
    _mm512_mask_storeu_ps(c, mask, v);
}

#define ROW32(r) \
    c##r##0 = _mm512_fmadd_ps(_mm512_set1_ps(a[r]), b0, c##r##0); \
    c##r##1 = _mm512_fmadd_ps(_mm512_set1_ps(a[r]), b1, c##r##1);

// The 8x32 micro-kernel: C[0 ..< rows, 0 ..< cols] (+)= alpha * Asliver * Bsliver over
// depth `kb`; `a` holds 8 floats per depth, `b` 32.
__attribute__((noinline)) static void kernel8x32(long kb, const float *a, const float *b, float *c, long ldc,
                       float alpha, float beta, long rows, long cols) {
    __m512 c00 = _mm512_setzero_ps(), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
    __m512 c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
    __m512 c60 = c00, c61 = c00, c70 = c00, c71 = c00;
SGEMM_UNROLL(4)
    for (long p = 0; p < kb; p++, a += MR, b += NR) {
        __m512 b0 = _mm512_load_ps(b), b1 = _mm512_load_ps(b + 16);
        ROW32(0) ROW32(1) ROW32(2) ROW32(3) ROW32(4) ROW32(5) ROW32(6) ROW32(7)
    }
    __mmask16 m0 = laneMask(cols), m1 = laneMask(cols - 16);
    __m512 va = _mm512_set1_ps(alpha);
    __m512 acc[MR][2] = {{c00, c01}, {c10, c11}, {c20, c21}, {c30, c31},
                         {c40, c41}, {c50, c51}, {c60, c61}, {c70, c71}};
    for (long r = 0; r < rows; r++) {
        storeRow(c + r * ldc, acc[r][0], m0, va, beta);
        if (m1) storeRow(c + r * ldc + 16, acc[r][1], m1, va, beta);
    }
}

#define ROW16(r) c##r##0 = _mm512_fmadd_ps(_mm512_set1_ps(a[r]), b0, c##r##0);

// The 8x16 micro-kernel for a last sliver at most 16 columns wide (its other half is zero).
__attribute__((noinline)) static void kernel8x16(long kb, const float *a, const float *b, float *c, long ldc,
                       float alpha, float beta, long rows, long cols) {
    __m512 c00 = _mm512_setzero_ps(), c10 = c00, c20 = c00, c30 = c00;
    __m512 c40 = c00, c50 = c00, c60 = c00, c70 = c00;
SGEMM_UNROLL(4)
    for (long p = 0; p < kb; p++, a += MR, b += NR) {
        __m512 b0 = _mm512_load_ps(b);
        ROW16(0) ROW16(1) ROW16(2) ROW16(3) ROW16(4) ROW16(5) ROW16(6) ROW16(7)
    }
    __mmask16 m0 = laneMask(cols);
    __m512 va = _mm512_set1_ps(alpha);
    __m512 acc[MR] = {c00, c10, c20, c30, c40, c50, c60, c70};
    for (long r = 0; r < rows; r++) storeRow(c + r * ldc, acc[r], m0, va, beta);
}

#define ROW16B(r) d##r##0 = _mm512_fmadd_ps(_mm512_set1_ps(a2[r]), b0, d##r##0);

// Two 8-row slivers (`a` and `a2`) against a last sliver at most 16 columns wide: 16
// accumulators, so the FMA units stay busy where the 8x16 kernel waits on its 8 chains.
__attribute__((noinline)) static void kernel16x16(long kb, const float *a, const float *a2, const float *b,
                                                  float *c, long ldc, float alpha, float beta, long rows,
                                                  long cols) {
    __m512 c00 = _mm512_setzero_ps(), c10 = c00, c20 = c00, c30 = c00;
    __m512 c40 = c00, c50 = c00, c60 = c00, c70 = c00;
    __m512 d00 = c00, d10 = c00, d20 = c00, d30 = c00, d40 = c00, d50 = c00, d60 = c00, d70 = c00;
SGEMM_UNROLL(2)
    for (long p = 0; p < kb; p++, a += MR, a2 += MR, b += NR) {
        __m512 b0 = _mm512_load_ps(b);
        ROW16(0) ROW16(1) ROW16(2) ROW16(3) ROW16(4) ROW16(5) ROW16(6) ROW16(7)
        ROW16B(0) ROW16B(1) ROW16B(2) ROW16B(3) ROW16B(4) ROW16B(5) ROW16B(6) ROW16B(7)
    }
    __mmask16 m0 = laneMask(cols);
    __m512 va = _mm512_set1_ps(alpha);
    __m512 acc[2 * MR] = {c00, c10, c20, c30, c40, c50, c60, c70, d00, d10, d20, d30, d40, d50, d60, d70};
    for (long r = 0; r < rows; r++) storeRow(c + r * ldc, acc[r], m0, va, beta);
}

static long depthStep(long k) { return sgemmDepthStep(k, KC); }

// The blocked product. With `prepacked` (all of op(A), depth block after depth block, as
// `melcnn_sgemm_pack_a` lays it out) A is not packed again; otherwise it is packed per block
// of MC rows into this thread's buffer.
static int drive(int transA, int transB, long m, long n, long k, float alpha,
                 const float *a, long lda, const float *prepacked, const float *b, long ldb,
                 float beta, float *c, long ldc) {
    float *pa = prepacked ? NULL : sgemmBuffer(&packA, (size_t)MC * KC);
    float *pb = sgemmBuffer(&packB, (size_t)KC * (NC + NR));
    if ((pa == NULL && prepacked == NULL) || pb == NULL) return -1;
    long kStep = depthStep(k), mStep = prepacked ? m : MC;
    for (long i0 = 0; i0 < m; i0 += mStep) {
        long mb = m - i0 < mStep ? m - i0 : mStep;
        for (long p0 = 0; p0 < k; p0 += kStep) {
            long kb = k - p0 < kStep ? k - p0 : kStep;
            float blockBeta = p0 == 0 ? beta : 1;
            const float *panel = prepacked ? prepacked + sgemmRoundUp(m, MR) * p0 : pa;
            if (!prepacked) packPanelA(transA, a, lda, i0, mb, p0, kb, pa);
            for (long j0 = 0; j0 < n; j0 += NC) {
                long nb = n - j0 < NC ? n - j0 : NC;
                packBlockB(transB, b, ldb, p0, kb, j0, nb, pb);
                long narrowTail = nb % NR != 0 && nb % NR <= 16 ? nb - nb % NR : -1;
                for (long s = 0; s < mb; s += MR) {
                    long rows = mb - s < MR ? mb - s : MR;
                    const float *as = panel + s * kb;
                    float *cs = c + (i0 + s) * ldc + j0;
                    for (long t = 0; t < nb; t += NR) {
                        long cols = nb - t < NR ? nb - t : NR;
                        if (t == narrowTail) {
                            if (s % (2 * MR) == 0 && mb - s > MR)  // this sliver and the next
                                kernel16x16(kb, as, as + MR * kb, pb + t * kb, cs + t, ldc, alpha, blockBeta,
                                            mb - s < 2 * MR ? mb - s : 2 * MR, cols);
                            else if (s % (2 * MR) == 0)  // a last sliver without a partner
                                kernel8x16(kb, as, pb + t * kb, cs + t, ldc, alpha, blockBeta, rows, cols);
                        } else {
                            kernel8x32(kb, as, pb + t * kb, cs + t, ldc, alpha, blockBeta, rows, cols);
                        }
                    }
                }
            }
        }
    }
    return 0;
}

const MelCNNSGEMMRoute melcnn_sgemm_route_avx512 = {"avx512 8x32", MR, depthStep, packPanelA, drive};

SGEMM_TARGET_END
#endif
