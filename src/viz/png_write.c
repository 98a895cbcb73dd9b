#include "png_write.h"
#include <errno.h>
#include <png.h>
#include <stdio.h>
#include <string.h>

typedef struct {
    char msg[200];
} PngErr;

/* libpng reports errors through a callback that must not return; we
 * record the message and longjmp back into png_write_rgb. */
static void on_error(png_structp png, png_const_charp msg) {
    PngErr *e = png_get_error_ptr(png);
    snprintf(e->msg, sizeof e->msg, "%s", msg);
    png_longjmp(png, 1);
}

static void on_warning(png_structp png, png_const_charp msg) {
    (void)png;
    (void)msg;
}

static int write_rows(FILE *f, const unsigned char *rgb, int w, int h, int stride, PngErr *pe) {
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, pe, on_error, on_warning);
    if (!png) return -1;
    png_infop info = png_create_info_struct(png);
    if (!info) {
        png_destroy_write_struct(&png, NULL);
        return -1;
    }
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        return -1;
    }
    png_init_io(png, f);
    png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, 8, PNG_COLOR_TYPE_RGB,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    for (int y = 0; y < h; y++) png_write_row(png, rgb + (size_t)y * stride);
    png_write_end(png, NULL);
    png_destroy_write_struct(&png, &info);
    return 0;
}

int png_write_rgb(const char *path, const unsigned char *rgb, int w, int h, int stride,
                  BtError *err) {
    if (w <= 0 || h <= 0) return bt_fail(err, "cannot save an empty %d×%d picture", w, h);
    FILE *f = fopen(path, "wb");
    if (!f) return bt_fail(err, "cannot write %s: %s", path, strerror(errno));
    PngErr pe = {""};
    int rc = write_rows(f, rgb, w, h, stride, &pe);
    if (fclose(f) != 0 && rc == 0) {
        snprintf(pe.msg, sizeof pe.msg, "%s", strerror(errno));
        rc = -1;
    }
    if (rc != 0) {
        remove(path);   /* a truncated PNG would only mislead */
        return bt_fail(err, "cannot write %s: %s", path, pe.msg[0] ? pe.msg : "libpng failed");
    }
    return 0;
}
