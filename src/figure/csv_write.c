/* A figure's table as CSV (RFC 4180), and the number format the writers
 * share. Plain stdio: the format is a header row, commas, and quotes
 * around a field that holds a comma, a quote or a line break. */
#include <locale.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "../core/atomic_file.h"
#include "bertology/figure.h"
#include "bertology/i18n.h"
#include "bertology/safetext.h"
#include "fig_internal.h"

/* The "C" locale, made once: numbers are written (and read back) with '.'
 * whatever LC_NUMERIC the program or its caller chose. */
static locale_t c_locale;
static pthread_once_t c_once = PTHREAD_ONCE_INIT;
static void make_c_locale(void) { c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0); }

locale_t fig_c_locale(void) {
    pthread_once(&c_once, make_c_locale);
    return c_locale;
}

void fig_number(char *buf, size_t n, double v, int is_float) {
    if (isnan(v)) {
        snprintf(buf, n, "%s", "");
        return;
    }
    if (isinf(v)) {
        snprintf(buf, n, "%s", v > 0 ? "inf" : "-inf");
        return;
    }
    locale_t c = fig_c_locale(), old = c ? uselocale(c) : (locale_t)0;
    /* the shortest %.Ng that reads back as the same number: 0.1 for the
     * float nearest 0.1, not 0.100000001 */
    for (int prec = is_float ? 6 : 15; prec <= (is_float ? 9 : 17); prec++) {
        snprintf(buf, n, "%.*g", prec, v);
        double back = strtod(buf, NULL);
        if (is_float ? (float)back == (float)v : back == v) break;
    }
    if (c) uselocale(old);
}

void csv_field(FILE *out, const char *s) {
    char safe[SAFE_TEXT_MAX];
    safe_text(safe, sizeof safe, s ? s : "");
    if (!strpbrk(safe, ",\"\r\n")) {
        fputs(safe, out);
        return;
    }
    fputc('"', out);
    for (const char *p = safe; *p; p++) {
        if (*p == '"') fputc('"', out);
        fputc(*p, out);
    }
    fputc('"', out);
}

static void cell(FILE *out, const FigBlock *b, int i, int j) {
    const void *p = (const unsigned char *)b->base + (size_t)i * b->row_bytes + (size_t)j * b->col_bytes;
    char num[64];
    switch (b->type) {
    case FIG_STR: csv_field(out, *(const char *const *)p); return;
    case FIG_I32: fprintf(out, "%d", (int)*(const int32_t *)p); return;
    case FIG_I64: fprintf(out, "%lld", (long long)*(const int64_t *)p); return;
    case FIG_F32: fig_number(num, sizeof num, *(const float *)p, 1); break;
    case FIG_F64: fig_number(num, sizeof num, *(const double *)p, 0); break;
    }
    fputs(num, out);
}

int fig_write_csv(const Figure *f, const char *path, BtError *err) {
    if (f->ncols < 1) return bt_fail(err, "the %s view has no numbers to write", viz_view_name(f->view));
    int *owner = malloc(sizeof *owner * (size_t)f->ncols);
    if (!owner) return bt_fail(err, "out of memory");
    AtomicFile a;
    if (af_open(&a, path, err) != 0) {
        free(owner);
        return -1;
    }
    FILE *out = a.fp;
    for (int c = 0; c < f->ncols; c++) {
        if (c) fputc(',', out);
        csv_field(out, f->colnames[c]);
    }
    fputs("\r\n", out);
    for (int r = 0; r < f->nrows; r++) {
        /* the block each cell of the row is read from: the last one that covers it */
        for (int c = 0; c < f->ncols; c++) owner[c] = -1;
        for (int k = 0; k < f->nblocks; k++) {
            const FigBlock *b = &f->blocks[k];
            if (b->aux || r < b->row0 || r >= b->row0 + b->rows) continue;
            for (int j = 0; j < b->cols; j++)
                if (b->col0 + j >= 0 && b->col0 + j < f->ncols) owner[b->col0 + j] = k;
        }
        for (int c = 0; c < f->ncols; c++) {
            if (c) fputc(',', out);
            if (owner[c] >= 0) {
                const FigBlock *b = &f->blocks[owner[c]];
                cell(out, b, r - b->row0, c - b->col0);
            }
        }
        fputs("\r\n", out);
    }
    free(owner);
    return af_commit(&a, err);
}
