// CPlaneDeflate's kernels (melcnn_shuffle4, melcnn_adler32, melcnn_fletcher32, melcnn_put_codes) on every CPU
// route against plain C definitions, on many sizes. Built and run by scripts/check-c-kernels.sh.
#include <stdlib.h>
#include <string.h>

#include "check_routes.h"
#include "cplanedeflate.h"

static const long sizes[] = {0, 1, 2, 3, 15, 16, 17, 31, 32, 33, 47, 48, 63, 64, 65, 95, 96, 97, 127, 128,
                             129, 1000, 4095, 4096, 4097, 5535, 5536, 5537, 5552, 5553, 11104, 70001};
#define SIZES (long)(sizeof sizes / sizeof sizes[0])
#define MAXSIZE 70001

static uint8_t *fill(long n, int pattern) {
    uint8_t *p = malloc((size_t)n + 1);
    for (long i = 0; i < n; i++) p[i] = pattern == 0 ? (uint8_t)(nextRandom() >> 24) : 0xFF;
    return p;
}

static void checkShuffle(int level) {
    (void)level;
    for (long s = 0; s < SIZES; s++) {
        long n = sizes[s];
        for (long offset = 0; offset < 2; offset++) {  // also from an odd address
            uint8_t *src = fill(4 * n + 1, 0), *dst = malloc(4 * (size_t)n + 8), *want = malloc(4 * (size_t)n + 8);
            memset(dst, 0xA5, 4 * (size_t)n + 8);
            memset(want, 0xA5, 4 * (size_t)n + 8);
            for (long i = 0; i < n; i++)
                for (int j = 0; j < 4; j++) want[j * n + i] = src[offset + 4 * i + j];
            melcnn_shuffle4(src + offset, dst, n);
            CHECK(memcmp(dst, want, 4 * (size_t)n + 8) == 0, "shuffle4 of %ld elements (offset %ld)", n, offset);
            free(src); free(dst); free(want);
        }
    }
}

static uint32_t adlerReference(uint32_t adler, const uint8_t *p, long n) {
    uint32_t a = adler & 0xFFFF, b = adler >> 16;
    for (long i = 0; i < n; i++) { a = (a + p[i]) % 65521; b = (b + a) % 65521; }
    return b << 16 | a;
}

static void checkAdler(int level) {
    (void)level;
    for (int pattern = 0; pattern < 2; pattern++) {  // random bytes; all 0xFF (the largest sums)
        uint8_t *p = fill(MAXSIZE, pattern);
        for (long s = 0; s < SIZES; s++) {
            long n = sizes[s];
            CHECK(melcnn_adler32(1, p, n) == adlerReference(1, p, n), "adler32 of %ld bytes (pattern %d)", n, pattern);
            uint32_t start = 0xFFF0FFF0u % 65521 | (65520u << 16);  // large running sums
            CHECK(melcnn_adler32(start, p + 1, n - (n > 0)) == adlerReference(start, p + 1, n - (n > 0)),
                  "adler32 of %ld bytes from a running value", n);
        }
        free(p);
    }
}

// H5_checksum_fletcher32 as H5checksum.c writes it (the Swift reference of Fletcher32Tests).
static uint32_t fletcherReference(const uint8_t *p, long n) {
    uint32_t sum1 = 0, sum2 = 0;
    long words = n / 2, i = 0;
    while (words > 0) {
        long block = words < 360 ? words : 360;
        words -= block;
        for (long k = 0; k < block; k++, i += 2) { sum1 += (uint32_t)p[i] << 8 | p[i + 1]; sum2 += sum1; }
        sum1 = (sum1 & 0xFFFF) + (sum1 >> 16);
        sum2 = (sum2 & 0xFFFF) + (sum2 >> 16);
    }
    if (n % 2 == 1) {
        sum1 += (uint32_t)p[i] << 8;
        sum2 += sum1;
        sum1 = (sum1 & 0xFFFF) + (sum1 >> 16);
        sum2 = (sum2 & 0xFFFF) + (sum2 >> 16);
    }
    sum1 = (sum1 & 0xFFFF) + (sum1 >> 16);
    sum2 = (sum2 & 0xFFFF) + (sum2 >> 16);
    return sum2 << 16 | sum1;
}

static void checkFletcher(int level) {
    (void)level;
    static const long extra[] = {718, 719, 720, 721, 722, 735, 736, 737, 1440, 1441};
    for (int pattern = 0; pattern < 2; pattern++) {  // random bytes; all 0xFF (the largest sums)
        uint8_t *p = fill(MAXSIZE, pattern);
        for (long s = 0; s < SIZES + 10; s++) {
            long n = s < SIZES ? sizes[s] : extra[s - SIZES];
            CHECK(melcnn_fletcher32(p, n) == fletcherReference(p, n), "fletcher32 of %ld bytes (pattern %d)", n, pattern);
            CHECK(melcnn_fletcher32(p + 1, n - (n > 0)) == fletcherReference(p + 1, n - (n > 0)),
                  "fletcher32 of %ld bytes from an odd address", n);
        }
        free(p);
    }
}

// The writer appending one bit at a time: `bits` holds the stream, LSB first.
static void putBits(uint8_t *bits, long *total, uint32_t value, int length) {
    for (int k = 0; k < length; k++, (*total)++)
        if (value >> k & 1) bits[*total / 8] |= (uint8_t)(1u << (*total % 8));
}

static void checkPutCodes(int level) {
    (void)level;
    uint32_t table[256];
    for (int round = 0; round < 3; round++) {
        for (int b = 0; b < 256; b++) {  // lengths 1 ... 15 (round 2: all 15, the most bits)
            int length = round == 2 ? 15 : 1 + (int)(nextRandom() % 15);
            table[b] = (nextRandom() & ((1u << length) - 1)) << 8 | (uint32_t)length;
        }
        for (long s = 0; s < SIZES; s++) {
            long n = sizes[s];
            uint8_t *bytes = fill(n, 0);
            long pending = (long)(nextRandom() % 32), start = 3;
            uint64_t acc = nextRandom() & (pending ? (1ull << pending) - 1 : 0);
            size_t room = (size_t)(start + 2 * n + 16);
            uint8_t *out = calloc(room, 1), *want = calloc(room, 1);
            long total = 0;  // the reference: the pending bits, then every code
            putBits(want + start, &total, (uint32_t)acc, (int)pending);
            for (long i = 0; i < n; i++) putBits(want + start, &total, table[bytes[i]] >> 8, (int)(table[bytes[i]] & 0xFF));
            long position = start, count = pending;
            melcnn_put_codes(bytes, n, table, out, &position, &acc, &count);
            long words = total / 32;
            CHECK(position == start + 4 * words && count == total % 32, "put_codes of %ld bytes: position, count", n);
            CHECK(memcmp(out, want, (size_t)(start + 4 * words)) == 0, "put_codes of %ld bytes: the words written", n);
            uint64_t rest = 0;  // the bits after the last whole word
            for (long k = 0; k < total % 32; k++)
                rest |= (uint64_t)(want[start + 4 * words + k / 8] >> (k % 8) & 1) << k;
            CHECK(acc == rest, "put_codes of %ld bytes: the pending bits", n);
            free(bytes); free(out); free(want);
        }
    }
}

int main(void) {
    forEachRoute("shuffle4", checkShuffle);
    forEachRoute("adler32", checkAdler);
    forEachRoute("fletcher32", checkFletcher);
    forEachRoute("put_codes", checkPutCodes);
    return finishChecks("deflate_check");
}
