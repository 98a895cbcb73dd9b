/* View 7: what the MLM head guesses for each [MASK]: the top-K tokens as
 * horizontal bars on a 0–100% scale, so a confident guess looks it. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bertology/guesses.h"
#include "draw.h"
#include "trace_pick.h"

enum { MAX_K = 32, MAX_MASKS = 64 };

static int find_masks(const VizState *st, int *pos) {
    const Trace *t = st->trace;
    int mask = st->model && st->model->tok ? tok_mask_id(st->model->tok) : -1, n = 0;
    for (int i = 0; i < t->T && n < MAX_MASKS; i++) {
        int hit = mask >= 0 ? t->input_ids[i] == mask
                            : st->tokens && strcmp(st->tokens[i], "[MASK]") == 0;
        if (hit) pos[n++] = i;
    }
    return n;
}

static void token_text(const VizState *st, int id, char *buf, size_t n) {
    const char *s = st->model && st->model->tok ? tok_token(st->model->tok, id) : NULL;
    if (s) snprintf(buf, n, "%s", s);
    else snprintf(buf, n, "#%d", id);
}

/* The words around the mask, to say which one this is. */
static void context_line(const char *const *lab, int T, int at, char *buf, size_t n) {
    size_t len = 0;
    int from = at - 4 < 0 ? 0 : at - 4, to = at + 4 >= T ? T - 1 : at + 4;
    len += (size_t)snprintf(buf, n, "%s", from > 0 ? "… " : "");
    for (int i = from; i <= to && len < n; i++)
        len += (size_t)snprintf(buf + len, n - len, "%s%s", lab[i], i < to ? " " : "");
    if (len < n && to < T - 1) snprintf(buf + len, n - len, " …");
}

static void block(VizCtx *cx, const VizState *st, const char *const *lab, int at, SDL_Rect r, int k) {
    const Trace *t = st->trace;
    int pad = cx->pad;
    char head[400], fit[400];
    context_line(lab, t->T, at, head, sizeof head);
    SDL_Rect hr = draw_textf(cx, cx->fs, r.x, r.y, ALIGN_LEFT, COL_ACCENT, _("[MASK] at position %d"), at);
    text_fit(cx, cx->fs - 1, head, r.w, fit, sizeof fit);
    SDL_Rect cr = draw_text(cx, cx->fs - 1, r.x, hr.y + hr.h, ALIGN_LEFT, COL_DIM, fit);
    const float *row = pick_mlm_row(t, at);
    int y0 = cr.y + cr.h + pad / 2;
    if (!row) {
        draw_text(cx, cx->fs, r.x, y0, ALIGN_LEFT, COL_TEXT, _("the MLM head did not run at this position"));
        return;
    }
    Guess g[MAX_K];
    int n = guesses_top(row, t->V, k, g);
    for (int i = 0; i < n; i++)
        if (!isfinite(g[i].p)) {   /* huge weights overflow float: no bar has a length */
            draw_text(cx, cx->fs, r.x, y0, ALIGN_LEFT, COL_TEXT,
                      _("the MLM head's scores are not finite numbers here (the weights overflow float)"));
            return;
        }
    float step = (float)(r.y + r.h - y0) / (n > 0 ? n : 1);
    if (step > cx->fs * 2.2f) step = cx->fs * 2.2f;
    int px = label_px(cx, step * 0.9f), band = 0;
    char names[MAX_K][64];
    for (int i = 0; i < n; i++) {
        token_text(st, g[i].id, names[i], sizeof names[i]);
        int w = text_width(cx, px, names[i]);
        if (w > band) band = w;
    }
    if (band > r.w / 3) band = r.w / 3;
    int pct_w = text_width(cx, px, "100.0%") + pad;
    int bx = r.x + band + pad, bw = r.w - band - pct_w - 2 * pad;
    int gl = label_group(cx), gp = label_group(cx);
    for (int i = 0; i < n; i++) {
        int y = y0 + (int)(i * step), bh = (int)(step * 0.72f);
        if (bh < 2) bh = 2;
        SDL_Rect bar = {bx, y + ((int)step - bh) / 2, (int)(bw * g[i].p + 0.5f), bh};
        if (bar.w < 1) bar.w = 1;
        fill_rect(cx, (SDL_Rect){bx, bar.y, bw, bh}, COL_PANEL);
        fill_rect(cx, bar, i == 0 ? COL_ACCENT : palette_color(0));
        text_fit(cx, px, names[i], band, fit, sizeof fit);
        int yc = bar.y + bh / 2;
        if (step >= px) {   /* else the bars alone; the tooltip names them */
            label_log(cx, draw_text(cx, px, bx - pad / 2, yc, ALIGN_RIGHT | VALIGN_MIDDLE, COL_TEXT, fit), gl);
            label_log(cx, draw_textf(cx, px, bx + bar.w + pad / 2, yc, ALIGN_LEFT | VALIGN_MIDDLE, COL_DIM,
                                     "%.1f%%", g[i].p * 100), gp);
        }
        SDL_Rect hit = {r.x, y, r.w, (int)step};
        if (cx->mouse_in && point_in(&hit, cx->mx, cx->my)) {
            tip(cx, _("\"%s\" (id %d)"), names[i], g[i].id);
            tip(cx, _("probability %.4f, logit %.3f"), g[i].p, g[i].logit);
        }
    }
}

/* The sentence with each [MASK] replaced by its best guess, so the model's
 * reading can be taken in at a glance. Returns the rectangle it used. */
static SDL_Rect sentence_line(VizCtx *cx, const VizState *st, const char *const *lab, const int *pos, int nm,
                              SDL_Rect area) {
    const Trace *t = st->trace;
    int px = cx->fs + 2, x = area.x + 2 * cx->pad, y = area.y + cx->pad, right = area.x + area.w - 2 * cx->pad;
    int space = text_width(cx, px, "a b") - text_width(cx, px, "ab"), m = 0, lh = 0;
    SDL_Rect used = {x, y, 0, 0};
    for (int i = 0; i < t->T; i++) {
        char word[96];
        int guess = m < nm && pos[m] == i;
        if (guess) {
            const float *row = pick_mlm_row(t, i);
            Guess g;
            if (row && guesses_top(row, t->V, 1, &g) == 1) token_text(st, g.id, word, sizeof word);
            else snprintf(word, sizeof word, "%s", lab[i]);
            m++;
        } else {
            snprintf(word, sizeof word, "%s", lab[i]);
        }
        int w, h;
        font_size(cx->font, px, word, &w, &h);
        if (x + w > right) {
            /* Wrap once; past a second line the rest is left out. */
            if (y > area.y + cx->pad) break;
            x = area.x + 2 * cx->pad;
            y += h;
        }
        SDL_Rect r = draw_text(cx, px, x, y, ALIGN_LEFT, guess ? COL_ACCENT : COL_TEXT, word);
        if (guess)
            fill_rect(cx, (SDL_Rect){r.x, r.y + r.h - (int)cx->dpi, r.w, (int)cx->dpi}, COL_ACCENT);
        x += w + space;
        lh = h;
    }
    used.h = y + lh - used.y;
    used.w = area.w;
    return used;
}

static void view_predictions_draw(VizCtx *cx, void *self, const VizState *st, SDL_Rect area) {
    (void)self;
    const Trace *t = st->trace;
    if (!t) {
        draw_notice(cx, area, _("No sentence yet"), _("Type one with [MASK] in it, e.g.: the cat sat on the [MASK] ."));
        return;
    }
    if (!t->mlm_logits) {
        draw_notice(cx, area, _("This model has no MLM head"), _("Its checkpoint holds the encoder only (no cls.predictions)."));
        return;
    }
    int pos[MAX_MASKS];
    int nm = find_masks(st, pos);
    if (nm == 0) {
        draw_notice(cx, area, _("No [MASK] in this sentence"),
                    _("Put [MASK] where a word should be, e.g.: the capital of france is [MASK] ."));
        return;
    }
    char *owned;
    const char *const *lab = pick_labels(st->tokens, t->T, &owned);
    if (!lab) return;
    int k = st->top_k > 0 ? st->top_k : 5;
    if (k > MAX_K) k = MAX_K;
    if (k > t->V) k = t->V;
    int pad = cx->pad;
    SDL_Rect sr = sentence_line(cx, st, lab, pos, nm, area);
    area.h -= sr.y + sr.h + pad - area.y;
    area.y = sr.y + sr.h + pad;
    /* Blocks side by side while each stays wide enough to read, then in rows. */
    int min_w = cx->fs * 22, cols = area.w / min_w;
    if (cols < 1) cols = 1;
    if (cols > nm) cols = nm;
    int min_h = cx->fs * 3 + k * (cx->fs_min + 2);
    int rows = (nm + cols - 1) / cols, fit_rows = (area.h - pad) / min_h;
    if (fit_rows < 1) fit_rows = 1;
    if (rows > fit_rows) rows = fit_rows;
    int shown = rows * cols < nm ? rows * cols : nm;
    int bw = (area.w - (cols + 1) * 2 * pad) / cols, bh = (area.h - pad) / rows - 2 * pad;
    if (bw > cx->fs * 50) bw = cx->fs * 50;   /* long bars are hard to compare */
    if (bh > cx->fs * 4 + k * cx->fs * 2) bh = cx->fs * 4 + k * cx->fs * 2;
    for (int i = 0; i < shown; i++) {
        SDL_Rect r = {area.x + 2 * pad + (i % cols) * (bw + 2 * pad), area.y + pad + (i / cols) * (bh + 2 * pad), bw, bh};
        block(cx, st, lab, pos[i], r, k);
    }
    if (shown < nm)
        draw_textf(cx, cx->fs_min, area.x + area.w - pad, area.y + area.h - pad / 2, ALIGN_RIGHT | VALIGN_BOTTOM,
                   COL_DIM, _("%d more [MASK] not shown: make the window larger"), nm - shown);
    free(owned);
}

const ViewOps view_predictions = {view_predictions_draw, 0, NULL};
