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

/// Decodes a PNG held in memory to 8-bit RGB (palette, grey and 16-bit images converted, alpha
/// dropped): returns 0 and sets *rgb (malloc'd, `*width * *height * 3` bytes), or -1 with libpng's
/// message in `error`. Images over 2^15 pixels a side are refused before anything is allocated.
int melcnn_png_decode_rgb(const uint8_t *png, size_t length, uint8_t **rgb, uint32_t *width, uint32_t *height,
                          char *error, size_t error_capacity);

#endif
