// Standalone check of melcnn's SGEMM routes (Sources/CSGEMM) against a plain triple loop.
// Compile and run from the package root (gcc or clang):
//   gcc -O2 -std=c11 -I Sources/CCPU/include -I Sources/CSGEMM/include Tests/CKernels/sgemm_check.c Sources/CSGEMM/*.c Sources/CCPU/*.c -lm
//   ./a.out
// For every route this CPU has (melcnn_isa_override), melcnn_sgemm and the packed-A path are
// compared with a double-precision reference on random odd shapes, every transpose pair,
// padded strides, alpha in {1, 0.5, -2} and beta in {0, 1, 0.25} (C holds NaN when beta == 0);
// the padding columns of C must stay untouched and the packed-A path must give melcnn_sgemm's
// bits on the route that packed it. Off x86-64 (no route) the entry points must refuse.
// Prints "sgemm: N cases ok on routes ..." and exits 0, or prints the failing case and exits 1.
#include "ccpu.h"
#include "csgemm.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    int transA, transB;
    long m, n, k, lda, ldb, ldc;
    float alpha, beta;
} Case;

static uint64_t rngState = 0x9E3779B97F4A7C15ull;

static uint64_t nextRandom(void) {
    rngState ^= rngState << 13;
    rngState ^= rngState >> 7;
    rngState ^= rngState << 17;
    return rngState;
}

static float uniform(void) { return (float)((double)(nextRandom() >> 11) / 9007199254740992.0 * 2 - 1); }

static long pick(const long *values, long count) { return values[nextRandom() % (uint64_t)count]; }

static float *randomArray(long count) {
    float *x = malloc((size_t)(count > 0 ? count : 1) * sizeof(float));
    for (long i = 0; i < count; i++) x[i] = uniform();
    return x;
}

static int failures = 0;

static void report(const char *what, const char *route, const Case *t, double error) {
    printf("sgemm FAILED (%s) on route %s: transA=%d transB=%d m=%ld n=%ld k=%ld lda=%ld ldb=%ld ldc=%ld "
           "alpha=%g beta=%g error=%g\n", what, route, t->transA, t->transB, t->m, t->n, t->k, t->lda, t->ldb,
           t->ldc, t->alpha, t->beta, error);
    failures++;
}

// C as it is before the product: random, NaN in the columns < n when beta == 0.
static void initialC(const Case *t, const float *c0, float *c) {
    for (long i = 0; i < t->m * t->ldc; i++) c[i] = t->beta == 0 && i % t->ldc < t->n ? NAN : c0[i];
}

// Largest |ours - reference| relative to max|reference| (infinite for NaN), -1 when the
// padding of C changed.
static double compare(const Case *t, const float *c0, const double *reference, const float *ours) {
    double worst = 0, scale = 1e-30;
    for (long i = 0; i < t->m; i++)
        for (long j = 0; j < t->ldc; j++) {
            long at = i * t->ldc + j;
            if (j >= t->n) {
                if (memcmp(&ours[at], &c0[at], sizeof(float)) != 0) return -1;
                continue;
            }
            double diff = fabs(reference[at] - ours[at]);
            scale = fmax(scale, fabs(reference[at]));
            worst = isnan(ours[at]) ? INFINITY : fmax(worst, diff);
        }
    return worst / scale;
}

static void referenceProduct(const Case *t, const float *a, const float *b, const float *c0, double *out) {
    for (long i = 0; i < t->m; i++)
        for (long j = 0; j < t->n; j++) {
            double sum = 0;
            for (long p = 0; p < t->k; p++) {
                double x = t->transA ? a[p * t->lda + i] : a[i * t->lda + p];
                double y = t->transB ? b[j * t->ldb + p] : b[p * t->ldb + j];
                sum += x * y;
            }
            out[i * t->ldc + j] = t->alpha * sum + (t->beta == 0 ? 0 : (double)t->beta * c0[i * t->ldc + j]);
        }
}

// Runs case `t` on every level in `levels` (each a route), with the packed-A path too; a
// packed A made on the first route is also used after switching to the last one.
static void runCase(const Case *t, const int *levels, int routeCount) {
    long aRows = t->transA ? t->k : t->m, bRows = t->transB ? t->n : t->k;
    float *a = randomArray(aRows * t->lda), *b = randomArray(bRows * t->ldb), *c0 = randomArray(t->m * t->ldc);
    double *reference = calloc((size_t)(t->m * t->ldc), sizeof(double));
    float *direct = malloc((size_t)(t->m * t->ldc) * sizeof(float));
    float *packedOut = malloc((size_t)(t->m * t->ldc) * sizeof(float));
    size_t bytes = (size_t)(t->m * t->ldc) * sizeof(float);
    referenceProduct(t, a, b, c0, reference);
    MelCNNPackedA *first = NULL;
    float *firstBits = malloc(bytes);
    for (int r = 0; r < routeCount; r++) {
        melcnn_isa_override(levels[r]);
        const char *route = melcnn_sgemm_kernel();
        initialC(t, c0, direct);
        if (melcnn_sgemm(t->transA, t->transB, t->m, t->n, t->k, t->alpha, a, t->lda, b, t->ldb, t->beta, direct,
                         t->ldc) != 0) {
            report("melcnn_sgemm returned nonzero", route, t, 0);
            continue;
        }
        double error = compare(t, c0, reference, direct);
        if (error < 0) report("padding of C written", route, t, error);
        else if (!(error < 1e-5)) report("relative error", route, t, error);
        if (t->m <= 0 || t->k <= 0) continue;  // nothing to pack
        MelCNNPackedA *packed = melcnn_sgemm_pack_a(t->transA, t->m, t->k, a, t->lda);
        if (packed == NULL) { report("melcnn_sgemm_pack_a returned NULL", route, t, 0); continue; }
        initialC(t, c0, packedOut);
        if (melcnn_sgemm_packed_a(packed, t->transB, t->n, t->alpha, b, t->ldb, t->beta, packedOut, t->ldc) != 0)
            report("melcnn_sgemm_packed_a returned nonzero", route, t, 0);
        else if (memcmp(packedOut, direct, bytes) != 0)
            report("packed A differs from melcnn_sgemm", route, t, compare(t, c0, reference, packedOut));
        if (r == 0) { first = packed; memcpy(firstBits, direct, bytes); }
        else melcnn_sgemm_free_packed_a(packed);
    }
    if (first != NULL && routeCount > 1) {  // now on the last route: the packed A keeps the first
        initialC(t, c0, packedOut);
        if (melcnn_sgemm_packed_a(first, t->transB, t->n, t->alpha, b, t->ldb, t->beta, packedOut, t->ldc) != 0
            || memcmp(packedOut, firstBits, bytes) != 0)
            report("packed A left its route", melcnn_sgemm_kernel(), t, 0);
    }
    melcnn_sgemm_free_packed_a(first);
    melcnn_isa_override(-1);
    free(a), free(b), free(c0), free(reference), free(direct), free(packedOut), free(firstBits);
}

static Case makeCase(int transA, int transB, long m, long n, long k, float alpha, float beta) {
    Case t = {transA, transB, m, n, k, 0, 0, 0, alpha, beta};
    t.lda = (transA ? m : k) + (long)(nextRandom() % 4);
    t.ldb = (transB ? k : n) + (long)(nextRandom() % 6);
    t.ldc = n + 1 + (long)(nextRandom() % 3);
    if (t.lda < 1) t.lda = 1;
    if (t.ldb < 1) t.ldb = 1;
    return t;
}

int main(void) {
    int levels[2], routeCount = 0;
    char names[64] = "";
    for (int level = MELCNN_ISA_AVX512; level >= MELCNN_ISA_AVX2; level--) {
        if (melcnn_isa_level() < level) continue;  // MELCNN_CPU or the CPU rules it out
        melcnn_isa_override(level);
        snprintf(names + strlen(names), sizeof(names) - strlen(names), "%s%s", routeCount ? ", " : "",
                 melcnn_sgemm_kernel());
        levels[routeCount++] = level;
    }
    melcnn_isa_override(MELCNN_ISA_GENERIC);  // no route: every entry point refuses
    float one = 1;
    if (melcnn_sgemm_available() || strcmp(melcnn_sgemm_kernel(), "none") != 0
        || melcnn_sgemm(0, 0, 1, 1, 1, 1, &one, 1, &one, 1, 0, &one, 1) != -1
        || melcnn_sgemm_pack_a(0, 1, 1, &one, 1) != NULL) {
        printf("sgemm FAILED: the generic level still offers a route\n");
        return 1;
    }
    melcnn_isa_override(-1);

    static const long sizes[] = {1, 2, 5, 6, 7, 8, 15, 16, 17, 31, 33, 100, 390, 417, 523};
    static const float alphas[] = {1, 0.5f, -2}, betas[] = {0, 1, 0.25f};
    long count = sizeof(sizes) / sizeof(sizes[0]);
    int cases = 0;
    for (; cases < 150; cases++) {
        Case t = makeCase((int)(nextRandom() & 1), (int)(nextRandom() & 1), pick(sizes, count), pick(sizes, count),
                          pick(sizes, count), alphas[nextRandom() % 3], betas[nextRandom() % 3]);
        runCase(&t, levels, routeCount);
    }
    // Several depth, row and column blocks on every transpose pair; columns past one AVX2
    // B block (3072); nothing to multiply (k == 0, alpha == 0).
    for (int pair = 0; pair < 4; pair++, cases++) {
        Case t = makeCase(pair >> 1, pair & 1, 203, 1001, 900, 1, pair == 0 ? 0 : 1);
        runCase(&t, levels, routeCount);
    }
    Case extra[] = {makeCase(0, 1, 13, 3200, 40, 1, 0.25f), makeCase(1, 0, 1030, 37, 70, -2, 0),
                    makeCase(0, 0, 9, 11, 0, 1, 0.25f), makeCase(1, 1, 9, 11, 5, 0, 0)};
    for (size_t i = 0; i < sizeof(extra) / sizeof(extra[0]); i++, cases++) runCase(&extra[i], levels, routeCount);

    if (failures > 0) {
        printf("sgemm: %d failures\n", failures);
        return 1;
    }
    printf("sgemm: %d cases ok on routes %s\n", cases, routeCount ? names : "none (no x86-64 SIMD)");
    return 0;
}
