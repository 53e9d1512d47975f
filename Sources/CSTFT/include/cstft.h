#ifndef MELCNN_CSTFT_H
#define MELCNN_CSTFT_H

/// Vector kernels of the log-mel path, with an AVX-512 route (16 lanes) and an AVX2 route
/// (8 lanes), picked by `melcnn_isa_level()` (CCPU; `MELCNN_CPU` caps it). Off x86-64, or at
/// the generic level, there is none: the entry points say so and the callers use FFTW / Swift.
///
/// Power spectra of 16 windowed frames at once, one frame per vector lane (melcnn's fast
/// path for log-mel spectrograms). Immutable once made; any number of threads may use it.
typedef struct MelCNNFrameFFT MelCNNFrameFFT;

/// 1 when the current level has a route (AVX2 or better), else 0.
int melcnn_stft_available(void);

/// The route the current level takes: `"avx512 16 lanes"`, `"avx2 8 lanes"` or `"none"`.
const char *melcnn_stft_kernel(void);

/// A transform of real size `n` for the route of the current level (it keeps that route when
/// the level changes later); NULL when there is no route or `n / 2` is not a power of two of
/// at least 16.
MelCNNFrameFFT *melcnn_frame_fft_create(long n);

/// Floats of 64-byte-aligned scratch `melcnn_frame_fft_power16` needs for size `n` (32 n + 512).
long melcnn_frame_fft_scratch_floats(long n);

/// `power[k * 16 + l] = |X_l[k]|^2` for k = 0 ... n/2, where X_l is the DFT (unnormalised,
/// FFTW's sign) of `window[j] * frames[l][j]`, j < n. `power` and `scratch` 64-byte aligned.
/// AVX2 computes the 16 frames as two groups of 8, with the same FFT.
void melcnn_frame_fft_power16(const MelCNNFrameFFT *fft, const float *const frames[16],
                              const float *window, float *power, float *scratch);

/// Sparse mel projection of such a block: `out[l * outStride + m] = sum_i weights[offsets[m] + i]
/// * power[(starts[m] + i) * 16 + l]` for i < lengths[m], bands m < nMels, frames l < count.
/// `power` 64-byte aligned. Plain C at the generic level.
void melcnn_mel16(const float *power, long nMels, const long *starts, const long *lengths,
                  const long *offsets, const float *weights, float *out, long outStride, int count);

/// power_to_db's inner loop: `values[i] = 10 log10(max(amin, values[i])) - offset` (NaN counts
/// as amin; amin must be a normal float) and `*peak` = the largest result, with a Cephes-style
/// log10f (about 1 ulp of log10). Returns 0, or -1 without touching anything when the current
/// level has no route.
int melcnn_power_to_db(float *values, long n, float amin, float offset, float *peak);

/// `values[i] = max(values[i], floor)` (top_db clipping). Returns 0, or -1 as above.
int melcnn_clamp_below(float *values, long n, float floor);

/// `x[i] = sqrt(x[i])` for i < n (magnitudes from power spectra), four values per instruction
/// on x86-64 (SSE2) and aarch64 (NEON). Square roots are correctly rounded, so every CPU gives
/// the same bits; unlike Swift's `squareRoot()` in a loop, no libm call per value.
void melcnn_square_roots(float *x, long n);

/// The q smallest and the q largest of `x[0 ..< n]` (1 <= q <= n) and their sums in double, in
/// ascending / descending order of the values (spectral contrast's band quantiles, as
/// librosa.feature.spectral_contrast takes them from np.sort). `lows`, `highs`: q floats of
/// scratch, sorted on return (ascending / descending) when q > 1. Plain C with a vector skip of
/// blocks that hold no candidate; the same result on every CPU.
void melcnn_band_extremes(const float *x, long n, long q, float *lows, float *highs,
                          double *lowSum, double *highSum);

/// The largest q `melcnn_band_extremes16` takes.
#define MELCNN_BAND_EXTREMES16_MAX_Q 64

/// `melcnn_band_extremes` for each of the 16 frames of a block of power spectra, from the
/// powers (`power[16 k + l]`, bin k of frame l, as `melcnn_frame_fft_power16` writes them):
/// `lowSums[l]` / `highSums[l]` = the sums, in double and in ascending / descending order, of
/// the q smallest / largest magnitudes `sqrt(power)` over bins `lo ..< hi` of frame l, bit for
/// bit what `melcnn_band_extremes` gives on those magnitudes. `scratch`: 32 q floats. Returns
/// 0, or -1 without touching anything when the current level has no route (AVX2 or better),
/// q < 1, q > MELCNN_BAND_EXTREMES16_MAX_Q or the band has fewer than q bins.
int melcnn_band_extremes16(const float *power, long lo, long hi, long q, double *lowSums, double *highSums,
                           float *scratch);

#endif
