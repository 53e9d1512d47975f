// The AVX2 route of the 16-frame power spectra: the 16 frames as two groups of 8, one frame
// per ymm lane, each group transposed into lanes, then stockham.h's FFT and real split on 8
// lanes, writing its half of every `power[k * 16 + l]` row. The mel projection and spectral
// contrast's band ends (band_extremes_lanes.h) likewise.
#include "internal.h"

#include <math.h>

#if defined(__x86_64__)
#include "vec256.h"

MELCNN_TARGET_BEGIN("avx2,fma")

// In-register 8x8 transpose: afterwards r[c] holds what was column c.
static inline void transpose8(__m256 r[8]) {
    __m256 t[8], s[8];
    for (int i = 0; i < 4; i++) {  // t[2i] = r0 r1 interleaved, low pairs of each 128-bit half
        t[2 * i] = _mm256_unpacklo_ps(r[2 * i], r[2 * i + 1]);
        t[2 * i + 1] = _mm256_unpackhi_ps(r[2 * i], r[2 * i + 1]);
    }
    for (int i = 0; i < 2; i++) {  // s[4i + c] = column c (and c + 4) of rows 4i ... 4i+3
        s[4 * i + 0] = _mm256_shuffle_ps(t[4 * i], t[4 * i + 2], 0x44);
        s[4 * i + 1] = _mm256_shuffle_ps(t[4 * i], t[4 * i + 2], 0xEE);
        s[4 * i + 2] = _mm256_shuffle_ps(t[4 * i + 1], t[4 * i + 3], 0x44);
        s[4 * i + 3] = _mm256_shuffle_ps(t[4 * i + 1], t[4 * i + 3], 0xEE);
    }
    for (int c = 0; c < 4; c++) {
        r[c] = _mm256_permute2f128_ps(s[c], s[4 + c], 0x20);
        r[4 + c] = _mm256_permute2f128_ps(s[c], s[4 + c], 0x31);
    }
}

#define TRANSPOSE transpose8
#define STOCKHAM stockham8
#include "stockham.h"

#define BAND_EXTREMES extremes8
#include "band_extremes_lanes.h"

// Scratch holds, per group (reused), stockham8's two arrays of m complex vectors laid out
// [index][re x 8, im x 8].
void melcnnPower16AVX2(const MelCNNFrameFFT *f, const float *const frames[16], const float *window,
                       float *power, float *scratch) {
    for (int g = 0; g < 2; g++) stockham8(f, frames + 8 * g, window, scratch, power + 8 * g);
}

// Band m of both frame groups: lo / hi = the sums for frames 0 ... 7 / 8 ... 15.
static inline void melBand(const float *power, long start, long length, const float *w, __m256 *lo, __m256 *hi) {
    __m256 a0 = _mm256_setzero_ps(), a1 = a0, b0 = a0, b1 = a0;
    const float *p = power + 16 * start;
    long i = 0;
    for (; i + 2 <= length; i += 2) {
        __m256 w0 = _mm256_set1_ps(w[i]), w1 = _mm256_set1_ps(w[i + 1]);
        a0 = _mm256_fmadd_ps(w0, _mm256_load_ps(p + 16 * i), a0);
        b0 = _mm256_fmadd_ps(w0, _mm256_load_ps(p + 16 * i + 8), b0);
        a1 = _mm256_fmadd_ps(w1, _mm256_load_ps(p + 16 * i + 16), a1);
        b1 = _mm256_fmadd_ps(w1, _mm256_load_ps(p + 16 * i + 24), b1);
    }
    if (i < length) {
        __m256 w0 = _mm256_set1_ps(w[i]);
        a0 = _mm256_fmadd_ps(w0, _mm256_load_ps(p + 16 * i), a0);
        b0 = _mm256_fmadd_ps(w0, _mm256_load_ps(p + 16 * i + 8), b0);
    }
    *lo = _mm256_add_ps(a0, a1);
    *hi = _mm256_add_ps(b0, b1);
}

void melcnnMel16AVX2(const float *power, long nMels, const long *starts, const long *lengths,
                     const long *offsets, const float *weights, float *out, long outStride, int count) {
    for (long m0 = 0; m0 < nMels; m0 += 8) {
        __m256 r[2][8];
        long bands = nMels - m0 < 8 ? nMels - m0 : 8;
        for (long b = 0; b < 8; b++) {
            r[0][b] = r[1][b] = _mm256_setzero_ps();
            if (b < bands) melBand(power, starts[m0 + b], lengths[m0 + b], weights + offsets[m0 + b], &r[0][b], &r[1][b]);
        }
        __m256i mask = LANE_MASK8(bands);
        for (int g = 0; g < 2 && 8 * g < count; g++) {
            transpose8(r[g]);  // r[g][l] = bands m0 ... m0+7 of frame 8g + l
            for (int l = 0; l < 8 && 8 * g + l < count; l++) {
                float *o = out + (8 * g + l) * outStride + m0;
                if (bands == 8) _mm256_storeu_ps(o, r[g][l]);
                else _mm256_maskstore_ps(o, mask, r[g][l]);
            }
        }
    }
}

// Both halves of the block, one after the other (the scratch of 16 q floats reused).
void melcnnBandExtremes16AVX2(const float *power, long lo, long hi, long q, double *lowSums, double *highSums,
                              float *scratch) {
    extremes8(power, lo, hi, q, 0, lowSums, highSums, scratch);
    extremes8(power, lo, hi, q, 8, lowSums, highSums, scratch);
}

MELCNN_TARGET_END

#endif
