#ifndef MELCNN_CWINOGRAD_H
#define MELCNN_CWINOGRAD_H

/// The tile transforms of Winograd's minimal filtering (Tensor's `WinogradConv1d`) as one
/// kernel: a sparse linear map applied to shifted rows of a source. For each output row
/// `o < rows` and `i < length`:
///
///     dst[dstOffset[o] + i] (+)= Σ_{t = start[o]} ^ {start[o + 1] - 1} coef[t] * src[srcOffset[t] + i]
///
/// (added to dst when `accumulate`, else written), the terms taken in order t. Offsets and
/// lengths are in floats; source and destination rows must not overlap. The route follows
/// `melcnn_isa_level()` (CCPU) at each call: AVX-512 (16 lanes, masked tail), AVX2 + FMA (8
/// lanes), or portable C. Routes differ in their last bits (fused or separate multiply-add),
/// never in meaning; one route gives the same bits whatever the thread count.
void melcnn_winograd_rows(long rows, long length, const float *src, const float *coef, const long *srcOffset,
                          const long *start, float *dst, const long *dstOffset, int accumulate);

/// The route the current level selects, for logs and benchmarks: `"avx512 16 lanes"`,
/// `"avx2 8 lanes"` or `"generic"`.
const char *melcnn_winograd_kernel(void);

#endif
