// melcnn_running_median (cmedian.h): one function per route, chosen at each call from
// melcnn_isa_level(). Each keeps every lane's window sorted in `w[0 ..< k]` (lanes
// interleaved) and per step, for j < k - 1, with `old` the value leaving and `new` the one
// entering the window:
//
//     removed_j = w[j] >= old ? w[j + 1] : w[j]          (w without old, shifted down)
//     w'[j]     = min(removed_j, max(removed_{j-1}, new)) (new inserted; j = 0: min(removed_0, new))
//     w'[k - 1] = max(removed_{k-2}, new)
//
// with comparisons in the order of the SSE/AVX min and max instructions (the second operand
// wins when one is NaN), so that every route gives the same bits. The window starts as +inf,
// which the first k steps remove.
#include "cmedian.h"

#include <math.h>

#include "ccpu.h"

#if defined(__x86_64__)
#include <immintrin.h>
#endif

#define LANES MELCNN_MEDIAN_LANES

static void medianGeneric(const float *x, float *out, long n, long k, float *w) {
    static const float inf[LANES] = {INFINITY, INFINITY, INFINITY, INFINITY, INFINITY, INFINITY, INFINITY, INFINITY,
                                     INFINITY, INFINITY, INFINITY, INFINITY, INFINITY, INFINITY, INFINITY, INFINITY};
    for (long j = 0; j < k * LANES; j++) w[j] = INFINITY;
    for (long i = 0; i < n + k - 1; i++) {
        const float *in = x + i * LANES, *old = i >= k ? x + (i - k) * LANES : inf;
        float prev[LANES];
        for (int l = 0; l < LANES; l++) {
            float cur = w[l], next = w[LANES + l];
            float removed = cur >= old[l] ? next : cur;
            w[l] = in[l] < removed ? in[l] : removed;
            prev[l] = removed;
        }
        for (long j = 1; j < k - 1; j++) {
            float *wj = w + j * LANES;
            for (int l = 0; l < LANES; l++) {
                float cur = wj[l], next = wj[LANES + l];
                float removed = cur >= old[l] ? next : cur;
                float low = in[l] > prev[l] ? in[l] : prev[l];
                wj[l] = low < removed ? low : removed;
                prev[l] = removed;
            }
        }
        for (int l = 0; l < LANES; l++) w[(k - 1) * LANES + l] = in[l] > prev[l] ? in[l] : prev[l];
        if (i >= k - 1)
            for (int l = 0; l < LANES; l++) out[(i - k + 1) * LANES + l] = w[(k / 2) * LANES + l];
    }
}

#if defined(__x86_64__)
// The 16 lanes as two independent halves of 8, interleaved for instruction-level parallelism.
__attribute__((target("avx,avx2,fma")))
static void medianAVX2(const float *x, float *out, long n, long k, float *w) {
    const __m256 inf = _mm256_set1_ps(INFINITY);
    for (long j = 0; j < k * LANES; j += 8) _mm256_storeu_ps(w + j, inf);
    for (long i = 0; i < n + k - 1; i++) {
        __m256 in0 = _mm256_loadu_ps(x + i * LANES), in1 = _mm256_loadu_ps(x + i * LANES + 8);
        __m256 old0 = inf, old1 = inf;
        if (i >= k) { old0 = _mm256_loadu_ps(x + (i - k) * LANES); old1 = _mm256_loadu_ps(x + (i - k) * LANES + 8); }
        __m256 next0 = _mm256_loadu_ps(w), next1 = _mm256_loadu_ps(w + 8);
        __m256 cur0 = next0, cur1 = next1;
        next0 = _mm256_loadu_ps(w + LANES); next1 = _mm256_loadu_ps(w + LANES + 8);
        __m256 prev0 = _mm256_blendv_ps(cur0, next0, _mm256_cmp_ps(cur0, old0, _CMP_GE_OQ));
        __m256 prev1 = _mm256_blendv_ps(cur1, next1, _mm256_cmp_ps(cur1, old1, _CMP_GE_OQ));
        _mm256_storeu_ps(w, _mm256_min_ps(in0, prev0));
        _mm256_storeu_ps(w + 8, _mm256_min_ps(in1, prev1));
        for (long j = 1; j < k - 1; j++) {
            float *wj = w + j * LANES;
            cur0 = next0; cur1 = next1;
            next0 = _mm256_loadu_ps(wj + LANES); next1 = _mm256_loadu_ps(wj + LANES + 8);
            __m256 removed0 = _mm256_blendv_ps(cur0, next0, _mm256_cmp_ps(cur0, old0, _CMP_GE_OQ));
            __m256 removed1 = _mm256_blendv_ps(cur1, next1, _mm256_cmp_ps(cur1, old1, _CMP_GE_OQ));
            _mm256_storeu_ps(wj, _mm256_min_ps(_mm256_max_ps(in0, prev0), removed0));
            _mm256_storeu_ps(wj + 8, _mm256_min_ps(_mm256_max_ps(in1, prev1), removed1));
            prev0 = removed0; prev1 = removed1;
        }
        _mm256_storeu_ps(w + (k - 1) * LANES, _mm256_max_ps(in0, prev0));
        _mm256_storeu_ps(w + (k - 1) * LANES + 8, _mm256_max_ps(in1, prev1));
        if (i >= k - 1) {
            _mm256_storeu_ps(out + (i - k + 1) * LANES, _mm256_loadu_ps(w + (k / 2) * LANES));
            _mm256_storeu_ps(out + (i - k + 1) * LANES + 8, _mm256_loadu_ps(w + (k / 2) * LANES + 8));
        }
    }
}

__attribute__((target("avx,avx2,fma,avx512f")))
static void medianAVX512(const float *x, float *out, long n, long k, float *w) {
    const __m512 inf = _mm512_set1_ps(INFINITY);
    for (long j = 0; j < k * LANES; j += LANES) _mm512_storeu_ps(w + j, inf);
    for (long i = 0; i < n + k - 1; i++) {
        __m512 in = _mm512_loadu_ps(x + i * LANES);
        __m512 old = i >= k ? _mm512_loadu_ps(x + (i - k) * LANES) : inf;
        __m512 cur = _mm512_loadu_ps(w), next = _mm512_loadu_ps(w + LANES);
        __m512 prev = _mm512_mask_blend_ps(_mm512_cmp_ps_mask(cur, old, _CMP_GE_OQ), cur, next);
        _mm512_storeu_ps(w, _mm512_min_ps(in, prev));
        for (long j = 1; j < k - 1; j++) {
            float *wj = w + j * LANES;
            cur = next;
            next = _mm512_loadu_ps(wj + LANES);
            __m512 removed = _mm512_mask_blend_ps(_mm512_cmp_ps_mask(cur, old, _CMP_GE_OQ), cur, next);
            _mm512_storeu_ps(wj, _mm512_min_ps(_mm512_max_ps(in, prev), removed));
            prev = removed;
        }
        _mm512_storeu_ps(w + (k - 1) * LANES, _mm512_max_ps(in, prev));
        if (i >= k - 1) _mm512_storeu_ps(out + (i - k + 1) * LANES, _mm512_loadu_ps(w + (k / 2) * LANES));
    }
}
#endif

void melcnn_running_median(const float *x, float *out, long count, long size, float *window) {
#if defined(__x86_64__)
    int level = melcnn_isa_level();
    if (level >= MELCNN_ISA_AVX512) { medianAVX512(x, out, count, size, window); return; }
    if (level >= MELCNN_ISA_AVX2) { medianAVX2(x, out, count, size, window); return; }
#endif
    medianGeneric(x, out, count, size, window);
}

const char *melcnn_median_kernel(void) {
    return melcnn_isa_route_name("avx512 16 lanes", "avx2 2 x 8 lanes", "generic");
}
