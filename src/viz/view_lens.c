/* View L: the REPL's last `lens` (core/lens.c). A table of depths down
 * (the embeddings, then each layer's output) and the MLM head's top-K
 * across, each cell coloured by its probability on one scale from 0 to
 * the table's largest (a small model is seldom sure: on 0–100% every
 * cell would be dark), so that where the head grows surer stands out;
 * beside it, the
 * followed word's rank at each depth on a log scale, a line down the
 * same rows (rank 1 on the left: the top guess). The word's cells in the
 * table are framed. Hovering a cell or a point gives its numbers. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "draw.h"
#include "view_lens.h"

/* Dark ink on the bright end of the map, light ink on the dark end. */
static SDL_Color ink_on(float p, float pmax) {
    uint32_t c = cmap_rgba(CMAP_VIRIDIS, p, 0, pmax);
    int lum = (int)(0.3 * (c >> 24) + 0.59 * ((c >> 16) & 255) + 0.11 * ((c >> 8) & 255));
    return lum > 140 ? (SDL_Color){16, 18, 24, 255} : COL_TEXT;
}

/* The depths × K cells: token and probability in each, the followed
 * word's framed; all read from the figure's heatmap. */
static void draw_table(VizCtx *cx, const Figure *f, const FigPlot *pl, SDL_Rect g, int cw, int rh) {
    int D, k;
    long stride;
    float *tmp;
    const float *m = fig_plot_matrix(f, pl, &D, &k, &stride, &tmp);
    float pmax = pl->hi;
    if (m) {
        /* a probability that is not a number is drawn as 0 */
        float *fin = malloc(sizeof *fin * (size_t)D * k);
        if (fin) {
            for (int i = 0; i < D * k; i++) fin[i] = isfinite(m[i]) ? m[i] : 0;
            draw_matrix(cx, fin, D, k, k, g, pl->cmap, pl->lo, pmax);
            free(fin);
        }
    }
    free(tmp);
    for (int d = 0; d <= D; d++) draw_line(cx, g.x, g.y + d * rh, g.x + g.w, g.y + d * rh, 1, COL_BG);
    for (int j = 0; j <= k; j++) draw_line(cx, g.x + j * cw, g.y, g.x + j * cw, g.y + g.h, 1, COL_BG);
    int px = label_px(cx, rh * 0.42f);
    int two = rh >= px * 2 + 4;   /* token above, probability below; else the token alone */
    if (cw < text_width(cx, px, "m…") + 4) return;
    const FigBlock *mb = &f->blocks[pl->mark_block];
    for (int d = 0; d < D; d++)
        for (int j = 0; j < k; j++) {
            double pr = fig_plot_value(f, pl, d, j);
            char fit[96], pc[32];
            SDL_Color ink = ink_on((float)pr, pmax);
            text_fit(cx, px, fig_plot_text(f, pl, pl->text_block, d, j), cw - 6, fit, sizeof fit);
            int x = g.x + j * cw + cw / 2, y = g.y + d * rh + rh / 2;
            if (two) {
                draw_text(cx, px, x, y, ALIGN_CENTER | VALIGN_BOTTOM, ink, fit);
                draw_text(cx, cx->fs_min, x, y, ALIGN_CENTER | VALIGN_TOP, ink, bt_pct(pc, sizeof pc, pr));
            } else {
                draw_text(cx, px, x, y, ALIGN_CENTER | VALIGN_MIDDLE, ink, fit);
            }
            if (((const int32_t *)mb->base)[d * k + j])
                frame_rect(cx, (SDL_Rect){g.x + j * cw + 1, g.y + d * rh + 1, cw - 2, rh - 2}, COL_ACCENT, 2);
        }
}

/* The word's rank at each depth (the figure's line), x = log10(rank)
 * from rank 1 to the axis's last decade. */
static void draw_ranks(VizCtx *cx, VizLensView *lv, const Figure *f, const FigPlot *rp, SDL_Rect p, int rh) {
    const FigSeries *s = &f->series[rp->series0];
    int D = s->n;
    double decades = rp->y0;
    const char *word = s->name;
    fill_rect(cx, p, COL_PANEL);
    int px = cx->fs_min;
    int gr = label_group(cx);
    for (int e = 0; e <= (int)decades; e++) {
        int x = p.x + (int)(p.w * e / decades);
        draw_line(cx, x, p.y, x, p.y + p.h, 1, COL_GRID);
        char lab[24];
        if (e < 3) snprintf(lab, sizeof lab, "%d", (int)pow(10, e));
        else if (e < 6) snprintf(lab, sizeof lab, "%dk", (int)pow(10, e - 3));
        else snprintf(lab, sizeof lab, "%dM", (int)pow(10, e - 6));
        label_log(cx, draw_text(cx, px, x, p.y + p.h + 2, ALIGN_CENTER | VALIGN_TOP, COL_DIM, lab), gr);
    }
    lv->npts = D;
    for (int d = 0; d < D; d++) {
        double rank = fig_value(f, s->row0 + d, s->y_col);
        double lx = log10(rank > 0 ? rank : 1) / decades;
        lv->pt[d] = (SDL_Point){p.x + (int)(p.w * lx + 0.5), p.y + d * rh + rh / 2};
    }
    for (int d = 1; d < D; d++)
        draw_line(cx, lv->pt[d - 1].x, lv->pt[d - 1].y, lv->pt[d].x, lv->pt[d].y, s->width * cx->dpi, COL_ACCENT);
    int hov = -1;
    for (int d = 0; d < D; d++) {
        int near = cx->mouse_in && cx->my >= p.y + d * rh && cx->my < p.y + (d + 1) * rh && cx->mx >= p.x &&
                   cx->mx < p.x + p.w;
        if (near) hov = d;
        draw_disc(cx, lv->pt[d].x, lv->pt[d].y, (near ? 5 : s->dot) * cx->dpi, near ? COL_TEXT : COL_ACCENT);
        char lab[32];
        snprintf(lab, sizeof lab, "#%d", (int)fig_value(f, s->row0 + d, s->y_col));
        int tw = text_width(cx, px, lab), right = lv->pt[d].x + tw + 10 < p.x + p.w;
        int lx = lv->pt[d].x + (right ? 8 : -8 - tw);
        /* on the panel's colour, so that the line does not cross the number out */
        fill_rect(cx, (SDL_Rect){lx - 2, lv->pt[d].y - px * 2 / 3, tw + 4, px * 4 / 3}, COL_PANEL);
        draw_text(cx, px, lx, lv->pt[d].y, ALIGN_LEFT | VALIGN_MIDDLE, COL_TEXT, lab);
    }
    if (hov >= 0) {
        char pc[32];
        /* the depth's name and the word's rank and probability: the table's columns */
        tip(cx, "%s", rp->row_labels ? rp->row_labels[hov] : f->plots[0].row_labels[hov]);
        tip(cx, _("'%s': rank %d, p = %s"), word, (int)fig_value(f, s->row0 + hov, s->y_col),
            bt_pct(pc, sizeof pc, fig_value(f, s->row0 + hov, s->y_col + 1)));
    }
}

static void view_lens_draw(VizCtx *cx, void *self, const VizState *st, SDL_Rect area) {
    VizLensView *lv = self;
    memset(lv, 0, sizeof *lv);
    const LensResult *r = st->lens;
    if (r && r->depths > VIZ_LENS_MAX_DEPTHS) {
        draw_notice(cx, area, _("Too many layers to draw"), _("`lens` in the REPL prints the table."));
        return;
    }
    Figure f;
    if (viz_view_figure_or_notice(cx, VIZ_LENS, self, st, area, &f)) return;
    const FigPlot *pl = &f.plots[0], *rp = f.nplots > 1 ? &f.plots[1] : NULL;
    int pad = cx->pad, x = area.x + 2 * pad, w = area.w - 4 * pad, y = area.y + pad;
    int D = f.blocks[pl->block].rows, k = f.blocks[pl->block].cols;
    char line[768], fit[768];
    text_fit(cx, cx->fs, f.title, w, fit, sizeof fit);
    SDL_Rect tr = draw_text(cx, cx->fs, x, y, ALIGN_LEFT, COL_TEXT, fit);
    y = tr.y + tr.h;
    /* the caption's two lines: the sentence, then how to read the colours and the line */
    const char *nl = strchr(f.caption, '\n');
    snprintf(line, sizeof line, "%.*s", (int)(nl - f.caption), f.caption);
    text_fit(cx, cx->fs - 1, line, w, fit, sizeof fit);
    tr = draw_text(cx, cx->fs - 1, x, y, ALIGN_LEFT, COL_DIM, fit);
    y = tr.y + tr.h;
    text_fit(cx, cx->fs_min, nl + 1, w, fit, sizeof fit);
    tr = draw_text(cx, cx->fs_min, x, y, ALIGN_LEFT, COL_DIM, fit);
    y = tr.y + tr.h + pad;

    /* Columns: depth names | K cells | the rank panel (a third of the width). */
    int px = cx->fs_min + (cx->fs - cx->fs_min) / 2;
    int band_w = text_width(cx, px, pl->row_labels[D - 1]) + pad;
    int head_h = px * 3 / 2 + pad / 2;
    int follow = rp != NULL;
    int plot_w = follow ? w / 3 : 0, gap = follow ? 3 * pad : 0;
    int foot_h = follow ? cx->fs_min * 3 / 2 : 0;   /* the rank axis's numbers, under the panel */
    int tw = w - band_w - plot_w - gap, th = area.y + area.h - y - head_h - foot_h - pad;
    if (tw < k * 8 || th < D * 6 || (follow && plot_w < 6 * cx->fs)) {
        draw_notice(cx, area, _("The window is too small for the lens"), _("Make it larger."));
        fig_free(&f);
        return;
    }
    int cw = tw / k, rh = th / D;
    if (rh > cx->fs * 3) rh = cx->fs * 3;
    if (cw > cx->fs * 9) cw = cx->fs * 9;
    SDL_Rect g = {x + band_w, y + head_h, cw * k, rh * D};
    draw_table(cx, &f, pl, g, cw, rh);
    lv->table = g;
    lv->rows = D;
    lv->cols = k;
    lv->drawn = 1;
    lv->pmax = pl->hi;
    set_grid(cx, g, D, k);

    int hd = -1, hj = -1;
    if (cx->mouse_in && cell_at(g, D, k, cx->mx, cx->my, &hd, &hj)) {
        char pc[32];
        frame_rect(cx, (SDL_Rect){g.x + hj * cw, g.y + hd * rh, cw, rh}, COL_TEXT, 1);
        tip(cx, _("%s, guess %d: '%s', p = %s"), pl->row_labels[hd], hj + 1, fig_plot_text(&f, pl, pl->text_block, hd, hj),
            bt_pct(pc, sizeof pc, fig_plot_value(&f, pl, hd, hj)));
    }
    int gr = label_group(cx);
    for (int d = 0; d < D; d++)
        label_log(cx, draw_text(cx, px, g.x - pad / 2, g.y + d * rh + rh / 2, ALIGN_RIGHT | VALIGN_MIDDLE,
                                d == hd ? COL_ACCENT : COL_TEXT, pl->row_labels[d]), gr);
    gr = label_group(cx);
    for (int j = 0; j < k; j++)
        label_log(cx, draw_text(cx, px, g.x + j * cw + cw / 2, g.y - pad / 2, ALIGN_CENTER | VALIGN_BOTTOM,
                                j == hj ? COL_ACCENT : COL_TEXT, pl->col_labels[j]), gr);
    if (follow) {
        SDL_Rect p = {g.x + g.w + gap, g.y, plot_w - pad, g.h};
        char hf[160];
        text_fit(cx, px, rp->title, p.w, hf, sizeof hf);
        draw_text(cx, px, p.x, g.y - pad / 2, ALIGN_LEFT | VALIGN_BOTTOM, COL_ACCENT, hf);
        lv->plot = p;
        draw_ranks(cx, lv, &f, rp, p, rh);
    }
    fig_free(&f);
}

const ViewOps view_lens = {view_lens_draw, sizeof(VizLensView), NULL, NULL};
