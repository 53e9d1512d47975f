// PNG encoding through libpng's write API into memory (libpng manual, "Writing"), with its
// setjmp/longjmp error handling kept inside C, where it is legal.
#include "png_encode.h"

#include <png.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

struct buffer {
    uint8_t *data;
    size_t length, capacity;
    int failed;
};

struct context {
    char *error;
    size_t error_capacity;
};

static void write_bytes(png_structp png, png_bytep bytes, png_size_t count) {
    struct buffer *b = (struct buffer *)png_get_io_ptr(png);
    if (b->failed) return;
    if (b->length + count > b->capacity) {
        size_t capacity = b->capacity ? b->capacity : 4096;
        while (capacity < b->length + count) capacity *= 2;
        uint8_t *grown = realloc(b->data, capacity);
        if (!grown) { b->failed = 1; png_error(png, "out of memory"); }
        b->data = grown;
        b->capacity = capacity;
    }
    memcpy(b->data + b->length, bytes, count);
    b->length += count;
}

static void flush_bytes(png_structp png) { (void)png; }

static void on_error(png_structp png, png_const_charp message) {
    struct context *c = (struct context *)png_get_error_ptr(png);
    if (c && c->error && c->error_capacity) {
        strncpy(c->error, message, c->error_capacity - 1);
        c->error[c->error_capacity - 1] = 0;
    }
    png_longjmp(png, 1);
}

static void on_warning(png_structp png, png_const_charp message) { (void)png; (void)message; }

int melcnn_png_encode_rgb(const uint8_t *rgb, uint32_t width, uint32_t height,
                          uint8_t **out, size_t *length, char *error, size_t error_capacity) {
    struct context ctx = {error, error_capacity};
    struct buffer buf = {0};
    if (error && error_capacity) error[0] = 0;
    if (width == 0 || height == 0) {
        if (error && error_capacity) strncpy(error, "empty image", error_capacity - 1);
        return -1;
    }
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &ctx, on_error, on_warning);
    if (!png) return -1;
    png_infop info = png_create_info_struct(png);
    if (!info) { png_destroy_write_struct(&png, NULL); return -1; }
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        free(buf.data);
        return -1;
    }
    png_set_write_fn(png, &buf, write_bytes, flush_bytes);
    png_set_compression_level(png, 6);
    png_set_IHDR(png, info, width, height, 8, PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    for (uint32_t y = 0; y < height; y++) {
        png_write_row(png, (png_const_bytep)(rgb + (size_t)y * width * 3));
    }
    png_write_end(png, NULL);
    png_destroy_write_struct(&png, &info);
    *out = buf.data;
    *length = buf.length;
    return 0;
}

struct reader {
    const uint8_t *data;
    size_t length, offset;
};

static void read_bytes(png_structp png, png_bytep out, png_size_t count) {
    struct reader *r = (struct reader *)png_get_io_ptr(png);
    if (count > r->length - r->offset) png_error(png, "truncated PNG data");
    memcpy(out, r->data + r->offset, count);
    r->offset += count;
}

int melcnn_png_decode_rgb(const uint8_t *data, size_t length, uint8_t **rgb, uint32_t *width, uint32_t *height,
                          char *error, size_t error_capacity) {
    struct context ctx = {error, error_capacity};
    struct reader r = {data, length, 0};
    uint8_t *volatile pixels = NULL;
    if (error && error_capacity) error[0] = 0;
    if (length < 8 || png_sig_cmp(data, 0, 8)) {
        if (error && error_capacity) strncpy(error, "not a PNG file", error_capacity - 1);
        return -1;
    }
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &ctx, on_error, on_warning);
    if (!png) return -1;
    png_infop info = png_create_info_struct(png);
    if (!info) { png_destroy_read_struct(&png, NULL, NULL); return -1; }
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_read_struct(&png, &info, NULL);
        free(pixels);
        return -1;
    }
    png_set_read_fn(png, &r, read_bytes);
    png_set_user_limits(png, 1u << 15, 1u << 15);
    png_read_info(png, info);
    png_set_expand(png);
    png_set_strip_16(png);
    png_set_strip_alpha(png);
    png_set_gray_to_rgb(png);
    png_read_update_info(png, info);
    uint32_t w = png_get_image_width(png, info), h = png_get_image_height(png, info);
    if (png_get_rowbytes(png, info) != (size_t)w * 3) png_error(png, "unexpected row layout");
    pixels = malloc((size_t)w * h * 3);
    if (!pixels) png_error(png, "out of memory");
    for (int pass = png_set_interlace_handling(png); pass > 0; pass--) {
        for (uint32_t y = 0; y < h; y++) png_read_row(png, pixels + (size_t)y * w * 3, NULL);
    }
    png_read_end(png, NULL);
    png_destroy_read_struct(&png, &info, NULL);
    *rgb = pixels;
    *width = w;
    *height = h;
    return 0;
}
