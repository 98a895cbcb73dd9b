#ifndef BERTOLOGY_FIGURE_H
#define BERTOLOGY_FIGURE_H
/* A window view's numbers as one labelled table, and the plots drawn from
 * it. Each view has one function that makes its Figure (src/figure/
 * fig_NAME.c, listed in figures.c by the views' table): the window's view
 * draws from it, `export FILE.csv` writes its table and `export FILE.svg`
 * draws its plots, so the three cannot disagree. Nothing here knows SDL.
 *
 * The table: nrows × ncols cells under a header of column names. Its
 * cells come from blocks, each a rectangle of the table read from memory
 * that the figure borrows (the trace's arrays, the REPL's results) or
 * owns; a cell that no block covers is empty. A plot refers to a block (a
 * heatmap, bars, the head view's lines) or to columns (a line's points),
 * never to numbers of its own. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "bertology/colormap.h"
#include "bertology/error.h"
#include "bertology/views.h"
#include "bertology/viz.h"

typedef enum { FIG_F32, FIG_F64, FIG_I32, FIG_I64, FIG_STR } FigType;

/* rows × cols cells of the table from (row0, col0) on; cell (row0 + i,
 * col0 + j) is read at base + i·row_bytes + j·col_bytes (a const char *
 * for FIG_STR, NULL: empty). An aux block is no part of the table: a
 * plot's marks or cell texts. */
typedef struct {
    int row0, col0, rows, cols;
    FigType type;
    const void *base;
    size_t row_bytes, col_bytes;
    int aux;
} FigBlock;

typedef enum {
    FIG_HEATMAP,    /* a block as coloured cells */
    FIG_LINES,      /* series of points over x */
    FIG_BARS,       /* a one-column block as a bar per row */
    FIG_LINKS,      /* the head view: a line from each query to each key, as opaque as its weight */
} FigKind;

typedef enum {
    FIG_LINE,       /* the points (x_col, y_col) of rows [row0, row0 + n); a non-finite one breaks the line */
    FIG_HLINE,      /* a horizontal line at y_col's value in row0 (not drawn when it is not finite) */
    FIG_VLINES,     /* a vertical line at x_col's value of each row */
    FIG_LINKSET,    /* FIG_LINKS: the block `block` (T × T weights) in this colour */
} FigSeriesKind;

typedef struct {
    FigSeriesKind kind;
    const char *name;       /* in the legend; NULL: not listed */
    int x_col, y_col;       /* table columns; x_col -1: x is 0, 1, ... along the rows */
    int row0, n;
    int block;              /* FIG_LINKSET */
    double yscale;          /* y drawn multiplied by this (percent: 100) */
    uint32_t rgba;          /* 0xRRGGBBAA */
    float width;            /* in thin lines */
    float dash, dot;        /* dashes that long, discs of that radius at the points (thin lines; 0: none) */
    int right;              /* read on the plot's right-hand axis (y2) */
    int legend;             /* its place in the legend, 1 first (0: not listed) */
    uint32_t rgba2;         /* legend only: alpha > 0, a second sample line in this colour */
} FigSeries;

typedef enum { FIG_FMT_G, FIG_FMT_FIXED2, FIG_FMT_PERCENT, FIG_FMT_SIGNED2 } FigFmt;

typedef struct {
    FigKind kind;
    const char *title;
    const char *subtitle;   /* a second line under the title, or NULL */
    const char *note;       /* NULL, or why there is nothing to draw here (drawn instead) */
    int at;                 /* the token position the plot is about (a [MASK], a query), -1: none */
    int emphasis;           /* the plot the stage is about (drawn framed / in the accent colour) */
    int tile;               /* one of many small plots: no axis labels, the figure's shared scale */
    /* FIG_HEATMAP, FIG_BARS: the block drawn; transposed, its rows run across */
    int block, transpose;
    const char *const *row_labels;  /* the drawn grid's rows and columns; NULL: none */
    const char *const *col_labels;
    const char *row_axis, *col_axis;    /* "query", "key" */
    const char *unit;       /* beside the colour bar or under the bars */
    CmapId cmap;
    float lo, hi;           /* the colour scale (heatmap); bars: hi is a full bar's value */
    int is_signed;          /* bars: about a zero axis in the middle */
    float masked_below;     /* heatmap cells at or below this are masked (-INFINITY: none) */
    int text_block;         /* -1, or a FIG_STR block of the drawn shape: text written in each cell */
    int mark_block;         /* -1, or a FIG_I32 block of the drawn shape: non-zero cells are framed */
    int values;             /* write each value in its cell (heatmap) or after its bar */
    FigFmt fmt;
    int highlight;          /* bars: a row marked by a band behind it (-1 none) */
    int accent_row;         /* bars: a row whose bar is in the accent colour (-1 none) */
    uint32_t bar_rgba;      /* bars: the colour (signed ones: red and blue of the blue–red scale) */
    /* FIG_LINES, FIG_LINKS: series [series0, series0 + nseries) */
    int series0, nseries;
    const char *x_axis, *y_axis, *y2_axis;
    int xlog, ylog;         /* log10 scales */
    double x0, x1, y0, y1, y2_0, y2_1;  /* the axes' ranges (y0 > y1: the axis runs downwards) */
    int x_text_col;         /* -1, or a FIG_STR column naming x = 0, 1, ... (categories) */
    FigFmt x_fmt, y_fmt;
} FigPlot;

typedef struct Figure {
    VizView view;
    const char *title;      /* what the figure shows, one line */
    const char *caption;    /* more lines, '\n' between them; may be NULL */
    /* Nothing to show: why, and what to do (the view draws them, export
     * reports them). */
    const char *empty, *empty_hint;
    int nrows, ncols;
    const char **colnames;
    FigBlock *blocks;
    int nblocks, cap_blocks;
    FigPlot *plots;
    int nplots, cap_plots;
    FigSeries *series;
    int nseries, cap_series;
    int layout_cols;        /* plots per row in the SVG (0: one) */
    const void *source;     /* the struct the numbers were read from (census), for views that draw it */
    int failed;             /* out of memory while building */
    void **owned;           /* what fig_free frees */
    int nowned, cap_owned;
} Figure;

/* ---- What selects a view's numbers ----------------------------------------
 * The window's settings that change what a view shows (as the keys and the
 * REPL's moves leave them), or, without a window, the REPL's position. */
enum { FIG_MAX_HEADS = 64 };
typedef struct {
    int layer, head;
    int scores;             /* heatmap: raw scores instead of probabilities */
    int all_heads;          /* head view: every head of the layer */
    unsigned char head_on[FIG_MAX_HEADS];  /* head view: heads picked besides the current one */
    int level;              /* embedding view: 0 static, 1 embeddings, 2+l after layer l */
    int rollout_query;      /* rollout view: the query row; -1: the REPL's `rollout POS` or the default */
    unsigned gen;           /* changes with each new state (keys the caches below) */
} FigParams;

/* What is costly to compute and kept between figures (the window keeps
 * one across frames; a one-off export uses a fresh one). */
typedef struct {
    const void *model;
    unsigned model_gen;
    int P, H;
    float *sin;             /* P×H sinusoid */
    float *sin_dot;         /* P×P */
    float *learned_dot;     /* P×P, or NULL without learned positions */
} FigPosTables;

typedef struct {
    const void *t1, *t2;
    unsigned gen;
    int level;
    int n;                  /* points: T of trace, then T of trace2 */
    float *xyz;             /* n×3, scaled into [-1,1] */
    float var[3];           /* share of the variance on each axis */
} FigPca;

typedef struct FigCache {
    FigPosTables pos;
    FigPca pca;
    struct {
        void *r;            /* Rollout */
        unsigned long long for_attn;
        int query;
    } rollout;
    struct {
        void *own;          /* Census of the sentence */
        const void *for_trace;
        unsigned for_gen;
        char error[512];
    } census;
} FigCache;
void fig_cache_free(FigCache *c);

/* The settings the window takes from the REPL's position: layer, head,
 * scores at the scores stage, the embedding view's depth. */
void fig_params_follow(FigParams *p, const VizState *st);
/* The state a view shows: the REPL's, or after a `compare` both of its
 * sentences for the embedding view (made in *both). */
const VizState *fig_state_for(const VizState *st, VizView view, VizState *both);

/* ---- Building and reading a figure ---------------------------------------- */

/* The figure of view for st: 0 with f filled (f->empty set when there is
 * nothing to show), -1 with err when it could not be made (out of
 * memory). The figure may borrow from cache (zeroed before its first
 * use), which must outlive it. fig_free(f) in every case. */
int fig_build(VizView view, const VizState *st, const FigParams *p, FigCache *cache, Figure *f, BtError *err);
void fig_free(Figure *f);

/* Which of the writers a view's figure can feed: every view has a CSV;
 * SVG only where the figure has plots (a 3D scatter, a grid of roles:
 * none). The one answer to "which views give what" (`help export`). */
int fig_view_has_svg(VizView view);

/* A cell: FIG_F64 with *v for numbers (ints too), FIG_STR with *s for
 * text (NULL: an empty cell). */
FigType fig_cell(const Figure *f, int row, int col, double *v, const char **s);
/* The number in a cell, NaN when empty or text. */
double fig_value(const Figure *f, int row, int col);
/* Rows [row0, row0 + n) of one column, read in place: 0 when one block
 * holds them all (col -1: the numbers 0, 1, ...), else -1. */
typedef struct {
    FigType type;
    const void *base;       /* NULL: the row's index */
    size_t stride;
} FigColumnRef;
int fig_column_ref(const Figure *f, int col, int row0, int n, FigColumnRef *ref);
double fig_ref_value(const FigColumnRef *r, int i);
/* A heatmap's (or bars') block in the plot's orientation as a float
 * matrix: rows × cols with row stride *stride. Points into the figure's
 * memory when the block is float and laid out that way, else into a copy
 * made in *tmp (free it; NULL when not needed). NULL when out of memory. */
const float *fig_plot_matrix(const Figure *f, const FigPlot *p, int *rows, int *cols, long *stride, float **tmp);
/* The block's cell (i, j) in the plot's orientation. */
double fig_plot_value(const Figure *f, const FigPlot *p, int i, int j);
const char *fig_plot_text(const Figure *f, const FigPlot *p, int block, int i, int j);

/* ---- For the figure functions --------------------------------------------- */
void *fig_alloc(Figure *f, size_t bytes);        /* zeroed, owned */
char *fig_strf(Figure *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *fig_strdup(Figure *f, const char *s);
/* Columns appended to the header; returns the first one's index. */
int fig_column(Figure *f, const char *name);
int fig_columns(Figure *f, int n, const char *fmt, int from) __attribute__((format(printf, 3, 0)));
int fig_block(Figure *f, int row0, int col0, int rows, int cols, FigType type, const void *base, size_t row_bytes,
              size_t col_bytes);
/* A block for the plots alone (FigBlock.aux). */
int fig_aux_block(Figure *f, int rows, int cols, FigType type, const void *base, size_t row_bytes, size_t col_bytes);
/* A plot of kind, returned zeroed but for no text, mark or highlight; the
 * pointer is valid until the next plot is added. */
FigPlot *fig_plot(Figure *f, FigKind kind);
FigSeries *fig_series(Figure *f, FigSeriesKind kind, const char *name, int x_col, int y_col, int row0, int n);
/* Nothing to show: the two lines the view draws. */
int fig_empty(Figure *f, const char *why, const char *hint);
/* 0, or -1 with err when building ran out of memory. */
int fig_done(Figure *f, BtError *err);

/* Labels for T tokens: tokens itself, or "#0", "#1", ... owned by f when
 * there are none. (The writers pass every text through the sanitiser.) */
const char *const *fig_labels(Figure *f, const char *const *tokens, int T);

/* The palette of heads and curves (cycled), 0xRRGGBBAA. */
uint32_t fig_palette(int i);
/* The largest |v| below the q-quantile (q in (0,1]) of n values: a colour
 * range that a few outlier dimensions do not wash out. */
float robust_absmax(const float *v, long n, float q);
/* Up to cap multiples of a 1–2–5 step inside [lo, hi], about n of them;
 * and 1–2–5 values per decade inside [10^lo, 10^hi]. */
int fig_ticks(double lo, double hi, int n, double *out, int cap);
int fig_log_ticks(double lo, double hi, int n, double *out, int cap);

/* ---- Writers (csv_write.c, svg_write.c) ------------------------------------ */
/* The table as CSV (RFC 4180: a header row, fields quoted when they hold a
 * comma, a quote or a line break, quotes doubled, CRLF line ends; numbers
 * with '.' whatever the locale, the shortest text that reads back the
 * same; an empty cell for NaN). */
int fig_write_csv(const Figure *f, const char *path, BtError *err);
/* One field as CSV writes it. */
void csv_field(FILE *out, const char *s);
/* The plots as a standalone SVG 1.1 document. */
int fig_write_svg(const Figure *f, const char *path, BtError *err);
/* s as XML character data or attribute text: & < > " ' escaped, and what
 * XML 1.0 cannot hold (controls, U+FFFE/F, invalid UTF-8) replaced. */
void xml_text(FILE *out, const char *s);
/* A number as the writers print it: the shortest of %.Ng that reads back
 * as the same float (is_float) or double, with '.' whatever the locale. */
void fig_number(char *buf, size_t n, double v, int is_float);

#endif
