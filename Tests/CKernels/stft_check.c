// CSTFT's kernels on every CPU route: melcnn_frame_fft_power16 against an FFT in double,
// melcnn_mel16 against a plain loop, melcnn_power_to_db / melcnn_clamp_below against libm's
// log10f; at the generic level (and off x86-64) the "unavailable" answers. Built and run by
// scripts/check-c-kernels.sh.
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check_routes.h"
#include "cstft.h"

static float uniform(void) { return (float)(nextRandom() >> 8) / 8388608.0f - 1; }  // [-1, 1)

static void *aligned(size_t bytes) { return aligned_alloc(64, (bytes + 63) / 64 * 64); }

// In-place radix-2 FFT in double, FFTW's sign (e^{-2 pi i j k / n}).
static void fftDouble(double *re, double *im, long n) {
    for (long i = 1, j = 0; i < n; i++) {
        long bit = n >> 1;
        for (; j & bit; bit >>= 1) j ^= bit;
        j ^= bit;
        if (i < j) { double t = re[i]; re[i] = re[j]; re[j] = t; t = im[i]; im[i] = im[j]; im[j] = t; }
    }
    for (long len = 2; len <= n; len <<= 1)
        for (long i = 0; i < n; i += len)
            for (long k = 0; k < len / 2; k++) {
                double th = -2 * M_PI * (double)k / (double)len, wr = cos(th), wi = sin(th);
                double *ar = re + i + k, *ai = im + i + k, *br = re + i + k + len / 2, *bi = im + i + k + len / 2;
                double tr = *br * wr - *bi * wi, ti = *br * wi + *bi * wr;
                *br = *ar - tr; *bi = *ai - ti; *ar += tr; *ai += ti;
            }
}

static const char *expectedKernel(int level) {
    return level == MELCNN_ISA_AVX512 ? "avx512 16 lanes" : level == MELCNN_ISA_AVX2 ? "avx2 8 lanes" : "none";
}

static void checkPower16(int level) {
    CHECK(melcnn_stft_available() == (level >= MELCNN_ISA_AVX2), "melcnn_stft_available at level %d", level);
    CHECK(strcmp(melcnn_stft_kernel(), expectedKernel(level)) == 0, "melcnn_stft_kernel: %s", melcnn_stft_kernel());
    CHECK(melcnn_frame_fft_create(2000) == NULL && melcnn_frame_fft_create(16) == NULL, "sizes it does not take");
    static const long sizes[] = {32, 64, 512, 1024, 2048, 4096};
    for (int s = 0; s < 6; s++) {
        long n = sizes[s], hop = 37;
        MelCNNFrameFFT *fft = melcnn_frame_fft_create(n);
        if (level < MELCNN_ISA_AVX2) { CHECK(fft == NULL, "no transform of %ld at the generic level", n); continue; }
        CHECK(fft != NULL, "transform of %ld", n);
        if (fft == NULL) continue;
        float *signal = malloc(sizeof(float) * (size_t)(n + 16 * hop)), *window = malloc(sizeof(float) * (size_t)n);
        for (long i = 0; i < n + 16 * hop; i++) signal[i] = uniform();
        for (long j = 0; j < n; j++) window[j] = (float)(0.5 - 0.5 * cos(2 * M_PI * (double)j / (double)n));
        const float *frames[16];
        for (int l = 0; l < 16; l++) frames[l] = signal + hop * l;
        float *power = aligned(sizeof(float) * 16 * (size_t)(n / 2 + 1));
        float *scratch = aligned(sizeof(float) * (size_t)melcnn_frame_fft_scratch_floats(n));
        melcnn_frame_fft_power16(fft, frames, window, power, scratch);
        double *re = malloc(sizeof(double) * (size_t)n), *im = malloc(sizeof(double) * (size_t)n);
        for (int l = 0; l < 16; l++) {
            for (long j = 0; j < n; j++) { re[j] = (double)window[j] * frames[l][j]; im[j] = 0; }
            fftDouble(re, im, n);
            double scale = 0, worst = 0;
            for (long k = 0; k <= n / 2; k++) scale = fmax(scale, re[k] * re[k] + im[k] * im[k]);
            for (long k = 0; k <= n / 2; k++) worst = fmax(worst, fabs(power[k * 16 + l] - (re[k] * re[k] + im[k] * im[k])));
            // float32 FFT of n points: a few ulp of the largest power (the Swift test allows 2e-6).
            CHECK(worst <= 2e-6 * scale, "power16 n %ld frame %d: error %.3g of scale %.3g", n, l, worst, scale);
        }
        free(re); free(im); free(signal); free(window); free(power); free(scratch);
    }
}

static void checkMel16(int level) {
    (void)level;
    static const long bandCounts[] = {1, 7, 8, 9, 15, 16, 17, 40, 128};
    static const int counts[] = {1, 5, 8, 9, 16};
    long bins = 1025;
    float *power = aligned(sizeof(float) * 16 * (size_t)bins);
    for (long i = 0; i < 16 * bins; i++) power[i] = fabsf(uniform()) * 100;
    for (int b = 0; b < 9; b++)
        for (int c = 0; c < 5; c++) {
            long nMels = bandCounts[b], stride = nMels + 3;
            int count = counts[c];
            long *starts = malloc(sizeof(long) * (size_t)nMels), *lengths = malloc(sizeof(long) * (size_t)nMels);
            long *offsets = malloc(sizeof(long) * (size_t)nMels), total = 0;
            for (long m = 0; m < nMels; m++) {  // lengths 0 ... 40, some empty
                lengths[m] = (long)(nextRandom() % 41);
                starts[m] = (long)(nextRandom() % (uint32_t)(bins - lengths[m]));
                offsets[m] = total; total += lengths[m];
            }
            float *weights = malloc(sizeof(float) * (size_t)(total + 1)), *out = malloc(sizeof(float) * (size_t)(16 * stride));
            for (long i = 0; i < total; i++) weights[i] = fabsf(uniform());
            for (long i = 0; i < 16 * stride; i++) out[i] = -7;
            melcnn_mel16(power, nMels, starts, lengths, offsets, weights, out, stride, count);
            for (int l = 0; l < 16; l++)
                for (long m = 0; m < stride; m++) {
                    float got = out[l * stride + m];
                    if (l >= count || m >= nMels) { CHECK(got == -7, "mel16 wrote outside: frame %d band %ld", l, m); continue; }
                    double want = 0;
                    for (long i = 0; i < lengths[m]; i++) want += (double)weights[offsets[m] + i] * power[(starts[m] + i) * 16 + l];
                    CHECK(fabs(got - want) <= 1e-5 * want + 1e-30, "mel16 %ld bands, %d frames: band %ld frame %d: %g vs %g",
                          nMels, count, m, l, got, want);
                }
            free(starts); free(lengths); free(offsets); free(weights); free(out);
        }
    free(power);
}

static void checkDecibels(int level) {
    static const long sizes[] = {0, 1, 7, 8, 9, 15, 16, 17, 31, 33, 1000, 4099};
    const float amin = 1e-10f, offset = 3.5f;
    for (int s = 0; s < 12; s++) {
        long n = sizes[s];
        float *v = malloc(sizeof(float) * (size_t)(n + 1)), *before = malloc(sizeof(float) * (size_t)(n + 1));
        for (long i = 0; i < n; i++) {  // log-spread powers, plus what is clamped to amin or kept
            float x = powf(10, 40 * (uniform() + 1) / 2 - 20) * (1 + uniform() / 4);
            switch (i % 13) {
            case 3: x = 0; break;
            case 5: x = -x; break;
            case 7: x = NAN; break;
            case 9: x = 1e-30f; break;
            case 11: x = i % 2 ? INFINITY : 3e38f; break;
            }
            v[i] = before[i] = x;
        }
        float peak = -1;
        int answer = melcnn_power_to_db(v, n, amin, offset, &peak);
        if (level < MELCNN_ISA_AVX2) {
            CHECK(answer == -1 && peak == -1 && memcmp(v, before, sizeof(float) * (size_t)n) == 0,
                  "power_to_db unavailable at the generic level, nothing touched (n %ld)", n);
            CHECK(melcnn_clamp_below(v, n, 0) == -1 && memcmp(v, before, sizeof(float) * (size_t)n) == 0,
                  "clamp_below unavailable at the generic level (n %ld)", n);
            free(v); free(before);
            continue;
        }
        CHECK(answer == 0, "power_to_db answers 0 (n %ld)", n);
        float want = -INFINITY;
        for (long i = 0; i < n; i++) {
            float x = before[i] > amin ? before[i] : amin;  // NaN and below: amin
            float db = 10 * log10f(x) - offset;
            want = fmaxf(want, v[i]);
            if (isinf(db)) { CHECK(v[i] == db, "power_to_db(inf) = inf, n %ld i %ld: %g", n, i, v[i]); continue; }
            // The documented tolerance (power_to_db parity): 1e-3 dB; the approximation is
            // about 1 ulp of log10 (VectorLogTests: 3e-7 relative).
            CHECK(fabsf(v[i] - db) <= 1e-3f, "power_to_db(%g) n %ld i %ld: %.9g vs log10f %.9g", before[i], n, i, v[i], db);
            CHECK(fabs(v[i] - db) <= 3e-6 * fmax(1, fabs(db + offset)) + 1e-6 * fabs(offset),
                  "power_to_db(%g) within 3e-7 of log10: %.9g vs %.9g", before[i], v[i], db);
        }
        CHECK(peak == want, "power_to_db peak n %ld: %g vs %g", n, peak, want);
        float floor = want - 80;
        memcpy(before, v, sizeof(float) * (size_t)n);
        CHECK(melcnn_clamp_below(v, n, floor) == 0, "clamp_below answers 0");
        for (long i = 0; i < n; i++) CHECK(v[i] == fmaxf(before[i], floor), "clamp_below n %ld i %ld", n, i);
        free(v); free(before);
    }
}

static int ascending(const void *a, const void *b) {
    float x = *(const float *)a, y = *(const float *)b;
    return (x > y) - (x < y);
}

// melcnn_band_extremes against np.sort's answer: the q smallest and q largest of a sorted copy,
// summed in the same order; bands of odd sizes, falling and shuffled spectra, ties.
static void checkBandExtremes(int level) {
    (void)level;  // one portable route (with a vector skip where the CPU has one)
    float x[700], sorted[700], lows[40], highs[40];
    for (long n = 1; n <= 700; n += (n < 70 ? 1 : 37)) {
        for (int shape = 0; shape < 3; shape++) {
            for (long i = 0; i < n; i++) {
                float u = uniform() + 1;
                x[i] = shape == 0 ? u : shape == 1 ? u / (float)(1 + i) : (float)(nextRandom() % 5);
            }
            memcpy(sorted, x, sizeof(float) * (size_t)n);
            qsort(sorted, (size_t)n, sizeof(float), ascending);
            // q <= 16 takes the 16-group bounds when n >= 16, larger q the blocks of 8.
            long qs[] = {1, 2, 3, 6, 9, 15, 16, 17, n < 40 ? n : 40};
            for (int c = 0; c < 9; c++) {
                long q = qs[c] < n ? qs[c] : n;
                double low, high, wantLow = 0, wantHigh = 0;
                melcnn_band_extremes(x, n, q, lows, highs, &low, &high);
                for (long k = 0; k < q; k++) { wantLow += sorted[k]; wantHigh += sorted[n - 1 - k]; }
                CHECK(low == wantLow && high == wantHigh, "band_extremes n %ld q %ld shape %d: %.9g %.9g vs %.9g %.9g",
                      n, q, shape, low, high, wantLow, wantHigh);
            }
        }
    }
}

// melcnn_square_roots against sqrtf bit for bit (SSE2 / NEON / plain C, whatever the route):
// lengths 0 to 40 (every tail), zeros, subnormals, huge values, +inf and NaN; the float past
// the end stays untouched.
static void checkSquareRoots(int level) {
    (void)level;
    static const float specials[] = {0.0f, 1e-45f, 1e-40f, 3.4e38f, 1.0f, 2.0f, __builtin_inff(), __builtin_nanf("")};
    for (long n = 0; n <= 40; n++) {
        float x[41], want[41];
        for (long i = 0; i <= n; i++) {
            x[i] = i % 5 == 4 ? specials[nextRandom() % 8] : (float)nextRandom() / 4294967296.0f * 1000;
            want[i] = i < n ? sqrtf(x[i]) : x[i];
        }
        melcnn_square_roots(x, n);
        for (long i = 0; i <= n; i++)
            CHECK(memcmp(&x[i], &want[i], sizeof(float)) == 0, "n %ld, value %ld: %g, want %g", n, i, x[i], want[i]);
    }
}

// melcnn_band_extremes16 against melcnn_band_extremes on each lane's magnitudes sqrtf(power),
// bit for bit: blocks of up to 300 bins with ties (powers from a small set), some NaN and +inf,
// bands anywhere with q from 1 to min(64, band); -1 on the generic route and for q out of range.
static void checkBandExtremes16(int level) {
    static const float specials[] = {__builtin_nanf(""), __builtin_inff(), 0.0f};
    for (int trial = 0; trial < 200; trial++) {
        long bins = 1 + nextRandom() % 300;
        float *power = malloc((size_t)(16 * bins) * sizeof(float)), magnitudes[300];
        for (long i = 0; i < 16 * bins; i++)
            power[i] = nextRandom() % 50 == 0 ? specials[nextRandom() % 3] : (float)(nextRandom() % 9) * 0.37f;
        long lo = nextRandom() % bins, hi = lo + 1 + nextRandom() % (bins - lo), n = hi - lo;
        long q = 1 + nextRandom() % (n < 64 ? n : 64);
        double lowSums[16], highSums[16];
        float scratch[32 * 64], lows[64], highs[64];
        int status = melcnn_band_extremes16(power, lo, hi, q, lowSums, highSums, scratch);
        if (level == MELCNN_ISA_GENERIC) {
            CHECK(status == -1, "trial %d: generic route returned %d, want -1", trial, status);
        } else {
            CHECK(status == 0, "trial %d: returned %d", trial, status);
            for (int l = 0; l < 16 && status == 0; l++) {
                for (long k = lo; k < hi; k++) magnitudes[k - lo] = sqrtf(power[16 * k + l]);
                double low, high;
                melcnn_band_extremes(magnitudes, n, q, lows, highs, &low, &high);
                CHECK(memcmp(&low, &lowSums[l], sizeof low) == 0 && memcmp(&high, &highSums[l], sizeof high) == 0,
                      "trial %d lane %d (bins %ld..<%ld, q %ld): %.17g %.17g, want %.17g %.17g", trial, l, lo, hi, q,
                      lowSums[l], highSums[l], low, high);
            }
        }
        CHECK(melcnn_band_extremes16(power, lo, hi, 65, lowSums, highSums, scratch) == -1, "q 65 taken");
        CHECK(melcnn_band_extremes16(power, lo, hi, n + 1, lowSums, highSums, scratch) == -1, "q > band taken");
        free(power);
    }
}

int main(void) {
    forEachRoute("frame_fft_power16", checkPower16);
    forEachRoute("mel16", checkMel16);
    forEachRoute("power_to_db, clamp_below", checkDecibels);
    forEachRoute("band_extremes", checkBandExtremes);
    forEachRoute("square_roots", checkSquareRoots);
    forEachRoute("band_extremes16", checkBandExtremes16);
    return finishChecks("stft_check");
}
