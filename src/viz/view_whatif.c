/* View W: the REPL's last `whatif`. Left, the layers × heads grid of how
 * far the attention moved between run A and run B (mean total-variation
 * distance over the paired query tokens, dark: unchanged); right, the
 * paired tokens × depths grid of the cosine of their hidden vectors
 * (dark: unchanged, bright: moved apart), so that a change can be
 * followed as it spreads through the layers. Below, the tokens without a
 * partner, the guesses at the first [MASK] or changed token, and NSP.
 * Hovering a cell gives its numbers. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bertology/lens.h"
#include "draw.h"
#include "view_whatif.h"

static const char *tok(const VizState *st, int id) {
    const char *t = st->model && st->model->tok ? tok_token(st->model->tok, id) : NULL;
    return t ? t : "?";
}

/* The attention grid (the figure's first heatmap) in box; returns where it went. */
static SDL_Rect attn_panel(VizCtx *cx, const Figure *f, const FigPlot *pl, SDL_Rect box) {
    int L, nh;
    long stride;
    float *tmp;
    const float *m = fig_plot_matrix(f, pl, &L, &nh, &stride, &tmp);
    int pad = cx->pad, px = cx->fs_min + (cx->fs - cx->fs_min) / 2;
    double hi = pl->hi;
    int band_w = text_width(cx, px, pl->row_labels[L - 1]) + pad, band_h = px * 3 / 2 + pad / 2;
    int bar_band = cx->fs + text_width(cx, cx->fs_min, "0.000") + 2 * pad;
    int aw = box.w - band_w - bar_band, ah = box.h - band_h;
    int cell = aw / nh < ah / L ? aw / nh : ah / L;
    if (cell > cx->fs * 6) cell = cx->fs * 6;
    if (cell < 2) cell = 2;
    SDL_Rect g = {box.x + band_w, box.y + band_h, cell * nh, cell * L};
    if (!m) return g;
    draw_matrix(cx, m, L, nh, stride, g, pl->cmap, pl->lo, pl->hi);
    /* the numbers, when they fit: dark ink on the bright end of the map */
    int vpx = label_px(cx, cell * 0.36f);
    if (text_width(cx, vpx, "0.00") <= cell - 4 && vpx <= cell / 2)
        for (int i = 0; i < L * nh; i++) {
            double x = m[(long)(i / nh) * stride + i % nh];
            if (!isfinite(x)) continue;
            char buf[16];
            snprintf(buf, sizeof buf, "%.2f", x);
            SDL_Color ink = x / hi > 0.6 ? (SDL_Color){20, 20, 30, 255} : COL_TEXT;
            draw_text(cx, vpx, g.x + (i % nh) * cell + cell / 2, g.y + (i / nh) * cell + cell / 2,
                      ALIGN_CENTER | VALIGN_MIDDLE, ink, buf);
        }
    free(tmp);
    int gr = label_group(cx), k = 1;
    while (k * cell < px * 6 / 5) k++;
    for (int l = 0; l < L; l += k)
        label_log(cx, draw_text(cx, px, g.x - pad / 2, g.y + l * cell + cell / 2, ALIGN_RIGHT | VALIGN_MIDDLE, COL_TEXT,
                                pl->row_labels[l]), gr);
    gr = label_group(cx);
    k = 1;
    while (k * cell < text_width(cx, px, "h00") + pad / 2) k++;
    for (int h = 0; h < nh; h += k)
        label_log(cx, draw_text(cx, px, g.x + h * cell + cell / 2, g.y - pad / 2, ALIGN_CENTER | VALIGN_BOTTOM,
                                COL_TEXT, pl->col_labels[h]), gr);
    draw_colorbar(cx, (SDL_Rect){g.x + g.w + pad, g.y, cx->fs, g.h}, pl->cmap, pl->lo, pl->hi);
    return g;
}

/* Paired tokens down, depths across: 1 − cosine, so that what moved is bright. */
static SDL_Rect cos_panel(VizCtx *cx, const Figure *f, const FigPlot *pl, SDL_Rect box) {
    int n, D;
    long stride;
    float *tmp;
    const float *m = fig_plot_matrix(f, pl, &n, &D, &stride, &tmp);
    const char *const *lab = pl->row_labels;
    int pad = cx->pad;
    SDL_Rect g = {box.x, box.y, 0, 0};
    if (!m) return g;
    int band_h = cx->fs * 3 / 2, bar_band = cx->fs + text_width(cx, cx->fs_min, "0.000") + 2 * pad;
    float step = (float)(box.h - band_h) / n;
    if (step > cx->fs * 1.8f) step = cx->fs * 1.8f;
    if (step >= 2) step = floorf(step);   /* whole pixels: every row as tall, for hovering and tests */
    int px = label_px(cx, step);
    int band = labels_width(cx, lab, n, px) + pad;
    if (band > box.w / 3) band = box.w / 3;
    int cw = (box.w - band - bar_band) / D;
    if (cw > cx->fs * 5) cw = cx->fs * 5;
    if (cw < 2) cw = 2;
    g = (SDL_Rect){box.x + band, box.y + band_h, cw * D, (int)(step * n)};
    draw_matrix(cx, m, n, D, stride, g, pl->cmap, pl->lo, pl->hi);
    axis_labels_rows(cx, lab, n, g.y, step, g.x - pad / 2, band - pad, -1);
    int gr = label_group(cx), hpx = label_px(cx, (float)cw);
    for (int d = 0; d < D; d++) {
        if (text_width(cx, hpx, pl->col_labels[d]) > cw && d % 2) continue;
        label_log(cx, draw_text(cx, hpx, g.x + d * cw + cw / 2, g.y - pad / 3, ALIGN_CENTER | VALIGN_BOTTOM, COL_TEXT,
                                pl->col_labels[d]), gr);
    }
    draw_colorbar(cx, (SDL_Rect){g.x + g.w + pad, g.y, cx->fs, g.h < box.h / 2 ? box.h / 2 : g.h}, pl->cmap, pl->lo,
                  pl->hi);
    free(tmp);
    return g;
}

static void hover(VizCtx *cx, const VizState *st, const WhatIf *w, VizWhatIfView *v) {
    int r, c;
    if (!cx->mouse_in) return;
    if (cell_at(v->attn, w->L, w->nh, cx->mx, cx->my, &r, &c)) {
        size_t i = (size_t)r * w->nh + c;
        int row = w->tv_row[i];
        tip(cx, _("head %d.%d: attention moved by %.4f (mean TV over %d paired queries)"), r, c, w->tv_mean[i],
            w->npairs);
        if (row >= 0) tip(cx, _("most at query %d %s: %.4f"), row, tok(st, w->ids_a[row]), w->tv_max[i]);
    } else if (w->npairs > 0 && cell_at(v->cos, w->npairs, w->L + 1, cx->mx, cx->my, &r, &c)) {
        const WhatIfPair *q = &w->pairs[r];
        char depth[32];
        lens_depth_name(c, depth, sizeof depth);
        tip(cx, "A%d %s / B%d %s", q->a, tok(st, w->ids_a[q->a]), q->b, tok(st, w->ids_b[q->b]));
        tip(cx, _("%s: cosine %.4f"), depth, w->cos[(size_t)r * (w->L + 1) + c]);
    }
}

static void view_whatif_draw(VizCtx *cx, void *self, const VizState *st, SDL_Rect area) {
    VizWhatIfView *v = self;
    memset(v, 0, sizeof *v);
    Figure f;
    if (viz_view_figure_or_notice(cx, VIZ_WHATIF, self, st, area, &f)) return;
    const WhatIf *w = st->whatif;
    int pad = cx->pad, x = area.x + 2 * pad, wd = area.w - 4 * pad, y = area.y + pad;
    char line[1024], fit[1024];
    text_fit(cx, cx->fs, f.title, wd, fit, sizeof fit);
    SDL_Rect tr = draw_text(cx, cx->fs, x, y, ALIGN_LEFT, COL_TEXT, fit);
    y = tr.y + tr.h;
    /* the caption's lines: both sentences, then the footer */
    const char *nl = strchr(f.caption, '\n');
    snprintf(line, sizeof line, "%.*s", (int)(nl - f.caption), f.caption);
    text_fit(cx, cx->fs - 1, line, wd, fit, sizeof fit);
    tr = draw_text(cx, cx->fs - 1, x, y, ALIGN_LEFT, COL_DIM, fit);
    y = tr.y + tr.h + pad;
    int foot = cx->fs * 2, ph = area.y + area.h - y - foot - pad, gap = 3 * pad;
    int pw1 = (wd - gap) * 2 / 5, pw2 = wd - gap - pw1;
    if (pw1 < 6 * cx->fs || ph < 6 * cx->fs) {
        draw_notice(cx, area, _("The window is too small for the what-if"), _("Make it larger."));
        fig_free(&f);
        return;
    }
    const FigPlot *pa = &f.plots[0], *pc = &f.plots[1];
    v->hi_tv = pa->hi;
    v->hi_cos = pc->hi;
    draw_text(cx, cx->fs_min + 1, x, y, ALIGN_LEFT | VALIGN_TOP, COL_DIM, pa->title);
    draw_text(cx, cx->fs_min + 1, x + pw1 + gap, y, ALIGN_LEFT | VALIGN_TOP, COL_DIM, pc->title);
    int top = y + cx->fs * 3 / 2;
    v->attn = attn_panel(cx, &f, pa, (SDL_Rect){x, top, pw1, ph - (top - y)});
    v->cos = cos_panel(cx, &f, pc, (SDL_Rect){x + pw1 + gap, top, pw2, ph - (top - y)});
    set_grid(cx, v->attn, w->L, w->nh);
    text_fit(cx, cx->fs_min + 1, nl + 1, wd, fit, sizeof fit);
    draw_text(cx, cx->fs_min + 1, x, area.y + area.h - foot, ALIGN_LEFT | VALIGN_TOP, COL_TEXT, fit);
    hover(cx, st, w, v);
    v->drawn = 1;
    fig_free(&f);
}

const ViewOps view_whatif = {view_whatif_draw, sizeof(VizWhatIfView), NULL, NULL};
