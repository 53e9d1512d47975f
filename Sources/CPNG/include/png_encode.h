#ifndef MELCNN_PNG_ENCODE_H
#define MELCNN_PNG_ENCODE_H
#include <stddef.h>
#include <stdint.h>

/// Encodes `height` rows of `width` RGB pixels (3 bytes each, row-major, top row first) as an
/// 8-bit RGB PNG with libpng: zlib level 6, no time or text chunks, so the same pixels give the
/// same bytes. On success returns 0 and sets *out (malloc'd; free with free()) and *length;
/// on failure returns -1 and writes libpng's message into `error` (NUL-terminated, at most
/// `error_capacity` bytes).
int melcnn_png_encode_rgb(const uint8_t *rgb, uint32_t width, uint32_t height,
                          uint8_t **out, size_t *length, char *error, size_t error_capacity);

#endif
