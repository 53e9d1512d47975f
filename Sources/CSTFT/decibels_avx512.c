// power_to_db's inner loop with AVX-512: 10 log10(max(amin, x)) - offset and the peak, with
// the Cephes log10f approximation (a mantissa in [sqrt(1/2), sqrt(2)), a degree-9 polynomial
// for log(1 + f), log10(e) and log10(2) as split constants) that Kernels.log10Normal uses.
#include "cstft.h"

#include <immintrin.h>

#include "lanes.h"

#pragma clang attribute push(__attribute__((target("avx512f,avx512vl,avx2,fma"))), apply_to = function)

static inline __m512 log10Normal16(__m512 x) {
    __m512i bits = _mm512_castps_si512(x);
    __m512i mant = _mm512_and_si512(bits, _mm512_set1_epi32(0x007FFFFF));
    __mmask16 small = _mm512_cmplt_epi32_mask(mant, _mm512_set1_epi32(0x003504F3));
    __m512i scaled = _mm512_or_si512(mant, _mm512_mask_blend_epi32(small, _mm512_set1_epi32(0x3F000000),
                                                                    _mm512_set1_epi32(0x3F800000)));
    __m512i expo = _mm512_sub_epi32(_mm512_srli_epi32(bits, 23),
                                    _mm512_mask_blend_epi32(small, _mm512_set1_epi32(126), _mm512_set1_epi32(127)));
    __m512 e = _mm512_cvtepi32_ps(expo);
    __m512 f = _mm512_sub_ps(_mm512_castsi512_ps(scaled), _mm512_set1_ps(1));
    __m512 z = _mm512_mul_ps(f, f);
    __m512 p = _mm512_set1_ps(7.0376836292e-2f);
    p = _mm512_fmadd_ps(p, f, _mm512_set1_ps(-1.1514610310e-1f));
    p = _mm512_fmadd_ps(p, f, _mm512_set1_ps(1.1676998740e-1f));
    p = _mm512_fmadd_ps(p, f, _mm512_set1_ps(-1.2420140846e-1f));
    p = _mm512_fmadd_ps(p, f, _mm512_set1_ps(1.4249322787e-1f));
    p = _mm512_fmadd_ps(p, f, _mm512_set1_ps(-1.6668057665e-1f));
    p = _mm512_fmadd_ps(p, f, _mm512_set1_ps(2.0000714765e-1f));
    p = _mm512_fmadd_ps(p, f, _mm512_set1_ps(-2.4999993993e-1f));
    p = _mm512_fmadd_ps(p, f, _mm512_set1_ps(3.3333331174e-1f));
    __m512 y = _mm512_fmsub_ps(_mm512_mul_ps(f, z), p, _mm512_mul_ps(_mm512_set1_ps(0.5f), z));
    __m512 r = _mm512_mul_ps(y, _mm512_set1_ps(7.00731903251827651129e-4f));
    r = _mm512_fmadd_ps(f, _mm512_set1_ps(7.00731903251827651129e-4f), r);
    r = _mm512_fmadd_ps(e, _mm512_set1_ps(2.48745663981195213739e-4f), r);
    r = _mm512_fmadd_ps(y, _mm512_set1_ps(4.3359375e-1f), r);
    r = _mm512_fmadd_ps(f, _mm512_set1_ps(4.3359375e-1f), r);
    r = _mm512_fmadd_ps(e, _mm512_set1_ps(3.0078125e-1f), r);
    __mmask16 special = _mm512_cmpge_epu32_mask(bits, _mm512_set1_epi32(0x7F800000));  // +inf stays +inf
    return _mm512_mask_blend_ps(special, r, x);
}

static float powerToDb16(float *v, long n, float amin, float offset) {
    __m512 vamin = _mm512_set1_ps(amin), voff = _mm512_set1_ps(offset), ten = _mm512_set1_ps(10);
    __m512 peak = _mm512_set1_ps(-__builtin_inff());
    long i = 0;
    for (; i < n; i += 16) {
        __mmask16 mask = laneMask(n - i);
        __m512 x = _mm512_max_ps(_mm512_maskz_loadu_ps(mask, v + i), vamin);  // NaN -> amin
        __m512 db = _mm512_fmsub_ps(ten, log10Normal16(x), voff);
        _mm512_mask_storeu_ps(v + i, mask, db);
        peak = _mm512_mask_max_ps(peak, mask, peak, db);
    }
    return _mm512_reduce_max_ps(peak);
}

static void clampBelow16(float *v, long n, float floor) {
    __m512 vf = _mm512_set1_ps(floor);
    for (long i = 0; i < n; i += 16) {
        __mmask16 mask = laneMask(n - i);
        _mm512_mask_storeu_ps(v + i, mask, _mm512_max_ps(_mm512_maskz_loadu_ps(mask, v + i), vf));
    }
}

#pragma clang attribute pop

int melcnn_power_to_db(float *values, long n, float amin, float offset, float *peak) {
    if (!melcnn_stft_available()) return -1;
    *peak = powerToDb16(values, n, amin, offset);
    return 0;
}

int melcnn_clamp_below(float *values, long n, float floor) {
    if (!melcnn_stft_available()) return -1;
    clampBelow16(values, n, floor);
    return 0;
}
