#ifndef MELCNN_CSTFT_VEC512_H
#define MELCNN_CSTFT_VEC512_H
// The vector operations of the shared kernel bodies (stockham.h, log10_poly.h, band_extremes_lanes.h), 16 lanes.
#if defined(__x86_64__)  // included only by the x86-64 routes, which are guarded too
#include <immintrin.h>

#define VF __m512
#define LANES 16
#define VADD _mm512_add_ps
#define VSUB _mm512_sub_ps
#define VMUL _mm512_mul_ps
#define VFMADD _mm512_fmadd_ps
#define VFMSUB _mm512_fmsub_ps
#define VSET1 _mm512_set1_ps
#define VLOAD _mm512_load_ps
#define VSTORE _mm512_store_ps
#define VZERO _mm512_setzero_ps()
#define VMIN _mm512_min_ps
#define VMAX _mm512_max_ps
#define VLOADU _mm512_loadu_ps
#define VSTOREU _mm512_storeu_ps
#define VIF_ORDERED(v, fill) _mm512_mask_blend_ps(_mm512_cmp_ps_mask((v), (v), _CMP_ORD_Q), (fill), (v))

// The first `count` of 16 lanes (none for count <= 0, all for count >= 16).
static inline __mmask16 laneMask(long count) {
    return count <= 0 ? 0 : count >= 16 ? 0xFFFF : (__mmask16)((1u << count) - 1);
}

#endif

#endif
