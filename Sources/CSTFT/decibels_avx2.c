// power_to_db's inner loop with AVX2: 10 log10(max(amin, x)) - offset and the peak, 8 lanes,
// with the same Cephes log10f approximation (log10_poly.h) as the AVX-512 route.
#include "internal.h"

#if defined(__x86_64__)
#include "vec256.h"

MELCNN_TARGET_BEGIN("avx2,fma")

#define LOG10_POLY log10Poly8
#include "log10_poly.h"

static inline __m256 log10Normal8(__m256 x) {
    __m256i bits = _mm256_castps_si256(x);
    __m256i mant = _mm256_and_si256(bits, _mm256_set1_epi32(0x007FFFFF));
    __m256i small = _mm256_cmpgt_epi32(_mm256_set1_epi32(0x003504F3), mant);
    __m256i scaled = _mm256_or_si256(mant, _mm256_blendv_epi8(_mm256_set1_epi32(0x3F000000),
                                                              _mm256_set1_epi32(0x3F800000), small));
    __m256i expo = _mm256_sub_epi32(_mm256_srli_epi32(bits, 23),
                                    _mm256_blendv_epi8(_mm256_set1_epi32(126), _mm256_set1_epi32(127), small));
    __m256 r = log10Poly8(_mm256_sub_ps(_mm256_castsi256_ps(scaled), _mm256_set1_ps(1)), _mm256_cvtepi32_ps(expo));
    // +inf stays +inf: bits >= 0x7F800000 as unsigned.
    __m256i special = _mm256_cmpeq_epi32(_mm256_max_epu32(bits, _mm256_set1_epi32(0x7F800000)), bits);
    return _mm256_blendv_ps(r, x, _mm256_castsi256_ps(special));
}

static inline __m256 toDb8(__m256 x, __m256 vamin, __m256 voff) {
    x = _mm256_max_ps(x, vamin);  // NaN -> amin
    return _mm256_fmsub_ps(_mm256_set1_ps(10), log10Normal8(x), voff);
}

float melcnnPowerToDbAVX2(float *v, long n, float amin, float offset) {
    __m256 vamin = _mm256_set1_ps(amin), voff = _mm256_set1_ps(offset);
    __m256 peak = _mm256_set1_ps(-__builtin_inff());
    long i = 0;
    for (; i + 8 <= n; i += 8) {
        __m256 db = toDb8(_mm256_loadu_ps(v + i), vamin, voff);
        _mm256_storeu_ps(v + i, db);
        peak = _mm256_max_ps(peak, db);
    }
    if (i < n) {  // masked tail (the masked-off lanes load 0, which becomes amin)
        __m256i mask = LANE_MASK8(n - i);
        __m256 db = toDb8(_mm256_maskload_ps(v + i, mask), vamin, voff);
        _mm256_maskstore_ps(v + i, mask, db);
        peak = _mm256_blendv_ps(peak, _mm256_max_ps(peak, db), _mm256_castsi256_ps(mask));
    }
    __m128 h = _mm_max_ps(_mm256_castps256_ps128(peak), _mm256_extractf128_ps(peak, 1));
    h = _mm_max_ps(h, _mm_movehl_ps(h, h));
    h = _mm_max_ss(h, _mm_shuffle_ps(h, h, 1));
    return _mm_cvtss_f32(h);
}

void melcnnClampBelowAVX2(float *v, long n, float floor) {
    __m256 vf = _mm256_set1_ps(floor);
    long i = 0;
    for (; i + 8 <= n; i += 8) _mm256_storeu_ps(v + i, _mm256_max_ps(_mm256_loadu_ps(v + i), vf));
    if (i < n) {
        __m256i mask = LANE_MASK8(n - i);
        _mm256_maskstore_ps(v + i, mask, _mm256_max_ps(_mm256_maskload_ps(v + i, mask), vf));
    }
}

MELCNN_TARGET_END

#endif
