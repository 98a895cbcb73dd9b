/* View F: one query row three ways, side by side (core/rollout.c): the
 * last layer's attention (heads averaged), attention rollout and
 * attention flow. A row of bars per input token, one length scale for the
 * three, so that what the residual connection and the depth change shows
 * as bars that grow or shrink between panels. Click a token to ask about it. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "draw.h"
#include "view_rollout.h"

/* The sentence's ids, hashed (FNV-1a): a chosen row belongs to one sentence. */
static unsigned long long fingerprint(const Trace *t) {
    unsigned long long h = 1469598103934665603ull ^ (unsigned)t->T;
    for (int i = 0; i < t->T; i++) h = (h ^ (unsigned)t->input_ids[i]) * 1099511628211ull;
    return h;
}

static void choose(VizRolloutView *v, const Trace *t, int query) {
    v->query = query;
    v->chosen = 1;
    v->chosen_in = fingerprint(t);
}

/* The row shown: the REPL's latest `rollout POS` or a clicked token, in
 * this sentence; else the default (the first [MASK], or [CLS]). */
static void update(VizRolloutView *v, const VizState *st) {
    const Trace *t = st->trace;
    if (st->instrument_gen && st->instrument_gen != v->seen_gen) {
        v->seen_gen = st->instrument_gen;
        if (st->instrument == VIZ_ROLLOUT) choose(v, t, st->rollout_query);
    }
    if (!v->chosen || v->query < 0 || v->query >= t->T || v->chosen_in != fingerprint(t)) {
        v->query = rollout_default_query(t, st->model ? st->model->tok : NULL);
        v->chosen = 0;
    }
}

static void view_rollout_params(void *self, const VizState *st, FigParams *p) {
    VizRolloutView *v = self;
    if (!st->trace || st->trace->L == 0) return;
    update(v, st);
    p->rollout_query = v->query;
}

static void view_rollout_draw(VizCtx *cx, void *self, const VizState *st, SDL_Rect area) {
    VizRolloutView *v = self;
    const Trace *t = st->trace;
    /* A click on a row of the last frame asks about that token. */
    if (t && t->L > 0 && cx->click && v->step > 0 && cx->my >= v->y0 && cx->mx >= area.x &&
        cx->mx < v->panel[2].x + v->panel[2].w) {
        int j = (int)((cx->my - v->y0) / v->step);
        if (j >= 0 && j < t->T && j != v->query) choose(v, t, j);
    }
    Figure f;
    if (viz_view_figure_or_notice(cx, VIZ_ROLLOUT, self, st, area, &f)) return;
    int T = t->T, pad = cx->pad, q = f.plots[0].at;
    const char *const *lab = f.plots[0].row_labels;
    int L = t->L;

    SDL_Rect hr = draw_textf(cx, cx->fs, area.x + pad, area.y + pad / 2, ALIGN_LEFT | VALIGN_TOP, COL_TEXT, "%s", f.title);
    draw_textf(cx, cx->fs_min + 1, hr.x + hr.w + 2 * pad, hr.y + hr.h / 2, ALIGN_LEFT | VALIGN_MIDDLE, COL_DIM,
               /* TRANSLATORS: after the rollout view's caption (the figure's, also in its SVG) */
               _("%s · click a token to ask about it"), f.caption);
    int top = hr.y + hr.h + pad, name_h = cx->fs * 3 / 2;

    /* Rows share the height; labels take what they need up to a fifth. */
    float step = (float)(area.y + area.h - pad - top - name_h) / T;
    if (step > cx->fs * 1.8f) step = cx->fs * 1.8f;
    int px = label_px(cx, step), band = labels_width(cx, lab, T, px) + pad;
    if (band > area.w / 5) band = area.w / 5;
    int gap = 2 * pad, pw = (area.w - 2 * pad - band - 2 * gap) / 3;
    int y0 = top + name_h;
    double hi = f.plots[0].hi;   /* one length scale for the three */
    v->y0 = y0;
    v->step = step;
    v->hi = hi;

    /* The query's row, marked across the panels. */
    SDL_Rect qband = {area.x + pad, y0 + (int)(q * step), area.w - 2 * pad, (int)step};
    fill_rect(cx, qband, (SDL_Color){COL_ACCENT.r, COL_ACCENT.g, COL_ACCENT.b, 40});
    axis_labels_rows(cx, lab, T, y0, step, area.x + pad + band - pad / 2, band - pad, q);

    int pct_w = text_width(cx, px, "100.0%") + pad / 2, hover_row = -1;
    int gnum = label_group(cx);
    for (int c = 0; c < 3; c++) {
        const FigPlot *pl = &f.plots[c];
        SDL_Rect p = {area.x + pad + band + c * (pw + gap), y0, pw, (int)(T * step)};
        v->panel[c] = p;
        char fit[128];
        text_fit(cx, cx->fs, pl->title, pw, fit, sizeof fit);
        draw_text(cx, cx->fs, p.x, top + name_h / 2, ALIGN_LEFT | VALIGN_MIDDLE, pl->emphasis ? COL_ACCENT : COL_TEXT, fit);
        uint32_t rgba = pl->bar_rgba;
        SDL_Color bc = {rgba >> 24, (rgba >> 16) & 255, (rgba >> 8) & 255, 255};
        int bw = pw - pct_w;
        v->bar_w = bw;
        for (int j = 0; j < T; j++) {
            double val = fig_plot_value(&f, pl, j, 0);
            int y = y0 + (int)(j * step), bh = (int)(step * 0.72f);
            if (bh < 1) bh = 1;
            SDL_Rect back = {p.x, y + ((int)step - bh) / 2, bw, bh};
            fill_rect(cx, back, COL_PANEL);
            SDL_Rect bar = back;
            bar.w = (int)(bw * val / hi + 0.5);
            if (bar.w > 0) fill_rect(cx, bar, bc);
            if (step >= px && val >= 0.0005)
                label_log(cx, draw_textf(cx, px, bar.x + bar.w + pad / 3, bar.y + bh / 2, ALIGN_LEFT | VALIGN_MIDDLE,
                                         COL_DIM, "%.1f%%", 100 * val), gnum);
            SDL_Rect hit = {p.x - (c == 0 ? band : gap), y, pw + (c == 0 ? band : gap), (int)step};
            if (cx->mouse_in && point_in(&hit, cx->mx, cx->my)) hover_row = j;
        }
    }
    set_grid(cx, (SDL_Rect){v->panel[0].x, y0, 3 * pw + 2 * gap, (int)(T * step)}, T, 3);
    if (hover_row >= 0) {
        int j = hover_row;
        /* the table's columns: last layer, rollout, flow, flow value */
        tip(cx, _("token %d (%s) → query %d (%s)"), j, lab[j], q, lab[q]);
        tip(cx, _("layer %d %.2f%% · rollout %.2f%% · flow %.2f%%"), L - 1, 100 * fig_value(&f, j, 2),
            100 * fig_value(&f, j, 3), 100 * fig_value(&f, j, 4));
        tip(cx, _("max-flow from token %d: %.4f (the query takes in at most 1)"), j, fig_value(&f, j, 5));
        if (j != q) tip(cx, _("click to ask about token %d"), j);
    }
    fig_free(&f);
}

const ViewOps view_rollout = {view_rollout_draw, sizeof(VizRolloutView), NULL, view_rollout_params};
