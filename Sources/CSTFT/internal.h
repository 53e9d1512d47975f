#ifndef MELCNN_CSTFT_INTERNAL_H
#define MELCNN_CSTFT_INTERNAL_H
// Shared by the CSTFT kernels: the transform's data and each instruction set's routes, which
// the entry points in cstft.c pick between with melcnn_isa_level().
#include "cstft.h"

struct MelCNNFrameFFT {
    long n, m;    // real size n, complex size m = n / 2 (a power of two)
    int route;    // the MELCNN_ISA_ level it was made for (AVX2 or AVX512)
    float *tw;    // per radix-8 stage of length len: w^(k p) (re, im), k = 1 ... 7, p < len / 8;
                  // then a radix-4 stage of length 4: three unit twiddles
    float *split; // real-split twiddles e^{-2 pi i k / n}, k < m: (re, im)
};

// MELCNN_TARGET_BEGIN("avx2,fma") ... MELCNN_TARGET_END: the functions between are compiled for
// that instruction set, with clang (SwiftPM) and gcc alike.
#define MELCNN_PRAGMA(...) _Pragma(#__VA_ARGS__)
#if defined(__clang__)
#define MELCNN_TARGET_BEGIN(isa) MELCNN_PRAGMA(clang attribute push(__attribute__((target(isa))), apply_to = function))
#define MELCNN_TARGET_END MELCNN_PRAGMA(clang attribute pop)
#else
#define MELCNN_TARGET_BEGIN(isa) MELCNN_PRAGMA(GCC push_options) MELCNN_PRAGMA(GCC target(isa))
#define MELCNN_TARGET_END MELCNN_PRAGMA(GCC pop_options)
#endif

// Where the FFT's second work array starts in the scratch, after the first (floats): 2 KB
// more than its size, so that the two arrays' addresses differ in their low 12 bits. The
// Stockham stages load from one array while storing to the other, and with arrays a multiple
// of 4 KB apart those loads falsely wait on the stores (4K aliasing): 10% of either route's
// time per 2048-point frame on AMD EPYC. stockham.h lays the arrays out.
#define MELCNN_FFT_WORK_OFFSET 512

#if defined(__x86_64__)
// The routes: 16 frames as one group of 16 lanes (AVX-512) or two groups of 8 (AVX2), each
// with the contract of the entry point of the same name in cstft.h.
void melcnnPower16AVX512(const MelCNNFrameFFT *fft, const float *const frames[16], const float *window,
                         float *power, float *scratch);
void melcnnPower16AVX2(const MelCNNFrameFFT *fft, const float *const frames[16], const float *window,
                       float *power, float *scratch);
void melcnnMel16AVX512(const float *power, long nMels, const long *starts, const long *lengths,
                       const long *offsets, const float *weights, float *out, long outStride, int count);
void melcnnMel16AVX2(const float *power, long nMels, const long *starts, const long *lengths,
                     const long *offsets, const float *weights, float *out, long outStride, int count);
/// Returns the peak.
float melcnnPowerToDbAVX512(float *values, long n, float amin, float offset);
float melcnnPowerToDbAVX2(float *values, long n, float amin, float offset);
void melcnnClampBelowAVX512(float *values, long n, float floor);
void melcnnClampBelowAVX2(float *values, long n, float floor);
void melcnnBandExtremes16AVX512(const float *power, long lo, long hi, long q, double *lowSums, double *highSums,
                                float *scratch);
void melcnnBandExtremes16AVX2(const float *power, long lo, long hi, long q, double *lowSums, double *highSums,
                              float *scratch);
#endif

// The sums of one lane's lists of melcnn_band_extremes16 (`stride` floats apart): square roots
// of the powers in list order (-inf, an empty place, as it is), added in double.
void melcnnBandLaneSums(const float *lows, const float *highs, long q, long stride, double *lowSum, double *highSum);

#endif
