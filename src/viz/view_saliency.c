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
static void panel_draw(VizCtx *cx, VizSaliencyView *sv, int i, const Figure *f, const FigPlot *pl, int T) {
    SDL_Rect p = sv->panel[i];
    const double *v = f->blocks[pl->block].base;   /* the figure's column of this panel */
    int is_signed = pl->is_signed;
    const char *name = pl->title;
    double s = pl->hi;
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
        uint32_t c = pl->bar_rgba;
        fill_rect(cx, bar, is_signed ? sign_colour(v[t]) : (SDL_Color){c >> 24, (c >> 16) & 255, (c >> 8) & 255, 255});
    }
    if (is_signed) draw_line(cx, axis, p.y, axis, p.y + p.h, 1, COL_DIM);
    /* TRANSLATORS: under a panel of bars: the length of a full bar */
    draw_textf(cx, cx->fs_min, p.x + p.w, p.y + p.h + cx->pad / 3, ALIGN_RIGHT | VALIGN_TOP, COL_DIM,
               is_signed ? _("bar = ±%.3g") : _("bar = %.3g"), s);
}

static void view_saliency_draw(VizCtx *cx, void *self, const VizState *st, SDL_Rect area) {
    VizSaliencyView *sv = self;
    memset(sv, 0, sizeof *sv);
    Figure f;
    if (viz_view_figure_or_notice(cx, VIZ_SALIENCY, self, st, area, &f)) return;
    const Saliency *r = st->saliency;
    const Tokenizer *tok = st->model ? st->model->tok : NULL;
    int T = r->T, pad = cx->pad, x = area.x + 2 * pad, w = area.w - 4 * pad, y = area.y + pad;
    char line[768], fit[768];
    text_fit(cx, cx->fs, f.title, w, fit, sizeof fit);
    SDL_Rect tr = draw_text(cx, cx->fs, x, y, ALIGN_LEFT, COL_TEXT, fit);
    y = tr.y + tr.h;
    /* the caption's lines: the sentence (when the result has one), how to
     * read the bars, completeness (in the footer); fig_saliency.c makes them */
    const char *cl[3] = {f.caption, NULL, NULL};
    int nl = 1;
    for (const char *q = f.caption; nl < 3 && (q = strchr(q, '\n')); q++) cl[nl++] = q + 1;
    const char *c2 = cl[nl - 2 >= 0 ? nl - 2 : 0], *c3 = cl[nl - 1];
    if (nl == 3) {
        snprintf(line, sizeof line, "%.*s", (int)(cl[1] - 1 - cl[0]), cl[0]);
        text_fit(cx, cx->fs - 1, line, w, fit, sizeof fit);
        tr = draw_text(cx, cx->fs - 1, x, y, ALIGN_LEFT, COL_DIM, fit);
        y = tr.y + tr.h;
    }
    snprintf(line, sizeof line, "%.*s", nl >= 2 ? (int)(c3 - 1 - c2) : 0, c2);
    text_fit(cx, cx->fs_min, line, w, fit, sizeof fit);
    tr = draw_text(cx, cx->fs_min, x, y, ALIGN_LEFT, COL_DIM, fit);
    y = tr.y + tr.h + pad + cx->fs * 3 / 2;

    /* labels: the tokens, with their positions */
    const char *const *lab = f.plots[0].row_labels;
    int foot = cx->fs * 3;
    float step = (float)(area.y + area.h - y - foot - pad) / T;
    if (step > cx->fs * 1.8f) step = cx->fs * 1.8f;
    int np = f.nplots;
    if (step < 2 || w < 12 * cx->fs) {
        draw_notice(cx, area, _("The window is too small for the saliency bars"), _("Make it larger."));
        fig_free(&f);
        return;
    }
    int px = label_px(cx, step), band = labels_width(cx, lab, T, px) + pad;
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
    axis_labels_rows(cx, lab, T, y, step, x + band - pad / 2, band - pad, f.plots[0].highlight);
    for (int i = 0; i < np; i++) {
        sv->panel[i] = (SDL_Rect){x + band + i * (pw + gap), y, pw, (int)(T * step)};
        panel_draw(cx, sv, i, &f, &f.plots[i], T);
    }
    set_grid(cx, (SDL_Rect){sv->panel[0].x, y, np * pw + (np - 1) * gap, (int)(T * step)}, T, np);

    int fy = y + (int)(T * step) + cx->fs_min + pad;
    text_fit(cx, cx->fs_min, c3, w, fit, sizeof fit);
    draw_text(cx, cx->fs_min, x, fy, ALIGN_LEFT, COL_DIM, fit);

    if (hi >= 0) {
        const char *g = tok ? tok_token(tok, r->ids[hi]) : NULL;
        tip(cx, hi == r->pos ? _("token %d (%s): the position explained") : _("token %d (%s)"), hi, g ? g : "?");
        tip(cx, "∇·x = %+.4f · |∇| = %.4f", r->grad_dot[hi], r->grad_norm[hi]);
        if (r->ig) tip(cx, _("IG = %+.4f (%.1f%% of Σ IG)"), r->ig[hi], r->ig_sum != 0 ? 100 * r->ig[hi] / r->ig_sum : 0);
    }
    fig_free(&f);
}

const ViewOps view_saliency = {view_saliency_draw, sizeof(VizSaliencyView), NULL, NULL};
