// Power spectra of 16 windowed frames at once, one frame per AVX-512 lane (melcnn's fast
// path for log-mel spectrograms): the frames are transposed into lanes, then stockham.h's FFT
// and real split run on 16 lanes. librosa's STFT power = |FFT(window * frame)|^2. The mel
// projection and spectral contrast's band ends (band_extremes_lanes.h) on 16 lanes too.
#include "internal.h"

#include <math.h>

#if defined(__x86_64__)
#include "vec512.h"

MELCNN_TARGET_BEGIN("avx512f,avx512vl,avx2,fma")

// In-register 16x16 transpose: afterwards r[c] holds what was column c.
static inline void transpose16(__m512 r[16]) {
    __m512 t[16];
    for (int i = 0; i < 8; i++) {
        t[2 * i] = _mm512_unpacklo_ps(r[2 * i], r[2 * i + 1]);
        t[2 * i + 1] = _mm512_unpackhi_ps(r[2 * i], r[2 * i + 1]);
    }
    for (int i = 0; i < 4; i++) {
        r[4 * i + 0] = _mm512_castpd_ps(_mm512_unpacklo_pd(_mm512_castps_pd(t[4 * i + 0]), _mm512_castps_pd(t[4 * i + 2])));
        r[4 * i + 1] = _mm512_castpd_ps(_mm512_unpackhi_pd(_mm512_castps_pd(t[4 * i + 0]), _mm512_castps_pd(t[4 * i + 2])));
        r[4 * i + 2] = _mm512_castpd_ps(_mm512_unpacklo_pd(_mm512_castps_pd(t[4 * i + 1]), _mm512_castps_pd(t[4 * i + 3])));
        r[4 * i + 3] = _mm512_castpd_ps(_mm512_unpackhi_pd(_mm512_castps_pd(t[4 * i + 1]), _mm512_castps_pd(t[4 * i + 3])));
    }
    // now r[4i + j] holds, in each 128-bit lane L, elements (row 4i..4i+3 of lane L) col j of block
    for (int i = 0; i < 4; i++) {
        t[i] = _mm512_shuffle_f32x4(r[i], r[4 + i], 0x88);
        t[4 + i] = _mm512_shuffle_f32x4(r[i], r[4 + i], 0xdd);
        t[8 + i] = _mm512_shuffle_f32x4(r[8 + i], r[12 + i], 0x88);
        t[12 + i] = _mm512_shuffle_f32x4(r[8 + i], r[12 + i], 0xdd);
    }
    for (int i = 0; i < 4; i++) {
        r[i] = _mm512_shuffle_f32x4(t[i], t[8 + i], 0x88);
        r[8 + i] = _mm512_shuffle_f32x4(t[i], t[8 + i], 0xdd);
        r[4 + i] = _mm512_shuffle_f32x4(t[4 + i], t[12 + i], 0x88);
        r[12 + i] = _mm512_shuffle_f32x4(t[4 + i], t[12 + i], 0xdd);
    }
}

#define TRANSPOSE transpose16
#define STOCKHAM stockham16
#include "stockham.h"

#define BAND_EXTREMES extremes16
#include "band_extremes_lanes.h"

// Scratch holds stockham16's two arrays of m complex vectors, laid out [index][re x 16, im x 16].
void melcnnPower16AVX512(const MelCNNFrameFFT *f, const float *const frames[16], const float *window,
                         float *power, float *scratch) {
    stockham16(f, frames, window, scratch, power);
}

void melcnnMel16AVX512(const float *power, long nMels, const long *starts, const long *lengths,
                       const long *offsets, const float *weights, float *out, long outStride, int count) {
    for (long m0 = 0; m0 < nMels; m0 += 16) {
        __m512 r[16];
        long bands = nMels - m0 < 16 ? nMels - m0 : 16;
        for (long b = 0; b < 16; b++) {
            __m512 acc0 = _mm512_setzero_ps(), acc1 = acc0;
            if (b < bands) {
                long m = m0 + b, n = lengths[m], i = 0;
                const float *w = weights + offsets[m], *p = power + 16 * starts[m];
                for (; i + 2 <= n; i += 2) {
                    acc0 = _mm512_fmadd_ps(_mm512_set1_ps(w[i]), _mm512_load_ps(p + 16 * i), acc0);
                    acc1 = _mm512_fmadd_ps(_mm512_set1_ps(w[i + 1]), _mm512_load_ps(p + 16 * i + 16), acc1);
                }
                if (i < n) acc0 = _mm512_fmadd_ps(_mm512_set1_ps(w[i]), _mm512_load_ps(p + 16 * i), acc0);
            }
            r[b] = _mm512_add_ps(acc0, acc1);
        }
        transpose16(r);  // r[l] = bands m0 ... m0+15 of frame l
        __mmask16 mask = laneMask(bands);
        for (int l = 0; l < count; l++) _mm512_mask_storeu_ps(out + l * outStride + m0, mask, r[l]);
    }
}

void melcnnBandExtremes16AVX512(const float *power, long lo, long hi, long q, double *lowSums, double *highSums,
                                float *scratch) {
    extremes16(power, lo, hi, q, 0, lowSums, highSums, scratch);
}

MELCNN_TARGET_END

#endif
