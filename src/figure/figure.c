/* A Figure's memory, its builders and reading its cells (bertology/figure.h). */
#include "bertology/figure.h"
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bertology/i18n.h"
#include "fig_internal.h"

/* Grows an array of `size`-byte items to hold one more; 0, or -1 when out of memory. */
static int grow(Figure *f, void **arr, int n, int *cap, size_t size) {
    if (n < *cap) return 0;
    int c = *cap ? 2 * *cap : 8;
    void *p = realloc(*arr, (size_t)c * size);
    if (!p) {
        f->failed = 1;
        return -1;
    }
    *arr = p;
    *cap = c;
    return 0;
}

static void *keep(Figure *f, void *p) {
    if (!p) {
        f->failed = 1;
        return NULL;
    }
    if (grow(f, (void **)&f->owned, f->nowned, &f->cap_owned, sizeof *f->owned)) {
        free(p);
        return NULL;
    }
    f->owned[f->nowned++] = p;
    return p;
}

void *fig_alloc(Figure *f, size_t bytes) { return keep(f, calloc(1, bytes ? bytes : 1)); }

char *fig_strdup(Figure *f, const char *s) { return keep(f, strdup(s ? s : "")); }

char *fig_strf(Figure *f, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char *s = NULL;
    if (vasprintf(&s, fmt, ap) < 0) s = NULL;
    va_end(ap);
    return keep(f, s);
}

void fig_free(Figure *f) {
    for (int i = 0; i < f->nowned; i++) free(f->owned[i]);
    free(f->owned);
    free(f->colnames);
    free(f->blocks);
    free(f->plots);
    free(f->series);
    memset(f, 0, sizeof *f);
}

static int add_name(Figure *f, const char *name) {
    int cap = f->ncols + 1;
    /* the header grows one by one but is short; keep it exact */
    const char **p = realloc(f->colnames, sizeof *p * (size_t)cap);
    if (!p) {
        f->failed = 1;
        return -1;
    }
    f->colnames = p;
    f->colnames[f->ncols] = name;
    return f->ncols++;
}

int fig_column(Figure *f, const char *name) { return add_name(f, fig_strdup(f, name)); }

int fig_columns(Figure *f, int n, const char *fmt, int from) {
    int first = f->ncols;
    const char **p = realloc(f->colnames, sizeof *p * (size_t)(f->ncols + n));
    if (!p) {
        f->failed = 1;
        return -1;
    }
    f->colnames = p;
    for (int j = 0; j < n; j++) {
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
        f->colnames[f->ncols++] = fig_strf(f, fmt, from + j);
#pragma GCC diagnostic pop
    }
    return first;
}

int fig_block(Figure *f, int row0, int col0, int rows, int cols, FigType type, const void *base, size_t row_bytes,
              size_t col_bytes) {
    if (grow(f, (void **)&f->blocks, f->nblocks, &f->cap_blocks, sizeof *f->blocks)) return -1;
    f->blocks[f->nblocks] = (FigBlock){row0, col0, rows, cols, type, base, row_bytes, col_bytes, 0};
    if (row0 + rows > f->nrows) f->nrows = row0 + rows;
    if (!base && rows > 0 && cols > 0) f->failed = 1;   /* an allocation above it failed */
    return f->nblocks++;
}

int fig_aux_block(Figure *f, int rows, int cols, FigType type, const void *base, size_t row_bytes, size_t col_bytes) {
    if (grow(f, (void **)&f->blocks, f->nblocks, &f->cap_blocks, sizeof *f->blocks)) return -1;
    f->blocks[f->nblocks] = (FigBlock){0, 0, rows, cols, type, base, row_bytes, col_bytes, 1};
    if (!base && rows > 0 && cols > 0) f->failed = 1;
    return f->nblocks++;
}

FigPlot *fig_plot(Figure *f, FigKind kind) {
    if (grow(f, (void **)&f->plots, f->nplots, &f->cap_plots, sizeof *f->plots)) return NULL;
    FigPlot *p = &f->plots[f->nplots++];
    memset(p, 0, sizeof *p);
    p->kind = kind;
    p->text_block = p->mark_block = p->highlight = p->accent_row = p->x_text_col = p->at = -1;
    p->masked_below = -INFINITY;
    return p;
}

FigSeries *fig_series(Figure *f, FigSeriesKind kind, const char *name, int x_col, int y_col, int row0, int n) {
    if (grow(f, (void **)&f->series, f->nseries, &f->cap_series, sizeof *f->series)) return NULL;
    FigSeries *s = &f->series[f->nseries++];
    *s = (FigSeries){kind, name, x_col, y_col, row0, n, -1, 1, 0xffffffffu, 1, 0, 0, 0, 0, 0};
    return s;
}

int fig_empty(Figure *f, const char *why, const char *hint) {
    f->empty = why;
    f->empty_hint = hint;
    return 0;
}

int fig_done(Figure *f, BtError *err) {
    if (f->failed) return bt_fail(err, "out of memory");
    return 0;
}

const char *const *fig_labels(Figure *f, const char *const *tokens, int T) {
    if (tokens) return tokens;
    const char **lab = fig_alloc(f, sizeof *lab * (size_t)(T > 0 ? T : 1));
    for (int i = 0; lab && i < T; i++) lab[i] = fig_strf(f, "#%d", i);
    return lab;
}

/* ---- Reading ---------------------------------------------------------------- */

static const void *at(const FigBlock *b, int i, int j) {
    return (const unsigned char *)b->base + (size_t)i * b->row_bytes + (size_t)j * b->col_bytes;
}

static FigType read_block(const FigBlock *b, int i, int j, double *v, const char **s) {
    const void *p = at(b, i, j);
    switch (b->type) {
    case FIG_F32: *v = *(const float *)p; return FIG_F64;
    case FIG_F64: *v = *(const double *)p; return FIG_F64;
    case FIG_I32: *v = *(const int32_t *)p; return FIG_F64;
    case FIG_I64: *v = (double)*(const int64_t *)p; return FIG_F64;
    case FIG_STR: *s = *(const char *const *)p; return FIG_STR;
    }
    return FIG_STR;
}

FigType fig_cell(const Figure *f, int row, int col, double *v, const char **s) {
    *v = NAN;
    *s = NULL;
    /* the last block covering the cell wins, so a figure may overlay one */
    for (int k = f->nblocks - 1; k >= 0; k--) {
        const FigBlock *b = &f->blocks[k];
        if (b->aux) continue;
        if (row >= b->row0 && row < b->row0 + b->rows && col >= b->col0 && col < b->col0 + b->cols)
            return read_block(b, row - b->row0, col - b->col0, v, s);
    }
    return FIG_STR;
}

double fig_value(const Figure *f, int row, int col) {
    double v;
    const char *s;
    return fig_cell(f, row, col, &v, &s) == FIG_F64 ? v : NAN;
}

int fig_column_ref(const Figure *f, int col, int row0, int n, FigColumnRef *ref) {
    memset(ref, 0, sizeof *ref);
    if (col < 0) return 0;
    for (int k = f->nblocks - 1; k >= 0; k--) {
        const FigBlock *b = &f->blocks[k];
        if (b->aux || col < b->col0 || col >= b->col0 + b->cols || row0 < b->row0 || row0 + n > b->row0 + b->rows) continue;
        if (b->type == FIG_STR) return -1;
        ref->type = b->type;
        ref->base = at(b, row0 - b->row0, col - b->col0);
        ref->stride = b->row_bytes;
        return 0;
    }
    return -1;
}

double fig_ref_value(const FigColumnRef *r, int i) {
    if (!r->base) return i;
    const void *p = (const unsigned char *)r->base + (size_t)i * r->stride;
    switch (r->type) {
    case FIG_F32: return *(const float *)p;
    case FIG_F64: return *(const double *)p;
    case FIG_I32: return *(const int32_t *)p;
    case FIG_I64: return (double)*(const int64_t *)p;
    case FIG_STR: break;
    }
    return NAN;
}

static void plot_shape(const FigPlot *p, const FigBlock *b, int *rows, int *cols) {
    *rows = p->transpose ? b->cols : b->rows;
    *cols = p->transpose ? b->rows : b->cols;
}

double fig_plot_value(const Figure *f, const FigPlot *p, int i, int j) {
    const FigBlock *b = &f->blocks[p->block];
    double v = NAN;
    const char *s;
    if (read_block(b, p->transpose ? j : i, p->transpose ? i : j, &v, &s) != FIG_F64) return NAN;
    return v;
}

const char *fig_plot_text(const Figure *f, const FigPlot *p, int block, int i, int j) {
    if (block < 0) return NULL;
    const FigBlock *b = &f->blocks[block];
    if (b->type != FIG_STR) return NULL;
    return *(const char *const *)at(b, p->transpose ? j : i, p->transpose ? i : j);
}

const float *fig_plot_matrix(const Figure *f, const FigPlot *p, int *rows, int *cols, long *stride, float **tmp) {
    const FigBlock *b = &f->blocks[p->block];
    *tmp = NULL;
    plot_shape(p, b, rows, cols);
    size_t along = p->transpose ? b->row_bytes : b->col_bytes, down = p->transpose ? b->col_bytes : b->row_bytes;
    if (b->type == FIG_F32 && along == sizeof(float) && down % sizeof(float) == 0) {
        *stride = (long)(down / sizeof(float));
        return b->base;
    }
    float *m = malloc(sizeof *m * (size_t)(*rows > 0 ? *rows : 1) * (size_t)(*cols > 0 ? *cols : 1));
    if (!m) return NULL;
    for (int i = 0; i < *rows; i++)
        for (int j = 0; j < *cols; j++) m[(size_t)i * *cols + j] = (float)fig_plot_value(f, p, i, j);
    *stride = *cols;
    *tmp = m;
    return m;
}

const char *fig_pct(Figure *f, double p) {
    char d[32];
    return fig_strf(f, "%s", bt_pct(d, sizeof d, p));
}
