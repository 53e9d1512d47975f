// The q smallest and q largest values of one spectral-contrast band (librosa.feature.
// spectral_contrast averages them after np.sort), in two passes over blocks of 8 values:
// 1. each block's min and max; the q-th largest block max is a bound T_high that the q largest
//    values reach (q blocks hold a value >= it), the q-th smallest block min likewise T_low;
// 2. only values beyond a bound (one vector compare per block: SSE2 on x86-64, NEON on aarch64,
//    plain C elsewhere) enter two short sorted lists by insertion.
// The lists end as the q smallest / largest values in sorted order, so the sums are those of
// np.sort's ends added in the same order, on every CPU.
#include <math.h>
#include "cstft.h"

#if defined(__SSE2__)
#include <emmintrin.h>
static inline void minMax8(const float *x, float *mn, float *mx) {
    __m128 a = _mm_loadu_ps(x), b = _mm_loadu_ps(x + 4);
    __m128 lo = _mm_min_ps(a, b), hi = _mm_max_ps(a, b);
    lo = _mm_min_ps(lo, _mm_movehl_ps(lo, lo));
    hi = _mm_max_ps(hi, _mm_movehl_ps(hi, hi));
    lo = _mm_min_ss(lo, _mm_shuffle_ps(lo, lo, 1));
    hi = _mm_max_ss(hi, _mm_shuffle_ps(hi, hi, 1));
    *mn = _mm_cvtss_f32(lo);
    *mx = _mm_cvtss_f32(hi);
}
// 1 when some x[j], j < 8, is <= low or >= high.
static inline int anyBeyond8(const float *x, float low, float high) {
    __m128 a = _mm_loadu_ps(x), b = _mm_loadu_ps(x + 4);
    __m128 lo = _mm_set1_ps(low), hi = _mm_set1_ps(high);
    __m128 out = _mm_or_ps(_mm_or_ps(_mm_cmple_ps(a, lo), _mm_cmple_ps(b, lo)),
                           _mm_or_ps(_mm_cmpge_ps(a, hi), _mm_cmpge_ps(b, hi)));
    return _mm_movemask_ps(out) != 0;
}
#elif defined(__ARM_NEON)
#include <arm_neon.h>
static inline void minMax8(const float *x, float *mn, float *mx) {
    float32x4_t a = vld1q_f32(x), b = vld1q_f32(x + 4);
    *mn = vminvq_f32(vminq_f32(a, b));
    *mx = vmaxvq_f32(vmaxq_f32(a, b));
}
static inline int anyBeyond8(const float *x, float low, float high) {
    float32x4_t a = vld1q_f32(x), b = vld1q_f32(x + 4);
    float32x4_t lo = vdupq_n_f32(low), hi = vdupq_n_f32(high);
    uint32x4_t out = vorrq_u32(vorrq_u32(vcleq_f32(a, lo), vcleq_f32(b, lo)),
                               vorrq_u32(vcgeq_f32(a, hi), vcgeq_f32(b, hi)));
    return vmaxvq_u32(out) != 0;
}
#else
static inline void minMax8(const float *x, float *mn, float *mx) {
    float lo = x[0], hi = x[0];
    for (int j = 1; j < 8; j++) { lo = x[j] < lo ? x[j] : lo; hi = x[j] > hi ? x[j] : hi; }
    *mn = lo;
    *mx = hi;
}
static inline int anyBeyond8(const float *x, float low, float high) {
    int out = 0;
    for (int j = 0; j < 8; j++) out |= (x[j] <= low) | (x[j] >= high);
    return out;
}
#endif

// A value below the largest low replaces it and moves down to its sorted place (branch-free).
static inline float enterLow(float *lows, long q, float v) {
    for (long j = q - 1; j > 0; j--) {
        float below = lows[j - 1] > v ? lows[j - 1] : v;
        lows[j] = lows[j] < below ? lows[j] : below;
    }
    lows[0] = v < lows[0] ? v : lows[0];
    return lows[q - 1];
}

static inline float enterHigh(float *highs, long q, float v) {
    for (long j = q - 1; j > 0; j--) {
        float above = highs[j - 1] < v ? highs[j - 1] : v;
        highs[j] = highs[j] > above ? highs[j] : above;
    }
    highs[0] = v > highs[0] ? v : highs[0];
    return highs[q - 1];
}

static inline void fill(float *v, long q, float value) { for (long j = 0; j < q; j++) v[j] = value; }

void melcnn_band_extremes(const float *x, long n, long q, float *lows, float *highs,
                          double *lowSum, double *highSum) {
    long blocks = n / 8;
    // Pass 1: bounds from the block extremes (none when fewer blocks than q: every value is offered).
    float lowBound = INFINITY, highBound = -INFINITY;
    if (blocks >= q) {
        fill(lows, q, INFINITY);
        fill(highs, q, -INFINITY);
        float lowCut = INFINITY, highCut = -INFINITY;
        for (long b = 0; b < blocks; b++) {
            float mn, mx;
            minMax8(x + 8 * b, &mn, &mx);
            if (mn < lowCut) lowCut = enterLow(lows, q, mn);
            if (mx > highCut) highCut = enterHigh(highs, q, mx);
        }
        lowBound = lowCut;
        highBound = highCut;
    }
    // Pass 2: the values at or beyond a bound enter the lists.
    fill(lows, q, INFINITY);
    fill(highs, q, -INFINITY);
    float lowCut = INFINITY, highCut = -INFINITY;
    long i = 0;
    for (; i + 8 <= n; i += 8) {
        if (!anyBeyond8(x + i, lowBound, highBound)) continue;
        for (long j = i; j < i + 8; j++) {
            float v = x[j];
            if (v <= lowBound && v < lowCut) lowCut = enterLow(lows, q, v);
            if (v >= highBound && v > highCut) highCut = enterHigh(highs, q, v);
        }
    }
    for (; i < n; i++) {
        float v = x[i];
        if (v <= lowBound && v < lowCut) lowCut = enterLow(lows, q, v);
        if (v >= highBound && v > highCut) highCut = enterHigh(highs, q, v);
    }
    double low = 0, high = 0;
    for (long k = 0; k < q; k++) { low += lows[k]; high += highs[k]; }
    *lowSum = low;
    *highSum = high;
}
