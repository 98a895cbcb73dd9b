/* View 5: the vectors of the current stage as colour strips, one row per
 * token and one column per dimension, with each token's mean and variance
 * beside it: before and after a residual + LayerNorm the numbers show
 * what LayerNorm does (mean 0, variance 1, whatever came in). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include "draw.h"

/* A panel's mean and variance of row i: the two columns after its block. */
static void row_mean_var(const Figure *f, const FigPlot *pl, int i, float *mu, float *var) {
    const FigBlock *b = &f->blocks[pl->block];
    *mu = (float)fig_value(f, i, b->col0 + b->cols);
    *var = (float)fig_value(f, i, b->col0 + b->cols + 1);
}

static void panel(VizCtx *cx, const Figure *f, const FigPlot *pl, SDL_Rect r, int band, int stats_w) {
    int T, cols;
    long stride;
    float *tmp;
    const float *x = fig_plot_matrix(f, pl, &T, &cols, &stride, &tmp);
    const char *const *lab = pl->row_labels;
    if (!x) return;
    int pad = cx->pad, tpx = cx->fs_min + (cx->fs - cx->fs_min) / 2;
    float amp = pl->hi;
    char title[200];
    snprintf(title, sizeof title, _("%s   (T×%d, colour ±%.2f)"), pl->title, cols, amp);
    char fit[200];
    text_fit(cx, tpx, title, r.w, fit, sizeof fit);
    SDL_Rect tr = draw_text(cx, tpx, r.x + band, r.y, ALIGN_LEFT, pl->emphasis ? COL_ACCENT : COL_TEXT, fit);
    SDL_Rect m = {r.x + band, tr.y + tr.h + 2, r.w - band - stats_w - pad, r.y + r.h - (tr.y + tr.h + 2)};
    if (m.h < T && m.h < 4) {
        free(tmp);
        return;
    }
    draw_matrix(cx, x, T, cols, stride, m, pl->cmap, pl->lo, pl->hi);
    if (pl->emphasis) frame_rect(cx, (SDL_Rect){m.x - 1, m.y - 1, m.w + 2, m.h + 2}, COL_ACCENT, 1);
    float step = (float)m.h / T;
    int hover = -1, dim = -1;
    if (cx->mouse_in && point_in(&m, cx->mx, cx->my)) cell_at(m, T, cols, cx->mx, cx->my, &hover, &dim);
    axis_labels_rows(cx, lab, T, m.y, step, m.x - pad / 2, band - pad, hover);

    /* Mean and variance per token, thinned like the token labels. */
    int px = label_px(cx, step), k = label_every(cx, px, step), g = label_group(cx);
    for (int i = 0; i < T; i += k) {
        float mu, var;
        row_mean_var(f, pl, i, &mu, &var);
        char buf[48];
        snprintf(buf, sizeof buf, "μ %+.2f  σ² %.2f", fabsf(mu) < 0.005f ? 0.0f : mu, var);   /* no "-0.00" */
        label_log(cx, draw_text(cx, px, m.x + m.w + pad, m.y + (int)((i + 0.5f) * step),
                                ALIGN_LEFT | VALIGN_MIDDLE, i == hover ? COL_ACCENT : COL_DIM, buf), g);
    }
    if (hover >= 0) {
        float mu, var;
        row_mean_var(f, pl, hover, &mu, &var);
        tip(cx, "%s", pl->title);
        tip(cx, _("token %d \"%s\", dimension %d: %.4f"), hover, lab[hover], dim, x[(long)hover * stride + dim]);
        tip(cx, _("this token: mean %.4f, variance %.4f"), mu, var);
    }
    free(tmp);
}

static void view_vectors_draw(VizCtx *cx, void *self, const VizState *st, SDL_Rect area) {
    Figure f;
    if (viz_view_figure_or_notice(cx, VIZ_VECTORS, self, st, area, &f)) return;
    int T = st->trace->T, pad = cx->pad, n = f.nplots;
    const char *const *lab = n > 0 ? f.plots[0].row_labels : NULL;
    draw_text(cx, cx->fs, area.x + pad, area.y + pad / 2, ALIGN_LEFT | VALIGN_TOP, COL_DIM, f.caption);
    int top = area.y + cx->fs * 2;
    int ncol = n >= 5 && area.w >= 1100 * cx->dpi ? 2 : 1;
    int nrow = (n + ncol - 1) / ncol;
    if (nrow < 1) nrow = 1;
    int cw = (area.w - pad * (ncol + 1)) / ncol, ch = (area.y + area.h - top) / nrow;
    int band = lab ? labels_width(cx, lab, T, cx->fs) + pad : pad;
    if (band > cw / 6) band = cw / 6;
    int stats_w = text_width(cx, cx->fs, "μ +0.00  σ² 00.00");
    if (stats_w > cw / 4) stats_w = cw / 4;
    for (int i = 0; i < n; i++) {
        SDL_Rect r = {area.x + pad + (i / nrow) * (cw + pad), top + (i % nrow) * ch, cw, ch - pad};
        panel(cx, &f, &f.plots[i], r, band, stats_w);
    }
    fig_free(&f);
}

const ViewOps view_vectors = {view_vectors_draw, 0, NULL, NULL};
