#ifndef MELCNN_CSTFT_VEC256_H
#define MELCNN_CSTFT_VEC256_H
// The vector operations of the shared kernel bodies (stockham.h, log10_poly.h, band_extremes_lanes.h), 8 lanes.
#if defined(__x86_64__)  // included only by the x86-64 routes, which are guarded too
#include <immintrin.h>

#define VF __m256
#define LANES 8
#define VADD _mm256_add_ps
#define VSUB _mm256_sub_ps
#define VMUL _mm256_mul_ps
#define VFMADD _mm256_fmadd_ps
#define VFMSUB _mm256_fmsub_ps
#define VSET1 _mm256_set1_ps
#define VLOAD _mm256_load_ps
#define VSTORE _mm256_store_ps
#define VZERO _mm256_setzero_ps()
#define VMIN _mm256_min_ps
#define VMAX _mm256_max_ps
#define VLOADU _mm256_loadu_ps
#define VSTOREU _mm256_storeu_ps
#define VIF_ORDERED(v, fill) _mm256_blendv_ps((fill), (v), _mm256_cmp_ps((v), (v), _CMP_ORD_Q))

// The first `count` of 8 lanes as a vector mask (all bits set in a chosen lane).
#define LANE_MASK8(count) \
    _mm256_cmpgt_epi32(_mm256_set1_epi32((int)((count) < 8 ? (count) : 8)), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7))

#endif

#endif
