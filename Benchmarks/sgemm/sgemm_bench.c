// Single-threaded SGEMM speed: melcnn's routes (Sources/CSGEMM, each forced with
// melcnn_isa_override) against OpenBLAS's cblas_sgemm, in GFLOP/s (2mnk / best time). Times
// are the thread's CPU time, so that other processes sharing the cores do not count.
// Compile and run from the package root:
//   clang -O2 -std=c11 -I Sources/CCPU/include -I Sources/CSGEMM/include $(pkg-config --cflags openblas) Benchmarks/sgemm/sgemm_bench.c Sources/CSGEMM/*.c Sources/CCPU/*.c $(pkg-config --libs openblas) -lm -o /tmp/sgemm_bench
//   OPENBLAS_NUM_THREADS=1 /tmp/sgemm_bench [seconds per measurement, default 1]
#define _POSIX_C_SOURCE 199309L
#include "ccpu.h"
#include "csgemm.h"

#include <cblas.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

typedef struct {
    const char *name;
    int transA, transB;
    long m, n, k;
} Shape;

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

// Best GFLOP/s of `route` (a CPU level, or -1 for OpenBLAS) over `seconds` of repetitions.
static double measure(const Shape *s, int route, const float *a, const float *b, float *c, double seconds) {
    long lda = s->transA ? s->m : s->k, ldb = s->transB ? s->k : s->n;
    if (route >= 0) melcnn_isa_override(route);
    double best = 1e30, start = now();
    for (int rep = 0; rep < 3 || now() - start < seconds; rep++) {
        double t0 = now();
        if (route >= 0)
            melcnn_sgemm(s->transA, s->transB, s->m, s->n, s->k, 1, a, lda, b, ldb, 0, c, s->n);
        else
            cblas_sgemm(CblasRowMajor, s->transA ? CblasTrans : CblasNoTrans, s->transB ? CblasTrans : CblasNoTrans,
                        (int)s->m, (int)s->n, (int)s->k, 1, a, (int)lda, b, (int)ldb, 0, c, (int)s->n);
        double t = now() - t0;
        if (t < best) best = t;
    }
    melcnn_isa_override(-1);
    return 2.0 * s->m * s->n * s->k / best * 1e-9;
}

int main(int argc, char **argv) {
    double seconds = argc > 1 ? atof(argv[1]) : 1;
    Shape shapes[] = {
        {"square 1024^3", 0, 0, 1024, 1024, 1024},
        {"square 1024^3 A^T B^T", 1, 1, 1024, 1024, 1024},
        {"conv 256x599x2048", 0, 0, 256, 599, 2048},
        {"conv 256x599x2048 B^T", 0, 1, 256, 599, 2048},
        {"conv 256x599x2048 A^T", 1, 0, 256, 599, 2048},
        {"conv 128x599x1024", 0, 0, 128, 599, 1024},
        {"conv 128x599x1024 B^T", 0, 1, 128, 599, 1024},
        {"conv 128x599x1024 A^T", 1, 0, 128, 599, 1024},
    };
    printf("%-26s %10s %10s %10s   (GFLOP/s, one thread; OpenBLAS core %s)\n", "shape", "avx2", "avx512",
           "openblas", getenv("OPENBLAS_CORETYPE") ? getenv("OPENBLAS_CORETYPE") : "auto");
    for (size_t i = 0; i < sizeof(shapes) / sizeof(shapes[0]); i++) {
        const Shape *s = &shapes[i];
        float *a = malloc(sizeof(float) * s->m * s->k), *b = malloc(sizeof(float) * s->k * s->n);
        float *c = malloc(sizeof(float) * s->m * s->n);
        for (long j = 0; j < s->m * s->k; j++) a[j] = (float)((j * 7919) % 1000) / 1000 - 0.5f;
        for (long j = 0; j < s->k * s->n; j++) b[j] = (float)((j * 104729) % 1000) / 1000 - 0.5f;
        double avx2 = melcnn_isa_detected() >= MELCNN_ISA_AVX2 ? measure(s, MELCNN_ISA_AVX2, a, b, c, seconds) : 0;
        double avx512 = melcnn_isa_detected() >= MELCNN_ISA_AVX512 ? measure(s, MELCNN_ISA_AVX512, a, b, c, seconds) : 0;
        double blas = measure(s, -1, a, b, c, seconds);
        printf("%-26s %10.1f %10.1f %10.1f\n", s->name, avx2, avx512, blas);
        free(a), free(b), free(c);
    }
    return 0;
}
