// power_to_db's inner loop with AVX-512: 10 log10(max(amin, x)) - offset and the peak, with
// the Cephes log10f approximation of log10_poly.h (as Kernels.log10Normal).
#include "internal.h"

#if defined(__x86_64__)
#include "vec512.h"

MELCNN_TARGET_BEGIN("avx512f,avx512vl,avx2,fma")

#define LOG10_POLY log10Poly16
#include "log10_poly.h"

static inline __m512 log10Normal16(__m512 x) {
    __m512i bits = _mm512_castps_si512(x);
    __m512i mant = _mm512_and_si512(bits, _mm512_set1_epi32(0x007FFFFF));
    __mmask16 small = _mm512_cmplt_epi32_mask(mant, _mm512_set1_epi32(0x003504F3));
    __m512i scaled = _mm512_or_si512(mant, _mm512_mask_blend_epi32(small, _mm512_set1_epi32(0x3F000000),
                                                                    _mm512_set1_epi32(0x3F800000)));
    __m512i expo = _mm512_sub_epi32(_mm512_srli_epi32(bits, 23),
                                    _mm512_mask_blend_epi32(small, _mm512_set1_epi32(126), _mm512_set1_epi32(127)));
    __m512 r = log10Poly16(_mm512_sub_ps(_mm512_castsi512_ps(scaled), _mm512_set1_ps(1)), _mm512_cvtepi32_ps(expo));
    __mmask16 special = _mm512_cmpge_epu32_mask(bits, _mm512_set1_epi32(0x7F800000));  // +inf stays +inf
    return _mm512_mask_blend_ps(special, r, x);
}

float melcnnPowerToDbAVX512(float *v, long n, float amin, float offset) {
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

void melcnnClampBelowAVX512(float *v, long n, float floor) {
    __m512 vf = _mm512_set1_ps(floor);
    for (long i = 0; i < n; i += 16) {
        __mmask16 mask = laneMask(n - i);
        _mm512_mask_storeu_ps(v + i, mask, _mm512_max_ps(_mm512_maskz_loadu_ps(mask, v + i), vf));
    }
}

MELCNN_TARGET_END

#endif
