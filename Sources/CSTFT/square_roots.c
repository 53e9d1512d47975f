// melcnn_square_roots (cstft.h): correctly rounded square roots four at a time with SSE2 (every
// x86-64 CPU) or NEON (aarch64), one at a time elsewhere; IEEE square roots are exact to the
// last bit, so every route gives the same values.
#include "cstft.h"

#include <math.h>

#if defined(__x86_64__)
#include <immintrin.h>
#elif defined(__aarch64__)
#include <arm_neon.h>
#endif

void melcnn_square_roots(float *x, long n) {
    long i = 0;
#if defined(__x86_64__)
    for (; i + 4 <= n; i += 4) _mm_storeu_ps(x + i, _mm_sqrt_ps(_mm_loadu_ps(x + i)));
    for (; i < n; i++) _mm_store_ss(x + i, _mm_sqrt_ss(_mm_load_ss(x + i)));
#elif defined(__aarch64__)
    for (; i + 4 <= n; i += 4) vst1q_f32(x + i, vsqrtq_f32(vld1q_f32(x + i)));
    for (; i < n; i++) x[i] = vgetq_lane_f32(vsqrtq_f32(vdupq_n_f32(x[i])), 0);
#else
    for (; i < n; i++) x[i] = sqrtf(x[i]);
#endif
}
