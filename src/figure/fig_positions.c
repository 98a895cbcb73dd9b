/* The positional-encoding view's numbers: the sinusoid of Vaswani et al.
 * as a positions × dimensions table, a few of its dimensions as curves,
 * and the position-to-position dot products; a model with learned
 * positions has its own table first. Rows: positions. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "bertology/posenc.h"
#include "fig_internal.h"

enum { NCURVES = 4 };

static float *gram(const float *x, int P, int H) {
    float *d = malloc(sizeof *d * (size_t)P * P);
    if (!d) return NULL;
    for (int i = 0; i < P; i++)
        for (int j = 0; j <= i; j++) {
            double s = 0;
            for (int k = 0; k < H; k++) s += (double)x[(long)i * H + k] * x[(long)j * H + k];
            d[(long)i * P + j] = d[(long)j * P + i] = (float)s;
        }
    return d;
}

/* The dot products are P²·H multiply-adds, too many to redo on every
 * frame: kept until the model or its weights change. */
static int tables(FigPosTables *c, const BertModel *m, unsigned gen, const float *learned, int P, int H) {
    if (c->model == m && c->model_gen == gen && c->P == P && c->H == H && c->sin) return 0;
    free(c->sin);
    free(c->sin_dot);
    free(c->learned_dot);
    memset(c, 0, sizeof *c);
    c->sin = malloc(sizeof *c->sin * (size_t)P * H);
    if (!c->sin) return -1;
    posenc_sinusoidal(c->sin, P, H);
    c->sin_dot = gram(c->sin, P, H);
    c->learned_dot = learned ? gram(learned, P, H) : NULL;
    c->model = m;
    c->model_gen = gen;
    c->P = P;
    c->H = H;
    return !c->sin_dot || (learned && !c->learned_dot) ? -1 : 0;
}

static void minmax(const float *v, long n, float *lo, float *hi) {
    *lo = INFINITY;
    *hi = -INFINITY;
    for (long i = 0; i < n; i++) {
        if (v[i] < *lo) *lo = v[i];
        if (v[i] > *hi) *hi = v[i];
    }
    if (!(*hi > *lo)) *hi = *lo + 1;
}

/* One table's columns and plots: its P×H values (a heatmap), four of its
 * dimensions as curves, and its P×P dot products (a heatmap). */
static void section(Figure *f, const char *name, const char *title, const float *x, const float *dot, int P, int H,
                    int emphasis) {
    int c0 = fig_columns(f, H, fig_strf(f, "%s_d%%d", name), 0);
    int hb = fig_block(f, 0, c0, P, H, FIG_F32, x, sizeof(float) * H, sizeof(float));
    int d0 = fig_columns(f, P, fig_strf(f, "%s_dot_p%%d", name), 0);
    int db = fig_block(f, 0, d0, P, P, FIG_F32, dot, sizeof(float) * P, sizeof(float));
    if (c0 < 0 || d0 < 0) return;
    const char **dims_lab = fig_alloc(f, sizeof(char *) * (size_t)H);
    for (int d = 0; dims_lab && d < H; d++) dims_lab[d] = fig_strf(f, "%d", d);
    const char **pos_lab = fig_alloc(f, sizeof(char *) * (size_t)P);
    for (int q = 0; pos_lab && q < P; q++) pos_lab[q] = fig_strf(f, "%d", q);

    float amp = robust_absmax(x, (long)P * H, 1.0f);
    FigPlot *pl = fig_plot(f, FIG_HEATMAP);
    if (!pl) return;
    pl->title = title;
    pl->block = hb;
    pl->emphasis = emphasis;
    pl->row_labels = pos_lab;
    pl->col_labels = dims_lab;
    pl->row_axis = _("position");
    pl->col_axis = _("dimension");
    pl->cmap = CMAP_RDBU;
    pl->lo = -amp;
    pl->hi = amp;

    /* a few dimensions as curves over the positions, fast ones to slow ones */
    int dims[NCURVES] = {0, 1, (H / 16) & ~1, (H / 4) & ~1};
    pl = fig_plot(f, FIG_LINES);
    if (!pl) return;
    pl->title = _("a few dimensions over the positions");
    pl->x_axis = _("position");
    pl->y_axis = _("value");
    pl->x0 = -0.5;
    pl->x1 = P - 0.5;
    pl->y0 = -amp;
    pl->y1 = amp;
    pl->series0 = f->nseries;
    for (int c = 0; c < NCURVES; c++) {
        if (dims[c] >= H) dims[c] = H - 1;
        FigSeries *s = fig_series(f, FIG_LINE, fig_strf(f, _("dim %d"), dims[c]), 0, c0 + dims[c], 0, P);
        if (!s) return;
        s->rgba = fig_palette(c);
        s->width = 1.5f;
        f->plots[f->nplots - 1].nseries++;
    }

    float lo, hi;
    minmax(dot, (long)P * P, &lo, &hi);
    pl = fig_plot(f, FIG_HEATMAP);
    if (!pl) return;
    pl->title = _("position · position");
    pl->block = db;
    pl->row_labels = pl->col_labels = pos_lab;
    pl->row_axis = pl->col_axis = _("position");
    pl->cmap = CMAP_VIRIDIS;
    pl->lo = lo;
    pl->hi = hi;
}

FIG_FN(positions) {
    (void)p;
    (void)err;
    const BertModel *m = st->model;
    const Trace *t = st->trace;
    int H = m ? m->cfg.hidden_size : t ? t->H : 0;
    if (H <= 0) return fig_empty(f, _("No model loaded"), _("Load a model to see its positions."));
    int maxpos = m ? m->cfg.max_position : 512, T = t ? t->T : 0;
    /* Enough positions to see the slow dimensions turn, and all of the sentence. */
    int P = T > 128 ? T : 128;
    if (P > maxpos) P = maxpos;
    const float *learned = m && m->cfg.pos_type == POS_ABSOLUTE ? m->pos_emb : NULL;
    FigPosTables *c = &cache->pos;
    if (tables(c, m, st->model_gen, learned, P, H) != 0) {
        f->failed = 1;
        return 0;
    }
    f->title = _("Positional encodings");
    f->caption = T ? fig_strf(f, _("the sentence uses positions 0 to %d"), T - 1) : NULL;
    fig_column(f, "position");
    fig_block(f, 0, 0, P, 1, FIG_I32, fig_iota(f, P, 0), sizeof(int32_t), 0);
    char *sin_title = fig_strf(f, _("sinusoid PE[p,2i] = sin(p/10000^(2i/H)), PE[p,2i+1] = cos(…)%s   "
                                    "positions ↓ × dimensions →"), learned ? "" : _(" (this model's own positions)"));
    if (learned) {
        section(f, "learned", _("learned position embeddings of this model   positions ↓ × dimensions →"), learned,
                c->learned_dot, P, H, 1);
        section(f, "sin", sin_title, c->sin, c->sin_dot, P, H, 0);
    } else {
        section(f, "sin", sin_title, c->sin, c->sin_dot, P, H, 1);
    }
    f->layout_cols = 3;
    return 0;
}
