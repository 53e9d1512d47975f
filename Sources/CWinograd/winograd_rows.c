// melcnn_winograd_rows (cwinograd.h): one function per route, chosen at each call from
// melcnn_isa_level(). Each output row is a short sum of scaled source rows (at most 8 terms
// for the transforms F(m, r) melcnn uses), so a row is produced in one pass over its length
// with the running sum in registers.
#include "cwinograd.h"

#include "ccpu.h"

#if defined(__x86_64__)
#include <immintrin.h>
#endif

static void rowsGeneric(long rows, long length, const float *src, const float *coef, const long *srcOffset,
                        const long *start, float *dst, const long *dstOffset, int accumulate) {
    for (long o = 0; o < rows; o++) {
        float *out = dst + dstOffset[o];
        long lo = start[o], hi = start[o + 1];
        for (long i = 0; i < length; i++) {
            float acc = 0;
            for (long t = lo; t < hi; t++) acc += coef[t] * src[srcOffset[t] + i];
            out[i] = accumulate ? out[i] + acc : acc;
        }
    }
}

#if defined(__x86_64__)
__attribute__((target("avx,avx2,fma")))
static void rowsAVX2(long rows, long length, const float *src, const float *coef, const long *srcOffset,
                     const long *start, float *dst, const long *dstOffset, int accumulate) {
    for (long o = 0; o < rows; o++) {
        float *out = dst + dstOffset[o];
        long lo = start[o], hi = start[o + 1], i = 0;
        for (; i + 8 <= length; i += 8) {
            __m256 acc = accumulate ? _mm256_loadu_ps(out + i) : _mm256_setzero_ps();
            for (long t = lo; t < hi; t++)
                acc = _mm256_fmadd_ps(_mm256_set1_ps(coef[t]), _mm256_loadu_ps(src + srcOffset[t] + i), acc);
            _mm256_storeu_ps(out + i, acc);
        }
        for (; i < length; i++) {
            float acc = accumulate ? out[i] : 0;
            for (long t = lo; t < hi; t++) acc = __builtin_fmaf(coef[t], src[srcOffset[t] + i], acc);
            out[i] = acc;
        }
    }
}

__attribute__((target("avx,avx2,fma,avx512f")))
static void rowsAVX512(long rows, long length, const float *src, const float *coef, const long *srcOffset,
                       const long *start, float *dst, const long *dstOffset, int accumulate) {
    for (long o = 0; o < rows; o++) {
        float *out = dst + dstOffset[o];
        long lo = start[o], hi = start[o + 1];
        for (long i = 0; i < length; i += 16) {
            __mmask16 mask = length - i >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << (length - i)) - 1);
            __m512 acc = accumulate ? _mm512_maskz_loadu_ps(mask, out + i) : _mm512_setzero_ps();
            for (long t = lo; t < hi; t++)
                acc = _mm512_fmadd_ps(_mm512_set1_ps(coef[t]), _mm512_maskz_loadu_ps(mask, src + srcOffset[t] + i), acc);
            _mm512_mask_storeu_ps(out + i, mask, acc);
        }
    }
}
#endif

void melcnn_winograd_rows(long rows, long length, const float *src, const float *coef, const long *srcOffset,
                          const long *start, float *dst, const long *dstOffset, int accumulate) {
#if defined(__x86_64__)
    int level = melcnn_isa_level();
    if (level >= MELCNN_ISA_AVX512) { rowsAVX512(rows, length, src, coef, srcOffset, start, dst, dstOffset, accumulate); return; }
    if (level >= MELCNN_ISA_AVX2) { rowsAVX2(rows, length, src, coef, srcOffset, start, dst, dstOffset, accumulate); return; }
#endif
    rowsGeneric(rows, length, src, coef, srcOffset, start, dst, dstOffset, accumulate);
}

const char *melcnn_winograd_kernel(void) {
    return melcnn_isa_route_name("avx512 16 lanes", "avx2 8 lanes", "generic");
}
