#ifndef MELCNN_CSTFT_LANES_H
#define MELCNN_CSTFT_LANES_H
// Shared by the CSTFT kernels.
#include <immintrin.h>

// The first `count` of 16 lanes (none for count <= 0, all for count >= 16).
static inline __mmask16 laneMask(long count) {
    return count <= 0 ? 0 : count >= 16 ? 0xFFFF : (__mmask16)((1u << count) - 1);
}

#endif
