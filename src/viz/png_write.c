#include "png_write.h"
#include <errno.h>
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "../core/atomic_file.h"
#include "bertology/i18n.h"

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

/* The file to write for path: path itself when it is new or a regular
 * file; the file a symbolic link names (so the link stays a link), which
 * must be regular too. A device (/dev/full), a directory or a FIFO is
 * refused before anything is written or removed. */
static int target_of(const char *path, char *out, size_t n, BtError *err) {
    struct stat st;
    if (lstat(path, &st) != 0) {
        if (errno != ENOENT) return bt_fail(err, "cannot write %s: %s", path, strerror(errno));
        snprintf(out, n, "%s", path);
        return 0;
    }
    if (S_ISLNK(st.st_mode)) {
        char *real = realpath(path, NULL);
        if (!real) return bt_fail(err, "cannot write %s: it is a link to a missing file", path);
        int too_long = snprintf(out, n, "%s", real) >= (int)n;
        free(real);
        if (too_long) return bt_fail(err, "cannot write %s: the file it links to has too long a name", path);
        if (stat(out, &st) != 0) return bt_fail(err, "cannot write %s: %s", path, strerror(errno));
    } else {
        snprintf(out, n, "%s", path);
    }
    if (S_ISDIR(st.st_mode)) return bt_fail(err, "cannot write %s: it is a directory", path);
    if (!S_ISREG(st.st_mode)) return bt_fail(err, "cannot write %s: %s is not a regular file", path, out);
    return 0;
}

int png_write_rgb(const char *path, const unsigned char *rgb, int w, int h, int stride,
                  BtError *err) {
    if (w <= 0 || h <= 0) return bt_fail(err, "cannot save an empty %d×%d picture", w, h);
    char target[4096];
    if (target_of(path, target, sizeof target, err) != 0) return -1;
    /* A temporary file beside the target, renamed over it once complete:
     * a failure leaves the old file as it was, and no half-written PNG. */
    AtomicFile af;
    if (af_open(&af, target, err) != 0) return -1;
    PngErr pe = {""};
    if (write_rows(af.fp, rgb, w, h, stride, &pe) != 0) {
        af_abort(&af);
        return bt_fail(err, "cannot write %s: %s", path, pe.msg[0] ? pe.msg : _("libpng failed"));
    }
    return af_commit(&af, err);
}
