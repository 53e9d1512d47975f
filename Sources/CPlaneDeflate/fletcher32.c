// HDF5's Fletcher-32 (H5checksum.c, H5_checksum_fletcher32): big-endian 16-bit words, both sums
// folded to 16 bits after every 360 words, an odd last byte as the high byte of a word, one
// more fold. AVX2 route: each block of whole 8-word groups at once (sum1 += sum w; sum2 +=
// W sum1_before + sum (W - j) w_j, the same decomposition as the Adler-32 route) in 32-bit
// lanes with the wrap-around arithmetic of the scalar sums, so every route gives the same bits.
#include "cplanedeflate.h"

#include "ccpu.h"

#define FLETCHER_BLOCK 360

#if defined(__x86_64__)
#include <immintrin.h>

// The first 8 * floor(words / 8) words of one block: updates *sum1, *sum2; returns the words done.
__attribute__((target("avx2")))
static long fletcherGroupsAVX2(uint32_t *sum1, uint32_t *sum2, const uint8_t *p, long words) {
    long groups = words / 8;
    if (groups == 0) return 0;
    const __m128i swap = _mm_setr_epi8(1, 0, 3, 2, 5, 4, 7, 6, 9, 8, 11, 10, 13, 12, 15, 14);
    __m256i vs1 = _mm256_setzero_si256(), prefix = vs1;
    for (long g = 0; g < groups; g++) {
        __m128i x = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(p + 16 * g)), swap);
        vs1 = _mm256_add_epi32(vs1, _mm256_cvtepu16_epi32(x));   // lane i: words 8k + i so far
        prefix = _mm256_add_epi32(prefix, vs1);                  // sum over groups of the running lane sums
    }
    uint32_t s1[8], pre[8];
    _mm256_storeu_si256((__m256i *)s1, vs1);
    _mm256_storeu_si256((__m256i *)pre, prefix);
    // Word j = 8 g + i of W = 8 G words weighs W - j = 8 (G - g) - i in sum2.
    uint32_t total = 0, weighted = 0, prefixes = 0;
    for (uint32_t i = 0; i < 8; i++) { total += s1[i]; weighted += i * s1[i]; prefixes += pre[i]; }
    uint32_t w = (uint32_t)(8 * groups);
    *sum2 += w * *sum1 + 8 * prefixes - weighted;
    *sum1 += total;
    return 8 * groups;
}
#endif

uint32_t melcnn_fletcher32(const uint8_t *bytes, long n) {
    uint32_t sum1 = 0, sum2 = 0;
    long words = n / 2, i = 0;
#if defined(__x86_64__)
    int vector = melcnn_isa_level() >= MELCNN_ISA_AVX2;
#endif
    while (words > 0) {
        long block = words < FLETCHER_BLOCK ? words : FLETCHER_BLOCK;
        words -= block;
        long done = 0;
#if defined(__x86_64__)
        if (vector) done = fletcherGroupsAVX2(&sum1, &sum2, bytes + 2 * i, block);
#endif
        i += done;
        for (long k = done; k < block; k++, i++) {
            sum1 += (uint32_t)bytes[2 * i] << 8 | bytes[2 * i + 1];
            sum2 += sum1;
        }
        sum1 = (sum1 & 0xFFFF) + (sum1 >> 16);
        sum2 = (sum2 & 0xFFFF) + (sum2 >> 16);
    }
    if (n % 2 == 1) {
        sum1 += (uint32_t)bytes[2 * i] << 8;
        sum2 += sum1;
        sum1 = (sum1 & 0xFFFF) + (sum1 >> 16);
        sum2 = (sum2 & 0xFFFF) + (sum2 >> 16);
    }
    sum1 = (sum1 & 0xFFFF) + (sum1 >> 16);
    sum2 = (sum2 & 0xFFFF) + (sum2 >> 16);
    return sum2 << 16 | sum1;
}
