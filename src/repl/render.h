#ifndef BT_REPL_RENDER_H
#define BT_REPL_RENDER_H
/* Numbers on the terminal: matrices as aligned tables with token labels,
 * shaded when colour is available and cut to the width with a note on what
 * was left out; vectors summarised. */
#include <stdio.h>
#include "colour.h"
#include "session.h"

typedef struct {
    FILE *f;
    int width;        /* columns available */
    int colour;       /* term_colour_level */
    int precision;
} Out;

Out out_for(const Session *s);

enum { MAT_MAX_EXTRA = 8 };

typedef struct {
    const float *data;
    int rows, cols, stride;          /* row r starts at data + r*stride */
    const char *const *row_labels;   /* NULL: row numbers */
    const char *const *col_labels;   /* NULL: column numbers */
    const char *col_noun;            /* "dims", "keys": used in the elision note */
    RampKind ramp;
    float lo, hi;                    /* RAMP_SEQ range; RAMP_DIV uses max |x| */
    int summary;                     /* norm, mean and std of each row, at the right */
    int n_extra;                     /* more per-row columns after the summary */
    const char *extra_name[MAT_MAX_EXTRA];
    const float *extra[MAT_MAX_EXTRA];
    int full;                        /* every row and column, in blocks */
} MatView;

void render_matrix(const Out *o, const MatView *mv);

/* One vector: first values that fit on a line, then norm, mean and std;
 * with full, every value, several to a line with their indices. */
void render_vector(const Out *o, const char *label, const float *v, int n, int full);

/* Row statistics (row_stats), used by the summary columns and LayerNorm views. */
#include "bertology/vecstats.h"

/* "-0.123" in precision p; infinities as ±∞. Returns the string length. */
int fmt_num(char *buf, size_t n, float x, int p);

#endif
