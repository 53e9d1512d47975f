// Inner loops of the `/mels` chunk encoder: the shuffle filter (AVX-512 VBMI byte permute, or
// AVX2 byte shuffles within 128-bit lanes and permutes), Adler-32 (AVX2, the block
// decomposition zlib-ng uses: a += sum x, b += 32 * a_before + sum (32 - k) x_k per 32-byte
// block) and the Huffman literal bit-packing loop. Routes follow melcnn_isa_level() (CCPU);
// plain C at the generic level and off x86-64.
#include "cplanedeflate.h"

#include <string.h>

#include "ccpu.h"

#if defined(__x86_64__)
#include <immintrin.h>

// AVX-512 VBMI (with BW), which the AVX-512 level does not include; checked once.
static int hasVBMI(void) {
    static int known = -1;  // threads racing on the first call store the same value
    int has = __atomic_load_n(&known, __ATOMIC_RELAXED);
    if (has < 0) {
        __builtin_cpu_init();
        has = __builtin_cpu_supports("avx512vbmi") && __builtin_cpu_supports("avx512bw");
        __atomic_store_n(&known, has, __ATOMIC_RELAXED);
    }
    return has;
}

__attribute__((target("avx512f,avx512bw,avx512vbmi")))
static long shuffle4VBMI(const uint8_t *src, uint8_t *dst, long n) {
    // Within 64 bytes (16 elements): byte j of element i -> position 16 j + i.
    uint8_t order[64];
    for (int j = 0; j < 4; j++)
        for (int i = 0; i < 16; i++) order[16 * j + i] = (uint8_t)(4 * i + j);
    __m512i index = _mm512_loadu_si512(order);
    long i = 0;
    for (; i + 16 <= n; i += 16) {
        __m512i v = _mm512_permutexvar_epi8(index, _mm512_loadu_si512(src + 4 * i));
        _mm_storeu_si128((__m128i *)(dst + i), _mm512_castsi512_si128(v));
        _mm_storeu_si128((__m128i *)(dst + n + i), _mm512_extracti32x4_epi32(v, 1));
        _mm_storeu_si128((__m128i *)(dst + 2 * n + i), _mm512_extracti32x4_epi32(v, 2));
        _mm_storeu_si128((__m128i *)(dst + 3 * n + i), _mm512_extracti32x4_epi32(v, 3));
    }
    return i;
}

// 8 elements (32 bytes) with byte plane j in 64-bit word j: bytes gathered by plane within
// each 128-bit lane (4 elements), then the planes' dwords of the two lanes paired up.
__attribute__((target("avx2")))
static inline __m256i planes8(const uint8_t *src) {
    const __m256i order = _mm256_setr_epi8(0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15,
                                           0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15);
    __m256i v = _mm256_shuffle_epi8(_mm256_loadu_si256((const __m256i *)src), order);
    return _mm256_permutevar8x32_epi32(v, _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7));
}

__attribute__((target("avx2")))
static long shuffle4AVX2(const uint8_t *src, uint8_t *dst, long n) {
    long i = 0;
    for (; i + 32 <= n; i += 32) {  // 32 elements: four vectors of planes8, a 4x4 word transpose
        const uint8_t *s = src + 4 * i;
        __m256i v0 = planes8(s), v1 = planes8(s + 32), v2 = planes8(s + 64), v3 = planes8(s + 96);
        __m256i a = _mm256_unpacklo_epi64(v0, v1), b = _mm256_unpackhi_epi64(v0, v1);  // planes 0, 2 / 1, 3
        __m256i c = _mm256_unpacklo_epi64(v2, v3), d = _mm256_unpackhi_epi64(v2, v3);
        _mm256_storeu_si256((__m256i *)(dst + i), _mm256_permute2x128_si256(a, c, 0x20));
        _mm256_storeu_si256((__m256i *)(dst + n + i), _mm256_permute2x128_si256(b, d, 0x20));
        _mm256_storeu_si256((__m256i *)(dst + 2 * n + i), _mm256_permute2x128_si256(a, c, 0x31));
        _mm256_storeu_si256((__m256i *)(dst + 3 * n + i), _mm256_permute2x128_si256(b, d, 0x31));
    }
    return i;
}
#endif

void melcnn_shuffle4(const uint8_t *src, uint8_t *dst, long n) {
    long i = 0;
#if defined(__x86_64__)
    int level = melcnn_isa_level();
    if (level >= MELCNN_ISA_AVX512 && hasVBMI()) i = shuffle4VBMI(src, dst, n);
    else if (level >= MELCNN_ISA_AVX2) i = shuffle4AVX2(src, dst, n);
#endif
    for (; i < n; i++) {
        dst[i] = src[4 * i];
        dst[n + i] = src[4 * i + 1];
        dst[2 * n + i] = src[4 * i + 2];
        dst[3 * n + i] = src[4 * i + 3];
    }
}

#define ADLER_MOD 65521
#define ADLER_CHUNK 5536  // zlib's NMAX (5552) rounded down to 32: no 32-bit lane overflows

#if defined(__x86_64__)
__attribute__((target("avx2")))
static long adlerBlocksAVX2(uint32_t *a, uint32_t *b, const uint8_t *p, long n) {
    const __m256i weights = _mm256_setr_epi8(32, 31, 30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19, 18, 17,
                                             16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1);
    const __m256i ones = _mm256_set1_epi16(1), zero = _mm256_setzero_si256();
    long done = 0;
    while (n - done >= 32) {
        long len = (n - done) < ADLER_CHUNK ? (n - done) / 32 * 32 : ADLER_CHUNK;
        __m256i vs1 = zero, vs2 = zero, prefix = zero;
        for (long k = 0; k < len; k += 32) {
            __m256i x = _mm256_loadu_si256((const __m256i *)(p + done + k));
            prefix = _mm256_add_epi32(prefix, vs1);
            vs1 = _mm256_add_epi32(vs1, _mm256_sad_epu8(x, zero));
            vs2 = _mm256_add_epi32(vs2, _mm256_madd_epi16(_mm256_maddubs_epi16(x, weights), ones));
        }
        vs2 = _mm256_add_epi32(vs2, _mm256_slli_epi32(prefix, 5));
        uint32_t s1[8], s2[8];
        _mm256_storeu_si256((__m256i *)s1, vs1);
        _mm256_storeu_si256((__m256i *)s2, vs2);
        uint64_t sum1 = 0, sum2 = 0;
        for (int l = 0; l < 8; l++) { sum1 += s1[l]; sum2 += s2[l]; }
        uint64_t bb = (uint64_t)*b + (uint64_t)len * *a + sum2;
        *a = (uint32_t)(((uint64_t)*a + sum1) % ADLER_MOD);
        *b = (uint32_t)(bb % ADLER_MOD);
        done += len;
    }
    return done;
}
#endif

uint32_t melcnn_adler32(uint32_t adler, const uint8_t *bytes, long n) {
    uint32_t a = adler & 0xFFFF, b = adler >> 16;
    long i = 0;
#if defined(__x86_64__)
    if (melcnn_isa_level() >= MELCNN_ISA_AVX2) i = adlerBlocksAVX2(&a, &b, bytes, n);
#endif
    while (i < n) {
        long len = n - i < 5552 ? n - i : 5552;
        for (long k = 0; k < len; k++) { a += bytes[i + k]; b += a; }
        a %= ADLER_MOD; b %= ADLER_MOD;
        i += len;
    }
    return b << 16 | a;
}

void melcnn_put_codes(const uint8_t *bytes, long n, const uint32_t *table, uint8_t *out,
                      long *position, uint64_t *accumulator, long *count) {
    uint64_t acc = *accumulator;
    long bits = *count, pos = *position;
    for (long i = 0; i < n; i++) {
        uint32_t entry = table[bytes[i]];
        acc |= (uint64_t)(entry >> 8) << bits;
        bits += entry & 0xFF;
        if (bits >= 32) {
            uint32_t word = (uint32_t)acc;
            memcpy(out + pos, &word, 4);  // little-endian (x86-64, aarch64)
            pos += 4;
            acc >>= 32;
            bits -= 32;
        }
    }
    *accumulator = acc;
    *count = bits;
    *position = pos;
}
