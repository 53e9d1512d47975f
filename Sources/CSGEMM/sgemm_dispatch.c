// melcnn's SGEMM entry points: each call takes the route the CPU level selects
// (melcnn_isa_level: AVX-512 → sgemm_avx512.c, AVX2 → sgemm_avx2.c, generic → none, the
// caller uses OpenBLAS); a packed A keeps the route that packed it.
#include "csgemm.h"

#include "ccpu.h"
#include "sgemm_internal.h"

#include <stdlib.h>

static const MelCNNSGEMMRoute *currentRoute(void) {
#if defined(__x86_64__)
    int level = melcnn_isa_level();
    if (level >= MELCNN_ISA_AVX512) return &melcnn_sgemm_route_avx512;
    if (level >= MELCNN_ISA_AVX2) return &melcnn_sgemm_route_avx2;
#endif
    return NULL;
}

int melcnn_sgemm_available(void) { return currentRoute() != NULL; }

const char *melcnn_sgemm_kernel(void) {
    const MelCNNSGEMMRoute *route = currentRoute();
    return route ? route->name : "none";
}

// C = beta * C, for products with nothing to add.
static void scaleC(long m, long n, float beta, float *c, long ldc) {
    for (long i = 0; i < m; i++)
        for (long j = 0; j < n; j++) c[i * ldc + j] = beta == 0 ? 0 : beta * c[i * ldc + j];
}

int melcnn_sgemm(int transA, int transB, long m, long n, long k, float alpha,
                 const float *a, long lda, const float *b, long ldb,
                 float beta, float *c, long ldc) {
    const MelCNNSGEMMRoute *route = currentRoute();
    if (route == NULL) return -1;
    if (m <= 0 || n <= 0) return 0;
    if (k <= 0 || alpha == 0) { scaleC(m, n, beta, c, ldc); return 0; }
    return route->drive(transA, transB, m, n, k, alpha, a, lda, NULL, b, ldb, beta, c, ldc);
}

struct MelCNNPackedA {
    const MelCNNSGEMMRoute *route;  // the route that packed it, and that multiplies with it
    long m, k;
    float *data;  // the route's packed layout (sgemm_internal.h), roundUp(m, mr) * k floats
};

MelCNNPackedA *melcnn_sgemm_pack_a(int transA, long m, long k, const float *a, long lda) {
    const MelCNNSGEMMRoute *route = currentRoute();
    if (route == NULL || m <= 0 || k <= 0) return NULL;
    MelCNNPackedA *packed = malloc(sizeof(MelCNNPackedA));
    long rows = sgemmRoundUp(m, route->mr);
    // packA may write 8 floats past the last sliver.
    size_t bytes = (((size_t)rows * (size_t)k + 8) * sizeof(float) + 63) / 64 * 64;
    float *data = aligned_alloc(64, bytes);
    if (packed == NULL || data == NULL) { free(packed); free(data); return NULL; }
    *packed = (MelCNNPackedA){route, m, k, data};
    long kStep = route->depthStep(k);
    for (long p0 = 0; p0 < k; p0 += kStep) {
        long kb = k - p0 < kStep ? k - p0 : kStep;
        route->packA(transA, a, lda, 0, m, p0, kb, data + rows * p0);
    }
    return packed;
}

void melcnn_sgemm_free_packed_a(MelCNNPackedA *packed) {
    if (packed == NULL) return;
    free(packed->data);
    free(packed);
}

int melcnn_sgemm_packed_a(const MelCNNPackedA *packed, int transB, long n, float alpha,
                          const float *b, long ldb, float beta, float *c, long ldc) {
    if (n <= 0) return 0;
    if (alpha == 0) { scaleC(packed->m, n, beta, c, ldc); return 0; }
    return packed->route->drive(0, transB, packed->m, n, packed->k, alpha, NULL, 0, packed->data, b, ldb,
                                beta, c, ldc);
}
