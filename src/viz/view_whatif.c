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

/* The attention grid in box; returns where it went. */
static SDL_Rect attn_panel(VizCtx *cx, const WhatIf *w, SDL_Rect box, double hi) {
    int pad = cx->pad, L = w->L, nh = w->nh, px = cx->fs_min + (cx->fs - cx->fs_min) / 2;
    char probe[32];
    snprintf(probe, sizeof probe, _("layer %d"), L - 1);
    int band_w = text_width(cx, px, probe) + pad, band_h = px * 3 / 2 + pad / 2;
    int bar_band = cx->fs + text_width(cx, cx->fs_min, "0.000") + 2 * pad;
    int aw = box.w - band_w - bar_band, ah = box.h - band_h;
    int cell = aw / nh < ah / L ? aw / nh : ah / L;
    if (cell > cx->fs * 6) cell = cx->fs * 6;
    if (cell < 2) cell = 2;
    SDL_Rect g = {box.x + band_w, box.y + band_h, cell * nh, cell * L};
    float *m = malloc(sizeof(float) * (size_t)L * nh);
    if (!m) return g;
    for (int i = 0; i < L * nh; i++) m[i] = isfinite(w->tv_mean[i]) ? (float)w->tv_mean[i] : 0;
    draw_matrix(cx, m, L, nh, nh, g, CMAP_MAGMA, 0, (float)hi);
    free(m);
    /* the numbers, when they fit: dark ink on the bright end of the map */
    int vpx = label_px(cx, cell * 0.36f);
    if (text_width(cx, vpx, "0.00") <= cell - 4 && vpx <= cell / 2)
        for (int i = 0; i < L * nh; i++) {
            double x = w->tv_mean[i];
            if (!isfinite(x)) continue;
            char buf[16];
            snprintf(buf, sizeof buf, "%.2f", x);
            SDL_Color ink = x / hi > 0.6 ? (SDL_Color){20, 20, 30, 255} : COL_TEXT;
            draw_text(cx, vpx, g.x + (i % nh) * cell + cell / 2, g.y + (i / nh) * cell + cell / 2,
                      ALIGN_CENTER | VALIGN_MIDDLE, ink, buf);
        }
    int gr = label_group(cx), k = 1;
    while (k * cell < px * 6 / 5) k++;
    for (int l = 0; l < L; l += k) {
        char buf[24];
        snprintf(buf, sizeof buf, _("layer %d"), l);
        label_log(cx, draw_text(cx, px, g.x - pad / 2, g.y + l * cell + cell / 2, ALIGN_RIGHT | VALIGN_MIDDLE, COL_TEXT,
                                buf), gr);
    }
    gr = label_group(cx);
    k = 1;
    while (k * cell < text_width(cx, px, "h00") + pad / 2) k++;
    for (int h = 0; h < nh; h += k) {
        char buf[24];
        snprintf(buf, sizeof buf, "h%d", h);
        label_log(cx, draw_text(cx, px, g.x + h * cell + cell / 2, g.y - pad / 2, ALIGN_CENTER | VALIGN_BOTTOM,
                                COL_TEXT, buf), gr);
    }
    draw_colorbar(cx, (SDL_Rect){g.x + g.w + pad, g.y, cx->fs, g.h}, CMAP_MAGMA, 0, (float)hi);
    return g;
}

/* Paired tokens down, depths across: 1 − cosine, so that what moved is bright. */
static SDL_Rect cos_panel(VizCtx *cx, const VizState *st, const WhatIf *w, SDL_Rect box, double hi) {
    int pad = cx->pad, D = w->L + 1, n = w->npairs;
    char **lab = calloc((size_t)n, sizeof *lab);
    float *m = malloc(sizeof(float) * (size_t)n * D);
    SDL_Rect g = {box.x, box.y, 0, 0};
    if (!lab || !m) goto done;
    for (int p = 0; p < n; p++) {
        char buf[160];
        const WhatIfPair *q = &w->pairs[p];
        if (q->same) snprintf(buf, sizeof buf, "%d %s", q->a, tok(st, w->ids_a[q->a]));
        else snprintf(buf, sizeof buf, "%d %s ≠ %s", q->a, tok(st, w->ids_a[q->a]), tok(st, w->ids_b[q->b]));
        lab[p] = strdup(buf);
        for (int d = 0; d < D; d++) {
            double c = w->cos[(size_t)p * D + d];
            m[(size_t)p * D + d] = isfinite(c) ? (float)(1 - c) : 0;
        }
    }
    int band_h = cx->fs * 3 / 2, bar_band = cx->fs + text_width(cx, cx->fs_min, "0.000") + 2 * pad;
    float step = (float)(box.h - band_h) / n;
    if (step > cx->fs * 1.8f) step = cx->fs * 1.8f;
    if (step >= 2) step = floorf(step);   /* whole pixels: every row as tall, for hovering and tests */
    int px = label_px(cx, step);
    int band = labels_width(cx, (const char *const *)lab, n, px) + pad;
    if (band > box.w / 3) band = box.w / 3;
    int cw = (box.w - band - bar_band) / D;
    if (cw > cx->fs * 5) cw = cx->fs * 5;
    if (cw < 2) cw = 2;
    g = (SDL_Rect){box.x + band, box.y + band_h, cw * D, (int)(step * n)};
    draw_matrix(cx, m, n, D, D, g, CMAP_MAGMA, 0, (float)hi);
    axis_labels_rows(cx, (const char *const *)lab, n, g.y, step, g.x - pad / 2, band - pad, -1);
    int gr = label_group(cx), hpx = label_px(cx, (float)cw);
    for (int d = 0; d < D; d++) {
        char buf[32];
        if (d == 0) lens_depth_name(0, buf, sizeof buf);
        else snprintf(buf, sizeof buf, "L%d", d - 1);
        if (text_width(cx, hpx, buf) > cw && d % 2) continue;
        label_log(cx, draw_text(cx, hpx, g.x + d * cw + cw / 2, g.y - pad / 3, ALIGN_CENTER | VALIGN_BOTTOM, COL_TEXT,
                                buf), gr);
    }
    draw_colorbar(cx, (SDL_Rect){g.x + g.w + pad, g.y, cx->fs, g.h < box.h / 2 ? box.h / 2 : g.h}, CMAP_MAGMA, 0,
                  (float)hi);
done:
    for (int p = 0; lab && p < n; p++) free(lab[p]);
    free(lab);
    free(m);
    return g;
}

/* One line: the tokens without a partner, then the first guesses, then NSP. */
static void footer(VizCtx *cx, const VizState *st, const WhatIf *w, int x, int y, int wd) {
    char line[1024], fit[1024];
    int n = 0;
    for (int r = 0; r < 2; r++) {
        const int *partner = r ? w->partner_b : w->partner_a, *ids = r ? w->ids_b : w->ids_a;
        for (int i = 0; i < (r ? w->Tb : w->Ta) && n < (int)sizeof line - 64; i++)
            if (partner[i] < 0)
                n += snprintf(line + n, sizeof line - n, "%s%c%d %s", n ? ", " : _("no partner: "), r ? 'B' : 'A', i,
                              tok(st, ids[i]));
    }
    if (!n) n = snprintf(line, sizeof line, "%s", _("every token has a partner"));
    if (w->nguess > 0 && n < (int)sizeof line - 200) {
        /* the first [MASK] if there is one: the question the sentence asks */
        const WhatIfGuesses *G = &w->guess[0];
        int mask = st->model && st->model->tok ? tok_mask_id(st->model->tok) : -1;
        for (int g = w->nguess - 1; g >= 0; g--) {
            const WhatIfPair *q = &w->pairs[w->guess[g].pair];
            if (w->ids_a[q->a] == mask || w->ids_b[q->b] == mask) G = &w->guess[g];
        }
        const WhatIfPair *q = &w->pairs[G->pair];
        n += snprintf(line + n, sizeof line - n, _(" · at %d: A '%s' %.1f%%, B '%s' %.1f%% ('%s' %.1f%% in B)"), q->a,
                      tok(st, G->top_a[0].id), 100 * G->top_a[0].p, tok(st, G->top_b[0].id), 100 * G->top_b[0].p,
                      tok(st, G->top_a[0].id), 100 * G->p_b[0]);
    }
    if (w->has_nsp && n < (int)sizeof line - 80)
        snprintf(line + n, sizeof line - n, _(" · P(IsNext) %.1f%% → %.1f%%"), 100 * w->nsp_a, 100 * w->nsp_b);
    text_fit(cx, cx->fs_min + 1, line, wd, fit, sizeof fit);
    draw_text(cx, cx->fs_min + 1, x, y, ALIGN_LEFT | VALIGN_TOP, COL_TEXT, fit);
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
    const WhatIf *w = st->whatif;
    if (!w || w->L < 1 || w->nh < 1) {
        draw_notice(cx, area, _("No what-if yet"),
                    _("In the REPL: the cat sat on the [MASK] .  then  whatif 2 dog  (or whatif corrupt)"));
        return;
    }
    int pad = cx->pad, x = area.x + 2 * pad, wd = area.w - 4 * pad, y = area.y + pad;
    char line[1024], fit[1024];
    snprintf(line, sizeof line, _("What if — run B: %s"), w->how ? w->how : "");
    text_fit(cx, cx->fs, line, wd, fit, sizeof fit);
    SDL_Rect tr = draw_text(cx, cx->fs, x, y, ALIGN_LEFT, COL_TEXT, fit);
    y = tr.y + tr.h;
    snprintf(line, sizeof line, "A “%s”   B “%s”", w->text_a ? w->text_a : "", w->text_b ? w->text_b : "");
    text_fit(cx, cx->fs - 1, line, wd, fit, sizeof fit);
    tr = draw_text(cx, cx->fs - 1, x, y, ALIGN_LEFT, COL_DIM, fit);
    y = tr.y + tr.h + pad;
    int foot = cx->fs * 2, ph = area.y + area.h - y - foot - pad, gap = 3 * pad;
    int pw1 = (wd - gap) * 2 / 5, pw2 = wd - gap - pw1;
    if (pw1 < 6 * cx->fs || ph < 6 * cx->fs) {
        draw_notice(cx, area, _("The window is too small for the what-if"), _("Make it larger."));
        return;
    }
    if (w->npairs == 0) {
        draw_notice(cx, area, _("Nothing to compare"), _("No token of run A has a partner in run B."));
        return;
    }
    /* Each grid's scale: from 0 to its largest value, so that a small change still shows. */
    double hi_tv = 1e-6, hi_cos = 1e-6;
    for (int i = 0; i < w->L * w->nh; i++)
        if (isfinite(w->tv_mean[i]) && w->tv_mean[i] > hi_tv) hi_tv = w->tv_mean[i];
    for (int i = 0; i < w->npairs * (w->L + 1); i++)
        if (isfinite(w->cos[i]) && 1 - w->cos[i] > hi_cos) hi_cos = 1 - w->cos[i];
    v->hi_tv = hi_tv;
    v->hi_cos = hi_cos;
    draw_text(cx, cx->fs_min + 1, x, y, ALIGN_LEFT | VALIGN_TOP, COL_DIM,
              _("attention moved: mean total-variation distance per head"));
    draw_text(cx, cx->fs_min + 1, x + pw1 + gap, y, ALIGN_LEFT | VALIGN_TOP, COL_DIM,
              _("hidden vectors: 1 − cosine per paired token and depth"));
    int top = y + cx->fs * 3 / 2;
    v->attn = attn_panel(cx, w, (SDL_Rect){x, top, pw1, ph - (top - y)}, hi_tv);
    v->cos = cos_panel(cx, st, w, (SDL_Rect){x + pw1 + gap, top, pw2, ph - (top - y)}, hi_cos);
    set_grid(cx, v->attn, w->L, w->nh);
    footer(cx, st, w, x, area.y + area.h - foot, wd);
    hover(cx, st, w, v);
    v->drawn = 1;
}

const ViewOps view_whatif = {view_whatif_draw, sizeof(VizWhatIfView), NULL};
