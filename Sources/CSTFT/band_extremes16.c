// melcnn_band_extremes16 (cstft.h): spectral contrast's band ends straight from a block of 16
// power spectra (one frame per lane, as melcnn_frame_fft_power16 leaves them). Every lane keeps
// its q smallest and q largest powers in two sorted lists updated by a branch-free insertion
// (min / max down the list); the square roots come only at the end. The square root is
// monotone, so the lists hold the q smallest / largest magnitudes in sorted order, and the sums
// are melcnn_band_extremes' on the magnitudes, bit for bit. NaN powers never enter (as there).
#include "internal.h"

#include "ccpu.h"

#include <math.h>

#if defined(__x86_64__)
#include <immintrin.h>

// The sums of one lane's lists: square roots of the powers, in list order, added in double.
static void laneSums(const float *lows, const float *highs, long q, long stride, double *lowSum, double *highSum) {
    double low = 0, high = 0;
    for (long j = 0; j < q; j++) {
        float a = lows[j * stride], b = highs[j * stride];
        low += a == -INFINITY ? a : sqrtf(a);
        high += b == -INFINITY ? b : sqrtf(b);
    }
    *lowSum = low;
    *highSum = high;
}

MELCNN_TARGET_BEGIN("avx,avx2,fma,avx512f")
static void extremes16AVX512(const float *power, long lo, long hi, long q, double *lowSums, double *highSums,
                             float *scratch) {
    float *lows = scratch, *highs = scratch + 16 * q;
    const __m512 inf = _mm512_set1_ps(INFINITY), ninf = _mm512_set1_ps(-INFINITY);
    for (long j = 0; j < q; j++) { _mm512_storeu_ps(lows + 16 * j, inf); _mm512_storeu_ps(highs + 16 * j, ninf); }
    for (long k = lo; k < hi; k++) {
        __m512 v = _mm512_loadu_ps(power + 16 * k);
        __mmask16 ordered = _mm512_cmp_ps_mask(v, v, _CMP_ORD_Q);
        __m512 vl = _mm512_mask_blend_ps(ordered, inf, v), vh = _mm512_mask_blend_ps(ordered, ninf, v);
        for (long j = 0; j < q; j++) {
            __m512 a = _mm512_loadu_ps(lows + 16 * j), b = _mm512_loadu_ps(highs + 16 * j);
            _mm512_storeu_ps(lows + 16 * j, _mm512_min_ps(a, vl));
            _mm512_storeu_ps(highs + 16 * j, _mm512_max_ps(b, vh));
            vl = _mm512_max_ps(a, vl);
            vh = _mm512_min_ps(b, vh);
        }
    }
    for (int l = 0; l < 16; l++) laneSums(lows + l, highs + l, q, 16, lowSums + l, highSums + l);
}
MELCNN_TARGET_END

MELCNN_TARGET_BEGIN("avx,avx2,fma")
// Lanes l0 ..< l0 + 8 of the block.
static void extremes8AVX2(const float *power, long lo, long hi, long q, int l0, double *lowSums, double *highSums,
                          float *scratch) {
    float *lows = scratch, *highs = scratch + 8 * q;
    const __m256 inf = _mm256_set1_ps(INFINITY), ninf = _mm256_set1_ps(-INFINITY);
    for (long j = 0; j < q; j++) { _mm256_storeu_ps(lows + 8 * j, inf); _mm256_storeu_ps(highs + 8 * j, ninf); }
    for (long k = lo; k < hi; k++) {
        __m256 v = _mm256_loadu_ps(power + 16 * k + l0);
        __m256 ordered = _mm256_cmp_ps(v, v, _CMP_ORD_Q);
        __m256 vl = _mm256_blendv_ps(inf, v, ordered), vh = _mm256_blendv_ps(ninf, v, ordered);
        for (long j = 0; j < q; j++) {
            __m256 a = _mm256_loadu_ps(lows + 8 * j), b = _mm256_loadu_ps(highs + 8 * j);
            _mm256_storeu_ps(lows + 8 * j, _mm256_min_ps(a, vl));
            _mm256_storeu_ps(highs + 8 * j, _mm256_max_ps(b, vh));
            vl = _mm256_max_ps(a, vl);
            vh = _mm256_min_ps(b, vh);
        }
    }
    for (int l = 0; l < 8; l++) laneSums(lows + l, highs + l, q, 8, lowSums + l0 + l, highSums + l0 + l);
}
MELCNN_TARGET_END
#endif

int melcnn_band_extremes16(const float *power, long lo, long hi, long q, double *lowSums, double *highSums,
                           float *scratch) {
    if (q < 1 || q > MELCNN_BAND_EXTREMES16_MAX_Q || hi - lo < q) return -1;
#if defined(__x86_64__)
    int level = melcnn_isa_level();
    if (level >= MELCNN_ISA_AVX512) { extremes16AVX512(power, lo, hi, q, lowSums, highSums, scratch); return 0; }
    if (level >= MELCNN_ISA_AVX2) {
        extremes8AVX2(power, lo, hi, q, 0, lowSums, highSums, scratch);
        extremes8AVX2(power, lo, hi, q, 8, lowSums, highSums, scratch);
        return 0;
    }
#endif
    (void)power; (void)lowSums; (void)highSums; (void)scratch;
    return -1;
}
