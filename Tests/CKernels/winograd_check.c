// Standalone check of melcnn_winograd_rows (Sources/CWinograd) on every CPU route this machine
// has, against a double-precision evaluation of its definition: random sparse maps (0 to 8
// terms per row, coefficients like Winograd's: small integers and fractions), lengths 0 to 70
// (every tail), written and accumulated; floats just past each output row must stay untouched.
// Run by scripts/check-c-kernels.sh (native, and aarch64 under qemu).
#include "check_routes.h"
#include "cwinograd.h"

#include <math.h>
#include <stdlib.h>

static void checkRows(int level) {
    (void)level;
    static const float coefs[] = {1, -1, 2, -2, 0.5f, -0.25f, 4, -8, 1.0f / 6, -1.0f / 24};
    for (int trial = 0; trial < 300; trial++) {
        long rows = 1 + nextRandom() % 8, length = trial % 71, sourceLength = 4 * (length + 8);
        long start[9] = {0}, srcOffset[64], dstOffset[8];
        float coef[64];
        for (long o = 0; o < rows; o++) {
            long terms = nextRandom() % 9;
            for (long t = start[o]; t < start[o] + terms; t++) {
                coef[t] = coefs[nextRandom() % 10];
                srcOffset[t] = nextRandom() % (sourceLength - length);
            }
            start[o + 1] = start[o] + terms;
            dstOffset[o] = o * (length + 3);  // 3 spare floats after each row
        }
        float *src = malloc((size_t)sourceLength * sizeof(float));
        float *dst = malloc((size_t)(rows * (length + 3)) * sizeof(float));
        float *before = malloc((size_t)(rows * (length + 3)) * sizeof(float));
        for (long i = 0; i < sourceLength; i++) src[i] = (float)nextRandom() / 4294967296.0f * 2 - 1;
        for (long i = 0; i < rows * (length + 3); i++) before[i] = dst[i] = (float)nextRandom() / 4294967296.0f;
        int accumulate = trial % 2;
        melcnn_winograd_rows(rows, length, src, coef, srcOffset, start, dst, dstOffset, accumulate);
        for (long o = 0; o < rows; o++) {
            for (long i = 0; i < length; i++) {
                double want = accumulate ? before[dstOffset[o] + i] : 0;
                for (long t = start[o]; t < start[o + 1]; t++) want += (double)coef[t] * src[srcOffset[t] + i];
                double error = fabs(dst[dstOffset[o] + i] - want);
                CHECK(error <= 1e-5 * (1 + fabs(want)), "trial %d row %ld i %ld: %g, want %g", trial, o, i,
                      dst[dstOffset[o] + i], want);
            }
            for (long i = length; i < length + 3; i++)
                CHECK(dst[dstOffset[o] + i] == before[dstOffset[o] + i], "trial %d row %ld: float %ld past the row written",
                      trial, o, i - length);
        }
        free(src);
        free(dst);
        free(before);
    }
}

int main(void) {
    forEachRoute("winograd_rows", checkRows);
    return finishChecks("winograd_check");
}
