#ifndef MELCNN_CMEDIAN_H
#define MELCNN_CMEDIAN_H

/// Series a call of `melcnn_running_median` filters together, interleaved position by position.
#define MELCNN_MEDIAN_LANES 16

/// Running medians of window `size` (odd, >= 3) over 16 interleaved series (DSP's median
/// filters for HPSS, scipy.ndimage.median_filter): `x` holds `count + size - 1` positions of
/// 16 floats (lane `l` of position `p` at `x[16 p + l]`, each lane one padded series), and
/// for `p < count` and every lane
///
///     out[16 p + l] = median of x[16 (p + i) + l], i < size
///
/// `window` is scratch for `16 size` floats. Every lane keeps its window sorted; a step removes
/// the outgoing value and inserts the incoming one in one branch-free pass over the window, so
/// the time does not depend on the data. A median is one of the window's values, so every
/// route (AVX-512: one register of 16 lanes, AVX2: two of 8, portable C) gives the same bits.
/// The route follows `melcnn_isa_level()` (CCPU) at each call.
void melcnn_running_median(const float *x, float *out, long count, long size, float *window);

/// The route the current level selects, for logs and benchmarks: `"avx512 16 lanes"`,
/// `"avx2 2 x 8 lanes"` or `"generic"`.
const char *melcnn_median_kernel(void);

#endif
