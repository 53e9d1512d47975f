// Standalone check of melcnn_running_median (Sources/CMedian) on every CPU route this machine
// has: against sorting every window (window sizes 3 to 31, series of 0 to 70 medians, values
// from a small set so that ties abound), and bit for bit against the portable route on data
// with NaN, infinities and signed zeros (which sorting does not define). Floats just past the
// output must stay untouched. Run by scripts/check-c-kernels.sh (native, and aarch64 under qemu).
#include "check_routes.h"
#include "cmedian.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define LANES MELCNN_MEDIAN_LANES
#define TRIALS 120

static int compareFloats(const void *a, const void *b) {
    float x = *(const float *)a, y = *(const float *)b;
    return x < y ? -1 : x > y;
}

static long trialSize(int trial) { static const long sizes[] = {3, 5, 7, 9, 31}; return sizes[trial % 5]; }
static long trialCount(int trial) { return (trial * 7) % 71; }

// Fills x for a trial: small integers (ties), or with `special` NaN, infinities and signed zeros.
static void fill(float *x, long n, int special) {
    static const float specials[] = {0.0f, -0.0f, INFINITY, -INFINITY, NAN, 1.0f, -1.0f, 0.5f};
    for (long i = 0; i < n; i++)
        x[i] = special ? specials[nextRandom() % 8] : (float)(nextRandom() % 9) * 0.25f - 1.0f;
}

// The generic route's outputs of the special-value trials, kept to compare the other routes.
static float *genericOutputs[TRIALS];

static void checkMedians(int level) {
    checkSeed = 777;
    for (int trial = 0; trial < TRIALS; trial++) {
        long k = trialSize(trial), n = trialCount(trial), positions = n + k - 1;
        int special = trial % 3 == 2;
        float *x = malloc((size_t)(positions * LANES) * sizeof(float));
        float *out = malloc((size_t)((n + 1) * LANES) * sizeof(float));
        float *window = malloc((size_t)(k * LANES) * sizeof(float));
        float sorted[31];
        fill(x, positions * LANES, special);
        for (long i = 0; i < (n + 1) * LANES; i++) out[i] = 12345.0f;
        melcnn_running_median(x, out, n, k, window);
        for (long i = n * LANES; i < (n + 1) * LANES; i++)
            CHECK(out[i] == 12345.0f, "trial %d: float %ld past the output written", trial, i - n * LANES);
        if (special) {
            if (level == MELCNN_ISA_GENERIC) {
                genericOutputs[trial] = malloc((size_t)(n * LANES) * sizeof(float));
                memcpy(genericOutputs[trial], out, (size_t)(n * LANES) * sizeof(float));
            } else {
                CHECK(memcmp(out, genericOutputs[trial], (size_t)(n * LANES) * sizeof(float)) == 0,
                      "trial %d (size %ld, %ld medians, NaN and infinities): bits differ from the generic route", trial, k, n);
            }
        } else {
            for (long p = 0; p < n; p++) {
                for (int l = 0; l < LANES; l++) {
                    for (long i = 0; i < k; i++) sorted[i] = x[(p + i) * LANES + l];
                    qsort(sorted, (size_t)k, sizeof(float), compareFloats);
                    CHECK(out[p * LANES + l] == sorted[k / 2], "trial %d (size %ld) position %ld lane %d: %g, want %g",
                          trial, k, p, l, out[p * LANES + l], sorted[k / 2]);
                }
            }
        }
        free(x);
        free(out);
        free(window);
    }
}

int main(void) {
    forEachRoute("running_median", checkMedians);
    for (int trial = 0; trial < TRIALS; trial++) free(genericOutputs[trial]);
    return finishChecks("median_check");
}
