/* Line charts (see plot.h). Everything is in output pixels; the font
 * sizes come from the caller's VizCtx so charts scale with the window. */
#include "plot.h"
#include <math.h>
#include <stdio.h>
#include <string.h>

float plot_px(const Plot *p, double x) {
    if (p->xlog) {
        if (!(x > 0)) return NAN;
        x = log10(x);
    }
    if (!isfinite(x) || p->x1 == p->x0) return NAN;
    return (float)(p->r.x + (x - p->x0) / (p->x1 - p->x0) * p->r.w);
}

float plot_py(const Plot *p, double y) {
    if (!isfinite(y) || p->y1 == p->y0) return NAN;
    return (float)(p->r.y + p->r.h - (y - p->y0) / (p->y1 - p->y0) * p->r.h);
}

double plot_x_at(const Plot *p, int px) {
    double x = p->x0 + (p->x1 - p->x0) * (px - p->r.x) / (p->r.w > 0 ? p->r.w : 1);
    return p->xlog ? pow(10, x) : x;
}

void plot_fmt_si(double v, char *buf, size_t n) {
    double a = fabs(v);
    if (a >= 1e9) snprintf(buf, n, "%.3gG", v / 1e9);
    else if (a >= 1e6) snprintf(buf, n, "%.3gM", v / 1e6);
    else if (a >= 1e3) snprintf(buf, n, "%.3gk", v / 1e3);
    else snprintf(buf, n, "%.3g", v);
}

void plot_fmt_sci(double v, char *buf, size_t n) {
    if (v == 0 || !isfinite(v)) {
        snprintf(buf, n, "%g", v);
        return;
    }
    int e = (int)floor(log10(fabs(v)));
    double m = v / pow(10, e);
    /* 9.99e-4 rounds to 10: say 1e-3 instead */
    if (fabs(m) >= 9.95) {
        m /= 10;
        e++;
    }
    snprintf(buf, n, "%.2ge%d", m, e);
}

static int tick_px(VizCtx *cx) {
    int px = cx->fs - 2;
    return px < cx->fs_min ? cx->fs_min : px;
}

int plot_axis_y(VizCtx *cx, const Plot *p, const double *ticks, int n, PlotFmt fmt, int right, int grid,
                SDL_Color c) {
    int px = tick_px(cx), g = label_group(cx), widest = 0;
    SDL_Rect last = {0, 0, 0, 0};
    for (int i = 0; i < n; i++) {
        float y = plot_py(p, ticks[i]);
        if (!(y >= p->r.y - 1 && y <= p->r.y + p->r.h + 1)) continue;
        if (grid) fill_rect(cx, (SDL_Rect){p->r.x, (int)y, p->r.w, 1}, (SDL_Color){58, 63, 74, 140});
        char buf[32];
        fmt(ticks[i], buf, sizeof buf);
        int w, h;
        font_size(cx->font, px, buf, &w, &h);
        int x = right ? p->r.x + p->r.w + cx->pad / 2 : p->r.x - cx->pad / 2 - w;
        SDL_Rect at = {x, (int)y - h / 2, w, h};
        if (last.w > 0 && SDL_HasIntersection(&at, &last)) continue;
        label_log(cx, draw_text(cx, px, at.x, at.y, ALIGN_LEFT, c, buf), g);
        last = at;
        if (w > widest) widest = w;
    }
    return widest;
}

int plot_axis_x(VizCtx *cx, const Plot *p, const double *ticks, int n, PlotFmt fmt, int labels) {
    int px = tick_px(cx), g = labels ? label_group(cx) : 0, height = 0;
    SDL_Rect last = {0, 0, 0, 0};
    for (int i = 0; i < n; i++) {
        float x = plot_px(p, ticks[i]);
        if (!(x >= p->r.x - 1 && x <= p->r.x + p->r.w + 1)) continue;
        fill_rect(cx, (SDL_Rect){(int)x, p->r.y, 1, p->r.h}, (SDL_Color){58, 63, 74, 140});
        if (!labels) continue;
        fill_rect(cx, (SDL_Rect){(int)x, p->r.y + p->r.h, 1, cx->pad / 2}, COL_GRID);
        char buf[32];
        fmt(ticks[i], buf, sizeof buf);
        int w, h;
        font_size(cx->font, px, buf, &w, &h);
        SDL_Rect at = {(int)x - w / 2, p->r.y + p->r.h + cx->pad / 2, w, h};
        SDL_Rect wide = {at.x - cx->pad, at.y, at.w + 2 * cx->pad, at.h};
        if (last.w > 0 && SDL_HasIntersection(&wide, &last)) continue;
        label_log(cx, draw_text(cx, px, at.x, at.y, ALIGN_LEFT, COL_TEXT, buf), g);
        last = at;
        height = h;
    }
    return height;
}

/* A segment drawn in dashes, the pattern carried on from the previous
 * segment by *phase so that a dashed polyline looks even. */
static void dashed(VizCtx *cx, float x0, float y0, float x1, float y1, float width, SDL_Color c, float dash,
                   float *phase) {
    float dx = x1 - x0, dy = y1 - y0, len = sqrtf(dx * dx + dy * dy);
    if (len < 1e-3f) return;
    float pos = 0;
    while (pos < len) {
        float in = fmodf(*phase + pos, 2 * dash);
        if (in < dash) {
            float end = pos + dash - in < len ? pos + dash - in : len;
            draw_line(cx, x0 + dx * pos / len, y0 + dy * pos / len, x0 + dx * end / len, y0 + dy * end / len,
                      width, c);
            pos = end;
        } else {
            pos += 2 * dash - in;
        }
    }
    *phase += len;
}

static void clip_push(VizCtx *cx, SDL_Rect r, SDL_Rect *old, int *had) {
    *had = SDL_RenderIsClipEnabled(cx->r);
    SDL_RenderGetClipRect(cx->r, old);
    SDL_Rect in = r;
    if (*had) SDL_IntersectRect(&r, old, &in);
    SDL_RenderSetClipRect(cx->r, &in);
}

static void clip_pop(VizCtx *cx, const SDL_Rect *old, int had) {
    SDL_RenderSetClipRect(cx->r, had ? old : NULL);
}

void plot_series(VizCtx *cx, const Plot *p, const PlotSeries *s, float width, SDL_Color c, float dash, float dot) {
    SDL_Rect old;
    int had;
    /* a pixel of slack so that a line along an edge is not cut in half */
    clip_push(cx, (SDL_Rect){p->r.x - 1, p->r.y - 1, p->r.w + 2, p->r.h + 2}, &old, &had);
    float px = NAN, py = NAN, phase = 0;
    for (int i = 0; i < s->n; i++) {
        double x = fig_ref_value(&s->x, i), y = fig_ref_value(&s->y, i);
        float X = plot_px(p, x), Y = plot_py(p, y * s->yscale);
        if (isfinite(X) && isfinite(Y) && isfinite(px) && isfinite(py) && width > 0) {
            if (dash > 0) dashed(cx, px, py, X, Y, width, c, dash, &phase);
            else draw_line(cx, px, py, X, Y, width, c);
        }
        if (dot > 0 && isfinite(X) && isfinite(Y)) draw_disc(cx, X, Y, dot, c);
        px = X;
        py = Y;
    }
    clip_pop(cx, &old, had);
}

static SDL_Color rgba_colour(uint32_t c) { return (SDL_Color){c >> 24, (c >> 16) & 255, (c >> 8) & 255, c & 255}; }

void plot_fig_series(VizCtx *cx, const Plot *p, const Plot *p2, const Figure *f, const FigSeries *s) {
    const Plot *on = s->right && p2 ? p2 : p;
    SDL_Color c = rgba_colour(s->rgba);
    float d = cx->dpi;
    if (s->kind == FIG_HLINE) {
        plot_hline(cx, on, fig_value(f, s->row0, s->y_col) * s->yscale, s->width * d, c, s->dash * d);
        return;
    }
    PlotSeries ps = {.n = s->n, .yscale = s->yscale};
    if (fig_column_ref(f, s->x_col, s->row0, s->n, &ps.x) != 0) return;
    if (s->kind == FIG_VLINES) {
        for (int i = 0; i < s->n; i++) {
            double x = fig_ref_value(&ps.x, i);
            float X = x > 0 || !on->xlog ? plot_px(on, x) : (float)on->r.x;
            if (!(X >= on->r.x && X <= on->r.x + on->r.w)) continue;
            plot_vline(cx, on->r, X < on->r.x + 1 ? X + 1 : X, c, s->dash * d);
        }
        return;
    }
    if (s->kind != FIG_LINE || fig_column_ref(f, s->y_col, s->row0, s->n, &ps.y) != 0) return;
    plot_series(cx, on, &ps, s->width * d, c, s->dash * d, s->dot * d);
}

int plot_fig_legend(VizCtx *cx, const Figure *f, const FigPlot *pl, SDL_Rect r, int px, int draw) {
    LegendItem it[16];
    int n = 0;
    for (int rank = 1; rank <= 16 && n < 16; rank++)
        for (int k = 0; k < pl->nseries; k++) {
            const FigSeries *s = &f->series[pl->series0 + k];
            if (s->legend != rank || !s->name) continue;
            LegendItem *i = &it[n++];
            float d = cx->dpi;
            *i = (LegendItem){.name = s->name, .c = rgba_colour(s->rgba), .width = s->width * d, .dash = s->dash * d,
                              .dot = s->dot * d, .c2 = rgba_colour(s->rgba2)};
            /* faint lines, a little less faint so that the sample reads */
            if (i->c.a < 150) i->c.a = 150;
            break;
        }
    return plot_legend(cx, it, n, r, px, draw);
}

void plot_hline(VizCtx *cx, const Plot *p, double y, float width, SDL_Color c, float dash) {
    float Y = plot_py(p, y), phase = 0;
    if (!(Y >= p->r.y - 1 && Y <= p->r.y + p->r.h + 1)) return;
    if (dash > 0) dashed(cx, p->r.x, Y, p->r.x + p->r.w, Y, width, c, dash, &phase);
    else draw_line(cx, p->r.x, Y, p->r.x + p->r.w, Y, width, c);
}

void plot_vline(VizCtx *cx, SDL_Rect r, float x, SDL_Color c, float dash) {
    float phase = 0;
    if (dash > 0) dashed(cx, x, r.y, x, r.y + r.h, 1, c, dash, &phase);
    else draw_line(cx, x, r.y, x, r.y + r.h, 1, c);
}

int plot_legend(VizCtx *cx, const LegendItem *items, int n, SDL_Rect r, int px, int draw) {
    int sample = px * 2, gap = px, lh = px * 3 / 2, x = r.x, y = r.y;
    int g = draw ? label_group(cx) : 0;
    for (int i = 0; i < n; i++) {
        int w = sample + cx->pad / 2 + text_width(cx, px, items[i].name);
        if (x > r.x && x + w > r.x + r.w) {
            x = r.x;
            y += lh;
        }
        if (draw) {
            const LegendItem *it = &items[i];
            float ym = y + lh / 2.0f, off = it->c2.a ? 2 * cx->dpi : 0;
            for (int k = 0; k < (it->c2.a ? 2 : 1); k++) {
                SDL_Color c = k ? it->c2 : it->c;
                float yl = ym + (k ? off : -off), phase = 0;
                if (it->width > 0 && it->dash > 0)
                    dashed(cx, x, yl, x + sample, yl, it->width, c, it->dash, &phase);
                else if (it->width > 0)
                    draw_line(cx, x, yl, x + sample, yl, it->width, c);
            }
            if (it->dot > 0) draw_disc(cx, x + sample / 2.0f, ym, it->dot, it->c);
            label_log(cx, draw_text(cx, px, x + sample + cx->pad / 2, (int)ym, ALIGN_LEFT | VALIGN_MIDDLE, COL_TEXT,
                                    it->name), g);
        }
        x += w + gap;
    }
    return y + lh - r.y;
}
