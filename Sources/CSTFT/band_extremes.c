// The q smallest and q largest values of one spectral-contrast band (librosa.feature.
// spectral_contrast averages them after np.sort), in two passes:
// 1. the min and max of each of G groups of values; the q-th largest group max is a bound
//    T_high that the q largest values reach (q groups hold a value >= it), the q-th smallest
//    group min likewise T_low. With q <= 16 the groups are the 16 strided sets x[l], x[l + 16],
//    ... (vertical min/max in four 4-lane registers, no horizontal step); otherwise blocks of 8
//    consecutive values;
// 2. only values beyond a bound (one vector compare per block of 8: SSE2 on x86-64, NEON on
//    aarch64, plain C elsewhere; then the flagged lanes only) enter two short sorted lists by
//    insertion.
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
// Bit j of *lowBits: x[j] <= low; of *highBits: x[j] >= high (j < 8).
static inline void beyond8(const float *x, float low, float high, unsigned *lowBits, unsigned *highBits) {
    __m128 a = _mm_loadu_ps(x), b = _mm_loadu_ps(x + 4);
    __m128 lo = _mm_set1_ps(low), hi = _mm_set1_ps(high);
    *lowBits = (unsigned)(_mm_movemask_ps(_mm_cmple_ps(a, lo)) | (_mm_movemask_ps(_mm_cmple_ps(b, lo)) << 4));
    *highBits = (unsigned)(_mm_movemask_ps(_mm_cmpge_ps(a, hi)) | (_mm_movemask_ps(_mm_cmpge_ps(b, hi)) << 4));
}
// mn[l] / mx[l]: min / max of x[l], x[l + 16], ..., x[l + 16 (n / 16 - 1)] (n >= 16).
static void groupExtremes16(const float *x, long n, float *mn, float *mx) {
    __m128 lo[4], hi[4];
    for (int r = 0; r < 4; r++) lo[r] = hi[r] = _mm_loadu_ps(x + 4 * r);
    for (long i = 16; i + 16 <= n; i += 16) {
        for (int r = 0; r < 4; r++) {
            __m128 a = _mm_loadu_ps(x + i + 4 * r);
            lo[r] = _mm_min_ps(lo[r], a);
            hi[r] = _mm_max_ps(hi[r], a);
        }
    }
    for (int r = 0; r < 4; r++) { _mm_storeu_ps(mn + 4 * r, lo[r]); _mm_storeu_ps(mx + 4 * r, hi[r]); }
}
#elif defined(__ARM_NEON)
#include <arm_neon.h>
static inline void minMax8(const float *x, float *mn, float *mx) {
    float32x4_t a = vld1q_f32(x), b = vld1q_f32(x + 4);
    *mn = vminvq_f32(vminq_f32(a, b));
    *mx = vmaxvq_f32(vmaxq_f32(a, b));
}
static inline void beyond8(const float *x, float low, float high, unsigned *lowBits, unsigned *highBits) {
    static const uint32_t weightsA[4] = {1, 2, 4, 8}, weightsB[4] = {16, 32, 64, 128};
    float32x4_t a = vld1q_f32(x), b = vld1q_f32(x + 4);
    float32x4_t lo = vdupq_n_f32(low), hi = vdupq_n_f32(high);
    uint32x4_t wa = vld1q_u32(weightsA), wb = vld1q_u32(weightsB);
    *lowBits = vaddvq_u32(vorrq_u32(vandq_u32(vcleq_f32(a, lo), wa), vandq_u32(vcleq_f32(b, lo), wb)));
    *highBits = vaddvq_u32(vorrq_u32(vandq_u32(vcgeq_f32(a, hi), wa), vandq_u32(vcgeq_f32(b, hi), wb)));
}
static void groupExtremes16(const float *x, long n, float *mn, float *mx) {
    float32x4_t lo[4], hi[4];
    for (int r = 0; r < 4; r++) lo[r] = hi[r] = vld1q_f32(x + 4 * r);
    for (long i = 16; i + 16 <= n; i += 16) {
        for (int r = 0; r < 4; r++) {
            float32x4_t a = vld1q_f32(x + i + 4 * r);
            lo[r] = vminq_f32(lo[r], a);
            hi[r] = vmaxq_f32(hi[r], a);
        }
    }
    for (int r = 0; r < 4; r++) { vst1q_f32(mn + 4 * r, lo[r]); vst1q_f32(mx + 4 * r, hi[r]); }
}
#else
static inline void minMax8(const float *x, float *mn, float *mx) {
    float lo = x[0], hi = x[0];
    for (int j = 1; j < 8; j++) { lo = x[j] < lo ? x[j] : lo; hi = x[j] > hi ? x[j] : hi; }
    *mn = lo;
    *mx = hi;
}
static inline void beyond8(const float *x, float low, float high, unsigned *lowBits, unsigned *highBits) {
    unsigned l = 0, h = 0;
    for (int j = 0; j < 8; j++) { l |= (unsigned)(x[j] <= low) << j; h |= (unsigned)(x[j] >= high) << j; }
    *lowBits = l;
    *highBits = h;
}
static void groupExtremes16(const float *x, long n, float *mn, float *mx) {
    for (int l = 0; l < 16; l++) mn[l] = mx[l] = x[l];
    for (long i = 16; i + 16 <= n; i += 16) {
        for (int l = 0; l < 16; l++) {
            float v = x[i + l];
            mn[l] = v < mn[l] ? v : mn[l];
            mx[l] = v > mx[l] ? v : mx[l];
        }
    }
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
    // Pass 1: bounds from the group extremes (none when fewer groups than q: every value is offered).
    float lowBound = INFINITY, highBound = -INFINITY;
    if (q <= 16 && n >= 16) {
        float mn[16], mx[16];
        groupExtremes16(x, n, mn, mx);
        fill(lows, q, INFINITY);
        fill(highs, q, -INFINITY);
        float lowCut = INFINITY, highCut = -INFINITY;
        for (int l = 0; l < 16; l++) {
            if (mn[l] < lowCut) lowCut = enterLow(lows, q, mn[l]);
            if (mx[l] > highCut) highCut = enterHigh(highs, q, mx[l]);
        }
        lowBound = lowCut;
        highBound = highCut;
    } else if (blocks >= q) {
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
        unsigned lowBits, highBits;
        beyond8(x + i, lowBound, highBound, &lowBits, &highBits);
        // Only the flagged values, lowest index first (the lists do not depend on the order).
        for (; lowBits; lowBits &= lowBits - 1) {
            float v = x[i + __builtin_ctz(lowBits)];
            if (v < lowCut) lowCut = enterLow(lows, q, v);
        }
        for (; highBits; highBits &= highBits - 1) {
            float v = x[i + __builtin_ctz(highBits)];
            if (v > highCut) highCut = enterHigh(highs, q, v);
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
