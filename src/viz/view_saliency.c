/* View g: the REPL's last `saliency`. One row per input token and three
 * panels of bars: gradient × input and integrated gradients, signed about
 * a zero axis (the colours of the blue–red scale: red raises log p, blue
 * lowers it), and the gradient's norm, which has no sign. Each panel has
 * its own length scale (the largest |value|), written under it; the
 * completeness of IG is in the footer. Hovering a row gives its numbers. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bertology/saliency.h"
#include "draw.h"
#include "view_saliency.h"

static SDL_Color rgba(uint32_t c) { return (SDL_Color){c >> 24, (c >> 16) & 255, (c >> 8) & 255, 255}; }

/* The colour of a signed bar: one red and one blue of the blue–red
 * scale, short of its ends, which are too dark to see on the window's
 * background. */
uint32_t view_saliency_sign_rgba(double v) { return cmap_rgba(CMAP_RDBU, v < 0 ? -0.6f : 0.6f, -1, 1); }
static SDL_Color sign_colour(double v) { return rgba(view_saliency_sign_rgba(v)); }

/* One panel: a bar per token, signed about the middle or (norm) from the left. */
static void panel_draw(VizCtx *cx, VizSaliencyView *sv, int i, const double *v, int T, int is_signed,
                       const char *name) {
    SDL_Rect p = sv->panel[i];
    double s = saliency_absmax(v, T);
    sv->scale[i] = s;
    int axis = is_signed ? p.x + p.w / 2 : p.x, len = is_signed ? p.w / 2 : p.w;
    sv->axis[i] = axis;
    char fit[160];
    text_fit(cx, cx->fs, name, p.w, fit, sizeof fit);
    draw_text(cx, cx->fs, p.x, sv->y0 - cx->pad / 2, ALIGN_LEFT | VALIGN_BOTTOM, COL_TEXT, fit);
    for (int t = 0; t < T; t++) {
        int y = sv->y0 + (int)(t * sv->step), bh = (int)(sv->step * 0.72f);
        if (bh < 1) bh = 1;
        SDL_Rect back = {p.x, y + ((int)sv->step - bh) / 2, p.w, bh};
        fill_rect(cx, back, COL_PANEL);
        if (!isfinite(v[t])) continue;
        int w = (int)lround(fabs(v[t]) / s * len);
        if (w < 1) continue;
        SDL_Rect bar = {v[t] < 0 ? axis - w : axis, back.y, w, bh};
        fill_rect(cx, bar, is_signed ? sign_colour(v[t]) : palette_color(3));
    }
    if (is_signed) draw_line(cx, axis, p.y, axis, p.y + p.h, 1, COL_DIM);
    /* TRANSLATORS: under a panel of bars: the length of a full bar */
    draw_textf(cx, cx->fs_min, p.x + p.w, p.y + p.h + cx->pad / 3, ALIGN_RIGHT | VALIGN_TOP, COL_DIM,
               is_signed ? _("bar = ±%.3g") : _("bar = %.3g"), s);
}

static void view_saliency_draw(VizCtx *cx, void *self, const VizState *st, SDL_Rect area) {
    VizSaliencyView *sv = self;
    memset(sv, 0, sizeof *sv);
    const Saliency *r = st->saliency;
    if (!r || r->T < 1 || !r->grad_dot) {
        draw_notice(cx, area, _("No saliency yet"),
                    _("In the REPL: the cat sat on the [MASK] .  then  saliency  (which tokens the guess depends on)"));
        return;
    }
    const Tokenizer *tok = st->model ? st->model->tok : NULL;
    int T = r->T, pad = cx->pad, x = area.x + 2 * pad, w = area.w - 4 * pad, y = area.y + pad;
    const char *wd = tok ? tok_token(tok, r->word) : NULL, *at = tok ? tok_token(tok, r->pos_id) : NULL;
    char line[768], fit[768], lp[32], pc[32];
    snprintf(line, sizeof line, _("Which tokens '%s' at position %d (%s) depends on: log p = %s (p = %s)"),
             wd ? wd : "?", r->pos, at ? at : "?", bt_decimal(lp, sizeof lp, 3, r->logp), viz_pct(pc, sizeof pc, exp(r->logp)));
    text_fit(cx, cx->fs, line, w, fit, sizeof fit);
    SDL_Rect tr = draw_text(cx, cx->fs, x, y, ALIGN_LEFT, COL_TEXT, fit);
    y = tr.y + tr.h;
    snprintf(line, sizeof line, "“%s”", r->text ? r->text : "");
    text_fit(cx, cx->fs - 1, line, w, fit, sizeof fit);
    tr = draw_text(cx, cx->fs - 1, x, y, ALIGN_LEFT, COL_DIM, fit);
    y = tr.y + tr.h;
    text_fit(cx, cx->fs_min,
             _("x: each token's word vector (position and segment held) · ∇: gradient of log p at x · red raises "
               "log p, blue lowers it"),
             w, fit, sizeof fit);
    tr = draw_text(cx, cx->fs_min, x, y, ALIGN_LEFT, COL_DIM, fit);
    y = tr.y + tr.h + pad + cx->fs * 3 / 2;

    /* labels: the tokens, with their positions */
    char **lab = calloc((size_t)T, sizeof *lab);
    if (!lab) return;
    for (int t = 0; t < T; t++) {
        const char *g = tok ? tok_token(tok, r->ids[t]) : NULL;
        char b[96];
        snprintf(b, sizeof b, "%d %s", t, g ? g : "?");
        lab[t] = strdup(b);
        if (!lab[t]) {
            for (int k = 0; k < t; k++) free(lab[k]);
            free(lab);
            return;
        }
    }
    int foot = cx->fs * 3;
    float step = (float)(area.y + area.h - y - foot - pad) / T;
    if (step > cx->fs * 1.8f) step = cx->fs * 1.8f;
    int np = r->ig ? 3 : 2;
    if (step < 2 || w < 12 * cx->fs) {
        draw_notice(cx, area, _("The window is too small for the saliency bars"), _("Make it larger."));
        for (int t = 0; t < T; t++) free(lab[t]);
        free(lab);
        return;
    }
    int px = label_px(cx, step), band = labels_width(cx, (const char *const *)lab, T, px) + pad;
    if (band > w / 5) band = w / 5;
    int gap = 3 * pad, pw = (w - band - (np - 1) * gap) / np;
    sv->y0 = y;
    sv->step = step;
    sv->panels = np;
    int hi = -1;
    if (cx->mouse_in && cx->my >= y && cx->my < y + (int)(T * step) && cx->mx >= x && cx->mx < x + w)
        hi = (int)((cx->my - y) / step);
    if (hi >= T) hi = -1;
    if (hi >= 0) fill_rect(cx, (SDL_Rect){x, y + (int)(hi * step), w, (int)step},
                           (SDL_Color){COL_ACCENT.r, COL_ACCENT.g, COL_ACCENT.b, 40});
    axis_labels_rows(cx, (const char *const *)lab, T, y, step, x + band - pad / 2, band - pad, r->pos);
    char igname[128];
    snprintf(igname, sizeof igname, ngettext("integrated gradients (%d step)", "integrated gradients (%d steps)", r->steps),
             r->steps);
    const double *col[3] = {r->grad_dot, r->grad_norm, r->ig};
    const char *names[3] = {_("gradient × input  ∇·x"), _("|∇|  (no sign)"), igname};
    for (int i = 0; i < np; i++) {
        sv->panel[i] = (SDL_Rect){x + band + i * (pw + gap), y, pw, (int)(T * step)};
        panel_draw(cx, sv, i, col[i], T, i != 1, names[i]);
    }
    set_grid(cx, (SDL_Rect){sv->panel[0].x, y, np * pw + (np - 1) * gap, (int)(T * step)}, T, np);

    int fy = y + (int)(T * step) + cx->fs_min + pad;
    if (r->ig) {
        double gap_lp = r->logp - r->logp_base;
        snprintf(line, sizeof line,
                 _("completeness: Σ IG = %+.4f, log p(x) − log p(baseline: every word vector 0) = %+.4f (off by %.2g)"),
                 r->ig_sum, gap_lp, fabs(r->ig_sum - gap_lp));
    } else {
        snprintf(line, sizeof line, "%s", _("no integrated gradients (saliency --ig N computes them in N steps)"));
    }
    text_fit(cx, cx->fs_min, line, w, fit, sizeof fit);
    draw_text(cx, cx->fs_min, x, fy, ALIGN_LEFT, COL_DIM, fit);

    if (hi >= 0) {
        const char *g = tok ? tok_token(tok, r->ids[hi]) : NULL;
        tip(cx, hi == r->pos ? _("token %d (%s): the position explained") : _("token %d (%s)"), hi, g ? g : "?");
        tip(cx, "∇·x = %+.4f · |∇| = %.4f", r->grad_dot[hi], r->grad_norm[hi]);
        if (r->ig) tip(cx, _("IG = %+.4f (%.1f%% of Σ IG)"), r->ig[hi], r->ig_sum != 0 ? 100 * r->ig[hi] / r->ig_sum : 0);
    }
    for (int t = 0; t < T; t++) free(lab[t]);
    free(lab);
}

const ViewOps view_saliency = {view_saliency_draw, sizeof(VizSaliencyView), NULL};
