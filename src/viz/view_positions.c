/* View 4: positional encodings. The sinusoid of Vaswani et al. as a
 * positions × dimensions heatmap, a few of its dimensions as curves, and
 * the position-to-position dot products that show nearby positions look
 * alike; a model with learned positions gets its own table beside it. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "draw.h"

/* A few dimensions as curves over the positions, fast ones to slow ones:
 * the series of the figure's curve plot. */
static void curves(VizCtx *cx, const Figure *f, const FigPlot *cp, int P, SDL_Rect r, float amp) {
    fill_rect(cx, r, COL_PANEL);
    int ymid = r.y + r.h / 2;
    SDL_SetRenderDrawColor(cx->r, COL_GRID.r, COL_GRID.g, COL_GRID.b, 255);
    SDL_RenderDrawLine(cx->r, r.x, ymid, r.x + r.w - 1, ymid);
    int px = cx->fs_min, lx = r.x + cx->pad / 2, g = label_group(cx);
    for (int c = 0; c < cp->nseries; c++) {
        const FigSeries *s = &f->series[cp->series0 + c];
        SDL_Color col = palette_color(c);
        float prev_x = 0, prev_y = 0;
        for (int p = 0; p < P; p++) {
            float fx = r.x + (p + 0.5f) * r.w / P;
            float fy = ymid - (float)fig_value(f, s->row0 + p, s->y_col) / amp * (r.h / 2 - 2);
            if (p) draw_line(cx, prev_x, prev_y, fx, fy, cx->dpi * s->width, col);
            prev_x = fx;
            prev_y = fy;
        }
    }
    /* The legend on a backing of its own, over the curves' start. */
    int lw = cx->pad / 2;
    for (int c = 0; c < cp->nseries; c++) lw += text_width(cx, px, f->series[cp->series0 + c].name) + cx->pad;
    fill_rect(cx, (SDL_Rect){r.x + 1, r.y + 1, lw, px * 3 / 2}, (SDL_Color){COL_PANEL.r, COL_PANEL.g, COL_PANEL.b, 220});
    for (int c = 0; c < cp->nseries; c++) {
        SDL_Rect lr = draw_text(cx, px, lx, r.y + 2, ALIGN_LEFT, palette_color(c), f->series[cp->series0 + c].name);
        label_log(cx, lr, g);
        lx += lr.w + cx->pad;
    }
    frame_rect(cx, r, COL_GRID, 1);
}

/* One table: heatmap with curves under it on the left, dot products on
 * the right (three plots of the figure from hp on), with tooltips for
 * what is under the pointer. */
static void section(VizCtx *cx, const Figure *f, const FigPlot *hp, int T, SDL_Rect r) {
    const FigPlot *cp = hp + 1, *dp = hp + 2;
    int P, H, PP;
    long hs, ds;
    float *t1, *t2;
    const float *x = fig_plot_matrix(f, hp, &P, &H, &hs, &t1), *dot = fig_plot_matrix(f, dp, &PP, &PP, &ds, &t2);
    if (!x || !dot) {
        free(t1);
        free(t2);
        return;
    }
    int pad = cx->pad, fs = cx->fs;
    draw_text(cx, fs, r.x + pad, r.y, ALIGN_LEFT, COL_TEXT, hp->title);
    int top = r.y + fs * 3 / 2 + fs + pad;   /* title, then column ticks */
    int avail_h = r.y + r.h - top - pad;
    int tick_w = text_width(cx, cx->fs_min, "000") + pad;
    int dot_side = avail_h < r.w * 35 / 100 ? avail_h : r.w * 35 / 100;
    int bar_band = fs + text_width(cx, cx->fs_min, "-000.0") + 2 * pad;
    SDL_Rect heat = {r.x + pad + tick_w, top, r.w - dot_side - bar_band - tick_w - 4 * pad, avail_h * 62 / 100};
    SDL_Rect curve = {heat.x, heat.y + heat.h + pad, heat.w, avail_h - heat.h - pad};

    float amp = hp->hi;
    draw_matrix(cx, x, P, H, hs, heat, hp->cmap, hp->lo, hp->hi);
    if (hp->emphasis) set_grid(cx, heat, P, H);
    int g = label_group(cx);
    label_log(cx, draw_textf(cx, cx->fs_min, heat.x, heat.y - 2, ALIGN_LEFT | VALIGN_BOTTOM, COL_DIM,
                             _("dim %d"), 0), g);
    label_log(cx, draw_textf(cx, cx->fs_min, heat.x + heat.w, heat.y - 2, ALIGN_RIGHT | VALIGN_BOTTOM,
                             COL_DIM, "%d", H - 1), g);
    g = label_group(cx);
    label_log(cx, draw_text(cx, cx->fs_min, heat.x - pad / 2, heat.y, ALIGN_RIGHT, COL_DIM, "0"), g);
    label_log(cx, draw_textf(cx, cx->fs_min, heat.x - pad / 2, heat.y + heat.h, ALIGN_RIGHT | VALIGN_BOTTOM,
                             COL_DIM, "%d", P - 1), g);
    /* The positions the current sentence uses, bracketed on the left. */
    int yT = heat.y + (int)((long)T * heat.h / P);
    fill_rect(cx, (SDL_Rect){heat.x - 3 * (int)cx->dpi, heat.y, 2 * (int)cx->dpi, yT - heat.y}, COL_ACCENT);

    curves(cx, f, cp, P, curve, amp);

    SDL_Rect dr = {heat.x + heat.w + 2 * pad, top, dot_side, dot_side};
    draw_matrix(cx, dot, P, P, ds, dr, dp->cmap, dp->lo, dp->hi);
    draw_text(cx, cx->fs_min, dr.x, dr.y - 2, ALIGN_LEFT | VALIGN_BOTTOM, COL_DIM, dp->title);
    draw_colorbar(cx, (SDL_Rect){dr.x + dr.w + pad / 2, dr.y, fs * 2 / 3, dr.h}, dp->cmap, dp->lo, dp->hi);

    int a, b;
    if (cx->mouse_in) {
        if (cell_at(heat, P, H, cx->mx, cx->my, &a, &b)) {
            tip(cx, _("position %d, dimension %d"), a, b);
            tip(cx, _("value %.4f"), x[(long)a * hs + b]);
        } else if (cell_at(dr, P, P, cx->mx, cx->my, &a, &b)) {
            tip(cx, _("position %d · position %d = %.3f"), a, b, dot[(long)a * ds + b]);
        } else if (point_in(&curve, cx->mx, cx->my)) {
            int p = (int)((long)(cx->mx - curve.x) * P / curve.w);
            tip(cx, _("position %d"), p);
            for (int c = 0; c < cp->nseries - 1; c++) {
                const FigSeries *s = &f->series[cp->series0 + c];
                tip(cx, "%s: %.3f", s->name, fig_value(f, s->row0 + p, s->y_col));
            }
        }
    }
    free(t1);
    free(t2);
}

static void view_positions_draw(VizCtx *cx, void *self, const VizState *st, SDL_Rect area) {
    Figure f;
    if (viz_view_figure_or_notice(cx, VIZ_POSITIONS, self, st, area, &f)) return;
    int T = st->trace ? st->trace->T : 0, pad = cx->pad;
    SDL_Rect r = {area.x + pad, area.y + pad / 2, area.w - 2 * pad, area.h - pad};
    if (f.nplots < 6) {
        if (f.nplots >= 3) section(cx, &f, &f.plots[0], T, r);
    } else {
        /* Learned and fixed one above the other, the model's own first. */
        SDL_Rect r1 = {r.x, r.y, r.w, r.h / 2 - pad / 2}, r2 = {r.x, r.y + r.h / 2 + pad / 2, r.w, r.h / 2 - pad / 2};
        section(cx, &f, &f.plots[0], T, r1);
        section(cx, &f, &f.plots[3], T, r2);
    }
    fig_free(&f);
}

const ViewOps view_positions = {view_positions_draw, 0, NULL, NULL};
