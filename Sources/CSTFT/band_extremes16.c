// melcnn_band_extremes16 (cstft.h): spectral contrast's band ends straight from a block of 16
// power spectra (one frame per lane, as melcnn_frame_fft_power16 leaves them). Every lane keeps
// its q smallest and q largest powers in two sorted lists updated by a branch-free insertion
// (min / max down the list); the square roots come only at the end. The square root is
// monotone, so the lists hold the q smallest / largest magnitudes in sorted order, and the sums
// are melcnn_band_extremes' on the magnitudes, bit for bit. NaN powers never enter (as there).
// The routes are one body for any width (band_extremes_lanes.h), compiled into the AVX-512 and
// AVX2 files of the 16-frame kernels; this file dispatches and sums.
#include "internal.h"

#include "ccpu.h"

#include <math.h>

void melcnnBandLaneSums(const float *lows, const float *highs, long q, long stride, double *lowSum, double *highSum) {
    double low = 0, high = 0;
    for (long j = 0; j < q; j++) {
        float a = lows[j * stride], b = highs[j * stride];
        low += a == -INFINITY ? a : sqrtf(a);
        high += b == -INFINITY ? b : sqrtf(b);
    }
    *lowSum = low;
    *highSum = high;
}

int melcnn_band_extremes16(const float *power, long lo, long hi, long q, double *lowSums, double *highSums,
                           float *scratch) {
    if (q < 1 || q > MELCNN_BAND_EXTREMES16_MAX_Q || hi - lo < q) return -1;
#if defined(__x86_64__)
    int level = melcnn_isa_level();
    if (level >= MELCNN_ISA_AVX512) { melcnnBandExtremes16AVX512(power, lo, hi, q, lowSums, highSums, scratch); return 0; }
    if (level >= MELCNN_ISA_AVX2) { melcnnBandExtremes16AVX2(power, lo, hi, q, lowSums, highSums, scratch); return 0; }
#endif
    (void)power; (void)lowSums; (void)highSums; (void)scratch;
    return -1;
}
