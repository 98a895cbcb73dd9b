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
#include "trace_pick.h"
#include "view_rollout.h"

static const char *const PANEL_NAME[3] = {NULL, N_("rollout"), N_("flow (exact max-flow)")};

/* The sentence's ids, hashed (FNV-1a): a chosen row belongs to one sentence. */
static unsigned long long fingerprint(const Trace *t) {
    unsigned long long h = 1469598103934665603ull ^ (unsigned)t->T;
    for (int i = 0; i < t->T; i++) h = (h ^ (unsigned)t->input_ids[i]) * 1099511628211ull;
    return h;
}

/* Every attention weight of the trace, hashed (FNV-1a over their bits). */
static unsigned long long attn_hash(const Trace *t) {
    unsigned long long h = fingerprint(t);
    size_t n = (size_t)t->nh * t->T * t->T;
    for (int l = 0; l < t->L; l++) {
        const uint32_t *w = (const uint32_t *)(const void *)t->layers[l].attn;
        for (size_t i = 0; i < n; i++) h = (h ^ w[i]) * 1099511628211ull;
    }
    return h;
}

static void choose(VizRolloutView *v, const Trace *t, int query) {
    v->query = query;
    v->chosen = 1;
    v->chosen_in = fingerprint(t);
    v->have = 0;
}

/* Keeps the result for the attention and the query; computes it again when either changed. */
static int update(VizRolloutView *v, const VizState *st) {
    const Trace *t = st->trace;
    if (st->instrument_gen && st->instrument_gen != v->seen_gen) {
        v->seen_gen = st->instrument_gen;
        if (st->instrument == VIZ_ROLLOUT) choose(v, t, st->rollout_query);
    }
    if (!v->chosen || v->query < 0 || v->query >= t->T || v->chosen_in != fingerprint(t)) {
        int q = rollout_default_query(t, st->model ? st->model->tok : NULL);
        if (q != v->query) v->have = 0;
        v->query = q;
        v->chosen = 0;
    }
    unsigned long long key = attn_hash(t);
    if (v->have && v->for_attn == key && v->r.query == v->query) return 0;
    rollout_free(&v->r);
    v->have = 0;
    v->error[0] = '\0';
    BtError err;
    if (rollout_run(t, v->query, &v->r, &err) != 0) {
        snprintf(v->error, sizeof v->error, "%s", err.msg);
        return -1;
    }
    v->have = 1;
    v->for_attn = key;
    return 0;
}

static void view_rollout_draw(VizCtx *cx, void *self, const VizState *st, SDL_Rect area) {
    VizRolloutView *v = self;
    const Trace *t = st->trace;
    if (!t || t->L == 0) {
        draw_notice(cx, area, _("No attention to roll out"),
                    t ? _("This model has no layers.") : _("Type a sentence in the REPL."));
        return;
    }
    /* A click on a row of the last frame asks about that token. */
    if (cx->click && v->have && v->step > 0 && cx->my >= v->y0 && cx->mx >= area.x &&
        cx->mx < v->panel[2].x + v->panel[2].w) {
        int j = (int)((cx->my - v->y0) / v->step);
        if (j >= 0 && j < t->T && j != v->query) choose(v, t, j);
    }
    if (update(v, st) != 0) {
        draw_notice(cx, area, _("No rollout for this sentence"), v->error);
        return;
    }
    const Rollout *r = &v->r;
    int T = t->T, pad = cx->pad, q = r->query;
    char *owned;
    const char *const *lab = pick_labels(st->tokens, T, &owned);
    if (!lab) return;
    const double *col[3] = {r->raw, r->rollout, r->flow};
    char last[128];
    snprintf(last, sizeof last, _("layer %d (attention, heads averaged)"), r->L - 1);
    const char *names[3] = {last, _(PANEL_NAME[1]), _(PANEL_NAME[2])};

    SDL_Rect hr = draw_textf(cx, cx->fs, area.x + pad, area.y + pad / 2, ALIGN_LEFT | VALIGN_TOP, COL_TEXT,
                             _("query %d (%s): what it draws from each input token"), q, lab[q]);
    draw_text(cx, cx->fs_min + 1, hr.x + hr.w + 2 * pad, hr.y + hr.h / 2, ALIGN_LEFT | VALIGN_MIDDLE, COL_DIM,
              _("each column sums to 100% · click a token to ask about it"));
    int top = hr.y + hr.h + pad, name_h = cx->fs * 3 / 2;

    /* Rows share the height; labels take what they need up to a fifth. */
    float step = (float)(area.y + area.h - pad - top - name_h) / T;
    if (step > cx->fs * 1.8f) step = cx->fs * 1.8f;
    int px = label_px(cx, step), band = labels_width(cx, lab, T, px) + pad;
    if (band > area.w / 5) band = area.w / 5;
    int gap = 2 * pad, pw = (area.w - 2 * pad - band - 2 * gap) / 3;
    int y0 = top + name_h;
    double hi = 0;
    for (int c = 0; c < 3; c++)
        for (int j = 0; j < T; j++)
            if (col[c][j] > hi) hi = col[c][j];
    if (!(hi > 0)) hi = 1;
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
        SDL_Rect p = {area.x + pad + band + c * (pw + gap), y0, pw, (int)(T * step)};
        v->panel[c] = p;
        char fit[128];
        text_fit(cx, cx->fs, names[c], pw, fit, sizeof fit);
        draw_text(cx, cx->fs, p.x, top + name_h / 2, ALIGN_LEFT | VALIGN_MIDDLE, c == 2 ? COL_ACCENT : COL_TEXT, fit);
        SDL_Color bc = c == 2 ? COL_ACCENT : palette_color(c == 0 ? 0 : 3);
        int bw = pw - pct_w;
        v->bar_w = bw;
        for (int j = 0; j < T; j++) {
            int y = y0 + (int)(j * step), bh = (int)(step * 0.72f);
            if (bh < 1) bh = 1;
            SDL_Rect back = {p.x, y + ((int)step - bh) / 2, bw, bh};
            fill_rect(cx, back, COL_PANEL);
            SDL_Rect bar = back;
            bar.w = (int)(bw * col[c][j] / hi + 0.5);
            if (bar.w > 0) fill_rect(cx, bar, bc);
            if (step >= px && col[c][j] >= 0.0005)
                label_log(cx, draw_textf(cx, px, bar.x + bar.w + pad / 3, bar.y + bh / 2, ALIGN_LEFT | VALIGN_MIDDLE,
                                         COL_DIM, "%.1f%%", 100 * col[c][j]), gnum);
            SDL_Rect hit = {p.x - (c == 0 ? band : gap), y, pw + (c == 0 ? band : gap), (int)step};
            if (cx->mouse_in && point_in(&hit, cx->mx, cx->my)) hover_row = j;
        }
    }
    set_grid(cx, (SDL_Rect){v->panel[0].x, y0, 3 * pw + 2 * gap, (int)(T * step)}, T, 3);
    if (hover_row >= 0) {
        int j = hover_row;
        tip(cx, _("token %d (%s) → query %d (%s)"), j, lab[j], q, lab[q]);
        tip(cx, _("layer %d %.2f%% · rollout %.2f%% · flow %.2f%%"), r->L - 1, 100 * r->raw[j], 100 * r->rollout[j],
            100 * r->flow[j]);
        tip(cx, _("max-flow from token %d: %.4f (the query takes in at most 1)"), j, r->flow_value[j]);
        if (j != q) tip(cx, _("click to ask about token %d"), j);
    }
    free(owned);
}

static void view_rollout_free(void *self) { rollout_free(&((VizRolloutView *)self)->r); }

const ViewOps view_rollout = {view_rollout_draw, sizeof(VizRolloutView), view_rollout_free};
