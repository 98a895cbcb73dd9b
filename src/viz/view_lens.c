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

static const char *token_of(const VizState *st, int id, char *buf, size_t n) {
    const char *s = st->model && st->model->tok ? tok_token(st->model->tok, id) : NULL;
    if (s) snprintf(buf, n, "%s", s);
    else snprintf(buf, n, "#%d", id);
    return buf;
}

/* The top of the colour scale: the table's largest probability. */
float lens_view_pmax(const LensResult *r) {
    double m = 0;
    for (int i = 0; i < r->depths * r->k; i++)
        if (isfinite(r->top[i].p) && r->top[i].p > m) m = r->top[i].p;
    return m > 0 ? (float)m : 1;
}

/* Dark ink on the bright end of the map, light ink on the dark end. */
static SDL_Color ink_on(float p, float pmax) {
    uint32_t c = cmap_rgba(CMAP_VIRIDIS, p, 0, pmax);
    int lum = (int)(0.3 * (c >> 24) + 0.59 * ((c >> 16) & 255) + 0.11 * ((c >> 8) & 255));
    return lum > 140 ? (SDL_Color){16, 18, 24, 255} : COL_TEXT;
}

/* The depths × K cells: token and probability in each. */
static void draw_table(VizCtx *cx, const VizState *st, const LensResult *r, SDL_Rect g, int cw, int rh) {
    int D = r->depths, k = r->k;
    float pmax = lens_view_pmax(r);
    float *m = malloc(sizeof(float) * (size_t)D * k);
    if (m) {
        for (int i = 0; i < D * k; i++) m[i] = isfinite(r->top[i].p) ? (float)r->top[i].p : 0;
        draw_matrix(cx, m, D, k, k, g, CMAP_VIRIDIS, 0, pmax);
        free(m);
    }
    for (int d = 0; d <= D; d++) draw_line(cx, g.x, g.y + d * rh, g.x + g.w, g.y + d * rh, 1, COL_BG);
    for (int j = 0; j <= k; j++) draw_line(cx, g.x + j * cw, g.y, g.x + j * cw, g.y + g.h, 1, COL_BG);
    int px = label_px(cx, rh * 0.42f);
    int two = rh >= px * 2 + 4;   /* token above, probability below; else the token alone */
    if (cw < text_width(cx, px, "m…") + 4) return;
    for (int d = 0; d < D; d++)
        for (int j = 0; j < k; j++) {
            const Guess *gu = &r->top[(size_t)d * k + j];
            char tok[96], fit[96], p[32];
            SDL_Color ink = ink_on((float)gu->p, pmax);
            text_fit(cx, px, token_of(st, gu->id, tok, sizeof tok), cw - 6, fit, sizeof fit);
            int x = g.x + j * cw + cw / 2, y = g.y + d * rh + rh / 2;
            if (two) {
                draw_text(cx, px, x, y, ALIGN_CENTER | VALIGN_BOTTOM, ink, fit);
                draw_text(cx, cx->fs_min, x, y, ALIGN_CENTER | VALIGN_TOP, ink, viz_pct(p, sizeof p, gu->p));
            } else {
                draw_text(cx, px, x, y, ALIGN_CENTER | VALIGN_MIDDLE, ink, fit);
            }
            if (gu->id == r->word)
                frame_rect(cx, (SDL_Rect){g.x + j * cw + 1, g.y + d * rh + 1, cw - 2, rh - 2}, COL_ACCENT, 2);
        }
}

/* The word's rank at each depth, x = log10(rank) from rank 1 to V. */
static void draw_ranks(VizCtx *cx, VizLensView *lv, const LensResult *r, SDL_Rect p, int rh, const char *word) {
    int D = r->depths;
    double top = 1;
    for (int d = 0; d < D; d++)
        if (r->rank[d] > top) top = r->rank[d];
    /* the axis runs to the next power of ten above the worst rank */
    double decades = ceil(log10(top < 10 ? 10 : top));
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
        double lx = log10(r->rank[d] > 0 ? r->rank[d] : 1) / decades;
        lv->pt[d] = (SDL_Point){p.x + (int)(p.w * lx + 0.5), p.y + d * rh + rh / 2};
    }
    for (int d = 1; d < D; d++)
        draw_line(cx, lv->pt[d - 1].x, lv->pt[d - 1].y, lv->pt[d].x, lv->pt[d].y, 2.5f * cx->dpi, COL_ACCENT);
    int hov = -1;
    for (int d = 0; d < D; d++) {
        int near = cx->mouse_in && cx->my >= p.y + d * rh && cx->my < p.y + (d + 1) * rh && cx->mx >= p.x &&
                   cx->mx < p.x + p.w;
        if (near) hov = d;
        draw_disc(cx, lv->pt[d].x, lv->pt[d].y, (near ? 5 : 3.5f) * cx->dpi, near ? COL_TEXT : COL_ACCENT);
        char lab[32];
        snprintf(lab, sizeof lab, "#%d", r->rank[d]);
        int tw = text_width(cx, px, lab), right = lv->pt[d].x + tw + 10 < p.x + p.w;
        int lx = lv->pt[d].x + (right ? 8 : -8 - tw);
        /* on the panel's colour, so that the line does not cross the number out */
        fill_rect(cx, (SDL_Rect){lx - 2, lv->pt[d].y - px * 2 / 3, tw + 4, px * 4 / 3}, COL_PANEL);
        draw_text(cx, px, lx, lv->pt[d].y, ALIGN_LEFT | VALIGN_MIDDLE, COL_TEXT, lab);
    }
    if (hov >= 0) {
        char name[32], pc[32];
        lens_depth_name(hov, name, sizeof name);
        tip(cx, "%s", name);
        tip(cx, _("'%s': rank %d, p = %s"), word, r->rank[hov], viz_pct(pc, sizeof pc, r->prob[hov]));
    }
}

static void view_lens_draw(VizCtx *cx, void *self, const VizState *st, SDL_Rect area) {
    VizLensView *lv = self;
    memset(lv, 0, sizeof *lv);
    const LensResult *r = st->lens;
    if (!r || r->depths < 1 || r->k < 1 || !r->top) {
        draw_notice(cx, area, _("No lens yet"),
                    _("In the REPL: the cat sat on the [MASK] .  then  lens  (the MLM head read at every depth)"));
        return;
    }
    if (r->depths > VIZ_LENS_MAX_DEPTHS) {
        draw_notice(cx, area, _("Too many layers to draw"), _("`lens` in the REPL prints the table."));
        return;
    }
    int pad = cx->pad, x = area.x + 2 * pad, w = area.w - 4 * pad, y = area.y + pad;
    int D = r->depths, k = r->k;
    char line[768], fit[768], at[96], word[96] = "";
    token_of(st, r->pos_id, at, sizeof at);
    if (r->word >= 0) token_of(st, r->word, word, sizeof word);
    snprintf(line, sizeof line, _("Position %d (%s): the MLM head read after the embeddings and after each layer"),
             r->pos, at);
    text_fit(cx, cx->fs, line, w, fit, sizeof fit);
    SDL_Rect tr = draw_text(cx, cx->fs, x, y, ALIGN_LEFT, COL_TEXT, fit);
    y = tr.y + tr.h;
    snprintf(line, sizeof line, "“%s”", r->text ? r->text : "");
    text_fit(cx, cx->fs - 1, line, w, fit, sizeof fit);
    tr = draw_text(cx, cx->fs - 1, x, y, ALIGN_LEFT, COL_DIM, fit);
    y = tr.y + tr.h;
    char top[32], legend[512];
    snprintf(legend, sizeof legend, _("colour: probability, from 0 to %s (the largest here)"),
             viz_pct(top, sizeof top, lens_view_pmax(r)));
    if (r->word >= 0)
        snprintf(line, sizeof line,
                 r->answer ? _("%s · framed and the line: the model's answer '%s', its rank at each depth (log scale, "
                               "1 = top guess)")
                           : _("%s · framed and the line: '%s', its rank at each depth (log scale, 1 = top guess)"),
                 legend, word);
    else snprintf(line, sizeof line, "%s", legend);
    text_fit(cx, cx->fs_min, line, w, fit, sizeof fit);
    tr = draw_text(cx, cx->fs_min, x, y, ALIGN_LEFT, COL_DIM, fit);
    y = tr.y + tr.h + pad;

    /* Columns: depth names | K cells | the rank panel (a third of the width). */
    int px = cx->fs_min + (cx->fs - cx->fs_min) / 2;
    char probe[32];
    lens_depth_name(D - 1, probe, sizeof probe);
    int band_w = text_width(cx, px, probe) + pad;
    int head_h = px * 3 / 2 + pad / 2;
    int follow = r->word >= 0 && r->rank;
    int plot_w = follow ? w / 3 : 0, gap = follow ? 3 * pad : 0;
    int foot_h = follow ? cx->fs_min * 3 / 2 : 0;   /* the rank axis's numbers, under the panel */
    int tw = w - band_w - plot_w - gap, th = area.y + area.h - y - head_h - foot_h - pad;
    if (tw < k * 8 || th < D * 6 || (follow && plot_w < 6 * cx->fs)) {
        draw_notice(cx, area, _("The window is too small for the lens"), _("Make it larger."));
        return;
    }
    int cw = tw / k, rh = th / D;
    if (rh > cx->fs * 3) rh = cx->fs * 3;
    if (cw > cx->fs * 9) cw = cx->fs * 9;
    SDL_Rect g = {x + band_w, y + head_h, cw * k, rh * D};
    draw_table(cx, st, r, g, cw, rh);
    lv->table = g;
    lv->rows = D;
    lv->cols = k;
    lv->drawn = 1;
    set_grid(cx, g, D, k);

    int hd = -1, hj = -1;
    if (cx->mouse_in && cell_at(g, D, k, cx->mx, cx->my, &hd, &hj)) {
        const Guess *gu = &r->top[(size_t)hd * k + hj];
        char name[32], tok[96], pc[32];
        lens_depth_name(hd, name, sizeof name);
        frame_rect(cx, (SDL_Rect){g.x + hj * cw, g.y + hd * rh, cw, rh}, COL_TEXT, 1);
        tip(cx, _("%s, guess %d: '%s', p = %s"), name, hj + 1, token_of(st, gu->id, tok, sizeof tok),
            viz_pct(pc, sizeof pc, gu->p));
    }
    int gr = label_group(cx);
    for (int d = 0; d < D; d++) {
        char name[32];
        lens_depth_name(d, name, sizeof name);
        label_log(cx, draw_text(cx, px, g.x - pad / 2, g.y + d * rh + rh / 2, ALIGN_RIGHT | VALIGN_MIDDLE,
                                d == hd ? COL_ACCENT : COL_TEXT, name), gr);
    }
    gr = label_group(cx);
    for (int j = 0; j < k; j++)
        label_log(cx, draw_textf(cx, px, g.x + j * cw + cw / 2, g.y - pad / 2, ALIGN_CENTER | VALIGN_BOTTOM,
                                 j == hj ? COL_ACCENT : COL_TEXT, "%d", j + 1), gr);
    if (follow) {
        SDL_Rect p = {g.x + g.w + gap, g.y, plot_w - pad, g.h};
        char head[160], hf[160];
        snprintf(head, sizeof head, _("rank of '%s'"), word);
        text_fit(cx, px, head, p.w, hf, sizeof hf);
        draw_text(cx, px, p.x, g.y - pad / 2, ALIGN_LEFT | VALIGN_BOTTOM, COL_ACCENT, hf);
        lv->plot = p;
        draw_ranks(cx, lv, r, p, rh, word);
    }
}

const ViewOps view_lens = {view_lens_draw, sizeof(VizLensView), NULL};
