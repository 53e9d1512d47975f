// The entry points of cstft.h: each picks its route (AVX-512, AVX2, or none / plain C) with
// melcnn_isa_level(); a transform keeps the route it was made for.
#include "internal.h"

#include <math.h>
#include <stdlib.h>

#include "ccpu.h"

// The level the routes go by: always generic off x86-64 (no route is compiled there).
static int level(void) {
#if defined(__x86_64__)
    return melcnn_isa_level();
#else
    return MELCNN_ISA_GENERIC;
#endif
}

int melcnn_stft_available(void) { return level() >= MELCNN_ISA_AVX2; }

const char *melcnn_stft_kernel(void) {
    return melcnn_isa_route_name("avx512 16 lanes", "avx2 8 lanes", "none");
}

MelCNNFrameFFT *melcnn_frame_fft_create(long n) {
    long m = n / 2;
    int route = level();
    if (route < MELCNN_ISA_AVX2 || n < 32 || (m & (m - 1)) != 0) return NULL;
    MelCNNFrameFFT *f = malloc(sizeof(MelCNNFrameFFT));
    if (f == NULL) return NULL;
    f->n = n; f->m = m; f->route = route;
    long total = 0, len = m;
    while (len >= 8) { total += 14 * (len / 8); len /= 8; }
    if (len == 4) total += 6;
    f->tw = aligned_alloc(64, ((total + 16) * sizeof(float) + 63) / 64 * 64);
    f->split = aligned_alloc(64, ((2 * m + 16) * sizeof(float) + 63) / 64 * 64);
    if (f->tw == NULL || f->split == NULL) { free(f->tw); free(f->split); free(f); return NULL; }
    float *t = f->tw;
    len = m;
    while (len >= 8) {  // radix-8 stages: w^(k p), k = 1 ... 7, for p < len / 8
        long q = len / 8;
        for (long p = 0; p < q; p++)
            for (int k = 1; k < 8; k++) {
                double th = 2 * M_PI * (double)(k * p) / (double)len;
                t[14 * p + 2 * (k - 1)] = (float)cos(th);
                t[14 * p + 2 * (k - 1) + 1] = (float)-sin(th);
            }
        t += 14 * q; len /= 8;
    }
    if (len == 4) {     // one radix-4 stage of length 4: p = 0 only, unit twiddles
        for (int k = 0; k < 3; k++) { t[2 * k] = 1; t[2 * k + 1] = 0; }
    }
    for (long k = 0; k < m; k++) {
        double th = 2 * M_PI * (double)k / (double)n;
        f->split[2 * k] = (float)cos(th); f->split[2 * k + 1] = (float)-sin(th);
    }
    return f;
}

long melcnn_frame_fft_scratch_floats(long n) { return 32 * n + MELCNN_FFT_WORK_OFFSET; }

void melcnn_frame_fft_power16(const MelCNNFrameFFT *fft, const float *const frames[16], const float *window,
                              float *power, float *scratch) {
#if defined(__x86_64__)
    if (fft->route == MELCNN_ISA_AVX512) melcnnPower16AVX512(fft, frames, window, power, scratch);
    else melcnnPower16AVX2(fft, frames, window, power, scratch);
#else
    (void)fft; (void)frames; (void)window; (void)power; (void)scratch;  // never made here
#endif
}

void melcnn_mel16(const float *power, long nMels, const long *starts, const long *lengths,
                  const long *offsets, const float *weights, float *out, long outStride, int count) {
#if defined(__x86_64__)
    int route = level();
    if (route == MELCNN_ISA_AVX512) {
        melcnnMel16AVX512(power, nMels, starts, lengths, offsets, weights, out, outStride, count);
        return;
    }
    if (route == MELCNN_ISA_AVX2) {
        melcnnMel16AVX2(power, nMels, starts, lengths, offsets, weights, out, outStride, count);
        return;
    }
#endif
    for (int l = 0; l < count; l++)
        for (long m = 0; m < nMels; m++) {
            const float *w = weights + offsets[m], *p = power + 16 * starts[m] + l;
            float sum = 0;
            for (long i = 0; i < lengths[m]; i++) sum += w[i] * p[16 * i];
            out[l * outStride + m] = sum;
        }
}

int melcnn_power_to_db(float *values, long n, float amin, float offset, float *peak) {
#if defined(__x86_64__)
    int route = level();
    if (route == MELCNN_ISA_AVX512) { *peak = melcnnPowerToDbAVX512(values, n, amin, offset); return 0; }
    if (route == MELCNN_ISA_AVX2) { *peak = melcnnPowerToDbAVX2(values, n, amin, offset); return 0; }
#else
    (void)values; (void)n; (void)amin; (void)offset; (void)peak;
#endif
    return -1;
}

int melcnn_clamp_below(float *values, long n, float floor) {
#if defined(__x86_64__)
    int route = level();
    if (route == MELCNN_ISA_AVX512) { melcnnClampBelowAVX512(values, n, floor); return 0; }
    if (route == MELCNN_ISA_AVX2) { melcnnClampBelowAVX2(values, n, floor); return 0; }
#else
    (void)values; (void)n; (void)floor;
#endif
    return -1;
}
