#ifndef MELCNN_CPLANEDEFLATE_H
#define MELCNN_CPLANEDEFLATE_H

#include <stdint.h>

/// Inner loops of melcnn's `/mels` chunk encoder (HDF5 module, `PlaneDeflate`), with AVX-512 /
/// AVX2 where `melcnn_isa_level()` (CCPU; `MELCNN_CPU` caps it) allows them and plain C
/// otherwise (generic level, or off x86-64). Every function gives the same bytes on every path.

/// HDF5's shuffle filter for 4-byte elements: byte j of element i goes to `dst[j * n + i]`
/// (AVX-512 VBMI where the CPU has it at the AVX-512 level, else AVX2 at AVX2 or above).
void melcnn_shuffle4(const uint8_t *src, uint8_t *dst, long n);

/// zlib's `adler32(adler, bytes, n)` (RFC 1950).
uint32_t melcnn_adler32(uint32_t adler, const uint8_t *bytes, long n);

/// HDF5's Fletcher-32 checksum of `n` bytes (`H5_checksum_fletcher32`, the `fletcher32`
/// filter's), AVX2 at that level or above.
uint32_t melcnn_fletcher32(const uint8_t *bytes, long n);

/// Appends the codes of `n` bytes to a deflate bit stream (least-significant bit first):
/// `table[b]` is `code << 8 | length` (length at most 15). The writer's state is `out`,
/// `*position` (bytes written), `*accumulator` and `*count` (pending bits, fewer than 32),
/// updated exactly as appending the codes one at a time, 32 bits per store, would.
void melcnn_put_codes(const uint8_t *bytes, long n, const uint32_t *table, uint8_t *out,
                      long *position, uint64_t *accumulator, long *count);

#endif
