/* A figure's plots as a standalone SVG 1.1 document, for papers: white
 * background, the window's colour maps, token labels as text (not glyph
 * outlines, so they stay searchable and editable), a colour bar beside
 * each heatmap. Plain stdio: SVG is text, and cairo's SVG surface would
 * turn every label into paths.
 *
 * Each plot is measured first (its box), the boxes are laid out in rows
 * of f->layout_cols, then drawn inside a <g> translated to its place. Text
 * widths are estimated (no font is opened here): 0.6 em a character. */
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "../core/atomic_file.h"
#include "bertology/figure.h"
#include "bertology/i18n.h"
#include "bertology/safetext.h"
#include "fig_internal.h"

enum { MAX_CELLS = 400 };   /* a heatmap with more rows or columns is pooled to this many */
#define TEXT "#1f2328"
#define DIM "#6b7280"
#define GRID "#d8dce3"
#define PANEL "#f4f5f7"
#define ACCENT "#c98a00"
#define GAP 28.0            /* between plots */
#define MARGIN 20.0

typedef struct {
    FILE *out;
    const Figure *f;
    int clip;               /* clip paths made so far */
} Svg;

/* ---- Text --------------------------------------------------------------- */

void xml_text(FILE *out, const char *s) {
    char safe[SAFE_TEXT_MAX];
    safe_text(safe, sizeof safe, s ? s : "");
    for (const unsigned char *p = (const unsigned char *)safe; *p; p++) {
        switch (*p) {
        case '&': fputs("&amp;", out); break;
        case '<': fputs("&lt;", out); break;
        case '>': fputs("&gt;", out); break;
        case '"': fputs("&quot;", out); break;
        case '\'': fputs("&apos;", out); break;
        default:
            /* U+FFFE and U+FFFF (EF BF BE/BF) are not XML characters; the
             * sanitiser has already replaced controls and bad bytes */
            if (p[0] == 0xEF && p[1] == 0xBF && (p[2] == 0xBE || p[2] == 0xBF)) {
                fputs("\xEF\xBF\xBD", out);
                p += 2;
            } else if (*p < 0x20 && *p != '\t') {
                fputc(' ', out);
            } else {
                fputc(*p, out);
            }
        }
    }
}

/* Characters (UTF-8 code points) of s, for estimating its width. */
static int chars(const char *s) {
    int n = 0;
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) n += (*p & 0xC0) != 0x80;
    return n;
}

static double text_w(const char *s, double px) { return 0.6 * px * chars(s); }

/* A <text>; anchor "start", "middle" or "end"; rotate: degrees about (x, y). */
static void text(Svg *s, double x, double y, double px, const char *anchor, const char *fill, int bold, double rotate,
                 const char *str) {
    fprintf(s->out, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%.1f\"", x, y, px);
    if (strcmp(anchor, "start")) fprintf(s->out, " text-anchor=\"%s\"", anchor);
    if (strcmp(fill, TEXT)) fprintf(s->out, " fill=\"%s\"", fill);
    if (bold) fputs(" font-weight=\"bold\"", s->out);
    if (rotate != 0) fprintf(s->out, " transform=\"rotate(%.0f %.1f %.1f)\"", rotate, x, y);
    fputc('>', s->out);
    xml_text(s->out, str);
    fputs("</text>\n", s->out);
}

static void textf(Svg *s, double x, double y, double px, const char *anchor, const char *fill, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));
static void textf(Svg *s, double x, double y, double px, const char *anchor, const char *fill, const char *fmt, ...) {
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    text(s, x, y, px, anchor, fill, 0, 0, buf);
}

/* At most n characters of s, cut with "…". */
static const char *cut(const char *s, int n, char *buf, size_t size) {
    s = s ? s : "";
    if (chars(s) <= n) return s;
    size_t i = 0;
    int c = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p && i + 4 < size; p++) {
        if ((*p & 0xC0) != 0x80 && ++c > n - 1) break;
        buf[i++] = (char)*p;
    }
    memcpy(buf + i, "…", 4);
    return buf;
}

/* ---- Colours and numbers ------------------------------------------------ */

static void hex(char *buf, uint32_t rgba) {
    snprintf(buf, 8, "#%02x%02x%02x", rgba >> 24, (rgba >> 16) & 255, (rgba >> 8) & 255);
}

/* A colour drawn on white: the window's light ones (made for its dark
 * background) darkened until they read. */
static uint32_t on_white(uint32_t c) {
    double r = c >> 24, g = (c >> 16) & 255, b = (c >> 8) & 255, lum = 0.3 * r + 0.59 * g + 0.11 * b;
    if (lum <= 160) return c;
    double k = 160 / lum;
    return (uint32_t)(r * k) << 24 | (uint32_t)(g * k) << 16 | (uint32_t)(b * k) << 8 | (c & 255);
}

static double luma(uint32_t c) { return 0.3 * (c >> 24) + 0.59 * ((c >> 16) & 255) + 0.11 * ((c >> 8) & 255); }

static void fmt_value(char *buf, size_t n, double v, FigFmt fmt) {
    switch (fmt) {
    case FIG_FMT_FIXED2: snprintf(buf, n, fabs(v) < 10 ? "%.2f" : "%.0f", v); break;
    case FIG_FMT_SIGNED2: snprintf(buf, n, fabs(v) < 9.995 ? "%+.2f" : "%+.0f", fabs(v) < 0.005 ? 0.0 : v); break;
    case FIG_FMT_PERCENT: snprintf(buf, n, "%.1f%%", 100 * v); break;
    case FIG_FMT_G: snprintf(buf, n, "%.3g", v); break;
    }
}

/* Tick labels: 20k, 1.5M. */
static void fmt_si(char *buf, size_t n, double v) {
    double a = fabs(v);
    if (a >= 1e9) snprintf(buf, n, "%.3gG", v / 1e9);
    else if (a >= 1e6) snprintf(buf, n, "%.3gM", v / 1e6);
    else if (a >= 1e3) snprintf(buf, n, "%.3gk", v / 1e3);
    else snprintf(buf, n, "%.3g", v);
}

/* ---- Heatmaps ------------------------------------------------------------ */

typedef struct {
    int R, C, kr, kc, pr, pc;   /* cells, pooling factors, pooled cells */
    double cw, ch;              /* a pooled cell's size */
    double left, top;           /* label bands */
    double gx, gy, gw, gh;      /* the grid */
    double lf;                  /* label font size */
    double w, h;                /* the plot's box */
} HeatLayout;

static double clampd(double v, double lo, double hi) { return v < lo ? lo : v > hi ? hi : v; }

/* The font of labels `step` apart whose size would be px: px when they
 * all fit, else 9 for every k-th (axis_labels). */
static double label_font(double step, double px) { return step < px * 1.1 ? 9 : px; }

static void heat_layout(const Figure *f, const FigPlot *p, HeatLayout *L) {
    const FigBlock *b = &f->blocks[p->block];
    memset(L, 0, sizeof *L);
    L->R = p->transpose ? b->cols : b->rows;
    L->C = p->transpose ? b->rows : b->cols;
    L->kr = (L->R + MAX_CELLS - 1) / MAX_CELLS;
    L->kc = (L->C + MAX_CELLS - 1) / MAX_CELLS;
    if (L->kr < 1) L->kr = 1;
    if (L->kc < 1) L->kc = 1;
    L->pr = (L->R + L->kr - 1) / L->kr;
    L->pc = (L->C + L->kc - 1) / L->kc;
    int big = L->pr > L->pc ? L->pr : L->pc;
    if (p->tile) {
        L->cw = L->ch = 110.0 / (big > 0 ? big : 1);
    } else if (L->pr == L->pc || (L->pr <= 64 && L->pc <= 64)) {
        L->cw = L->ch = clampd(560.0 / (big > 0 ? big : 1), 1, 40);
    } else {
        L->cw = clampd(640.0 / L->pc, 0.5, 40);
        L->ch = clampd(240.0 / L->pr, 0.5, 24);
    }
    L->lf = clampd(L->ch * L->kr * 0.75, 6, 11);
    double lw = 0, cwid = 0;
    if (!p->tile) {
        double rf = label_font(L->ch * L->pr / (L->R > 0 ? L->R : 1), L->lf);
        for (int i = 0; p->row_labels && i < L->R; i++) lw = fmax(lw, text_w(p->row_labels[i], rf));
        double cf = clampd(L->cw * L->kc * 0.75, 6, 11);
        cf = label_font(L->cw * L->pc / (L->C > 0 ? L->C : 1), cf);
        for (int j = 0; p->col_labels && j < L->C; j++) cwid = fmax(cwid, text_w(p->col_labels[j], cf));
    }
    L->left = (p->row_axis && !p->tile ? 16 : 0) + fmin(lw, 150) + 6;
    L->top = (p->title ? 18 : 0) + (p->subtitle ? 14 : 0) + (p->col_axis && !p->tile ? 14 : 0) + fmin(cwid, 110) + 6;
    L->gx = L->left;
    L->gy = L->top;
    L->gw = L->cw * L->pc;
    L->gh = L->ch * L->pr;
    double bar = p->tile ? 0 : 14 + 8 + text_w("-0.000", 10) + 8;
    L->w = L->gx + L->gw + bar + (p->unit && !p->tile ? fmax(0, text_w(p->unit, 10) - bar + 10) : 0);
    L->h = L->gy + L->gh + 6;
    if (p->title && !p->tile) L->w = fmax(L->w, fmin(text_w(p->title, 12), 600));   /* room for the title */
}

/* A vertical colour bar: a gradient from hi (top) to lo, its ends and middle written beside it. */
static void colour_bar(Svg *s, CmapId map, float lo, float hi, const char *unit, int pct, double x, double y, double h) {
    int id = ++s->clip;
    fprintf(s->out, "<defs><linearGradient id=\"bar%d\" x1=\"0\" y1=\"0\" x2=\"0\" y2=\"1\">\n", id);
    for (int i = 0; i <= 16; i++) {
        char c[8];
        hex(c, cmap_rgba(map, hi + (lo - hi) * i / 16.0f, lo, hi));
        fprintf(s->out, "<stop offset=\"%.4f\" stop-color=\"%s\"/>\n", i / 16.0, c);
    }
    fputs("</linearGradient></defs>\n", s->out);
    fprintf(s->out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"14\" height=\"%.1f\" fill=\"url(#bar%d)\" stroke=\"%s\"/>\n", x,
            y, h, id, GRID);
    double k = pct ? 100 : 1;
    const char *fmt = pct ? "%.3g%%" : "%.3g";
    textf(s, x + 20, y + 8, 10, "start", DIM, fmt, k * hi);
    textf(s, x + 20, y + h, 10, "start", DIM, fmt, k * lo);
    if (h > 60) textf(s, x + 20, y + h / 2 + 4, 10, "start", DIM, fmt, k * 0.5 * (lo + hi));
    if (unit) text(s, x, y - 5, 10, "start", DIM, 0, 0, unit);
}

/* Labels along one side: all of them when they fit, else every k-th,
 * k a 1–2–5 number (0, 50, 100, ...), so that none overlap. */
static void axis_labels(Svg *s, const char *const *lab, int n, double start, double step, double edge, double px,
                        int rows, double band) {
    int k = 1;
    if (step < px * 1.1) {   /* as label_font says */
        px = 9;
        static const int nice[] = {2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000};
        k = 2000;
        for (size_t i = 0; i < sizeof nice / sizeof *nice; i++)
            if (nice[i] * step >= px * 1.6) {
                k = nice[i];
                break;
            }
    }
    int maxc = (int)(band / (0.6 * px));
    if (maxc < 3) maxc = 3;
    for (int i = 0; i < n; i += k) {
        char buf[256];
        const char *t = cut(lab[i], maxc, buf, sizeof buf);
        double c = start + (i + 0.5) * step;
        if (rows) text(s, edge, c + px * 0.35, px, "end", TEXT, 0, 0, t);
        else text(s, c + px * 0.35, edge, px, "start", TEXT, 0, -90, t);
    }
}

/* A plot's title, cut to its box. */
static void title(Svg *s, const char *t, double w) {
    char buf[512];
    text(s, 0, 12, 12, "start", TEXT, 1, 0, cut(t, (int)(w / (0.6 * 12)), buf, sizeof buf));
}

static void heatmap(Svg *s, const FigPlot *p, const HeatLayout *L) {
    const Figure *f = s->f;
    int rows, cols;
    long stride;
    float *tmp;
    const float *m = fig_plot_matrix(f, p, &rows, &cols, &stride, &tmp);
    if (!m) return;
    double y = 0;
    if (p->title) {
        title(s, p->title, L->w);
        y = 18;
    }
    if (p->subtitle) text(s, 0, y + 10, 10, "start", DIM, 0, 0, p->subtitle);
    /* the axes' names: the columns' above their labels, the rows' turned on the left */
    if (p->col_axis && !p->tile)
        text(s, L->gx + L->gw / 2, (p->title ? 18 : 0) + (p->subtitle ? 14 : 0) + 10, 10, "middle", DIM, 0, 0, p->col_axis);
    if (p->row_axis && !p->tile) text(s, 10, L->gy + L->gh / 2, 10, "middle", DIM, 0, -90, p->row_axis);
    /* the cells, pooled as the window pools pixels (cmap_pool) */
    fprintf(s->out, "<g shape-rendering=\"crispEdges\">\n");
    for (int i = 0; i < L->pr; i++)
        for (int j = 0; j < L->pc; j++) {
            int r0 = i * L->kr, r1 = r0 + L->kr < rows ? r0 + L->kr : rows;
            int c0 = j * L->kc, c1 = c0 + L->kc < cols ? c0 + L->kc : cols;
            float v = cmap_pool(p->cmap, m, stride, r0, r1, c0, c1, p->lo, p->hi);
            char c[8];
            if (isnan(v)) snprintf(c, sizeof c, "#e6e6e6");   /* no value (a head already knocked out) */
            else if (!(v > p->masked_below)) snprintf(c, sizeof c, "#cfd3da");   /* masked */
            else hex(c, cmap_rgba(p->cmap, v, p->lo, p->hi));
            fprintf(s->out, "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" fill=\"%s\"/>\n",
                    L->gx + j * L->cw, L->gy + i * L->ch, L->cw, L->ch, c);
        }
    fputs("</g>\n", s->out);
    /* numbers (and the lens's tokens) in the cells when they fit, and marks */
    int show = L->kr == 1 && L->kc == 1;
    double vf = fmin(L->ch * 0.36, 10);
    for (int i = 0; show && i < rows; i++)
        for (int j = 0; j < cols; j++) {
            double v = m[(long)i * stride + j];
            double cx = L->gx + (j + 0.5) * L->cw, cy = L->gy + (i + 0.5) * L->ch;
            const char *word = fig_plot_text(f, p, p->text_block, i, j);
            const char *ink = !isfinite(v) || luma(cmap_rgba(p->cmap, (float)v, p->lo, p->hi)) > 140 ? "#14161c" : "#f0f2f5";
            char buf[64];
            if (word && L->cw >= 30 && L->ch >= 22) {
                text(s, cx, cy - 1, vf, "middle", ink, 0, 0, cut(word, (int)(L->cw / (0.6 * vf)), buf, sizeof buf));
                if (isfinite(v)) {
                    fmt_value(buf, sizeof buf, v, p->fmt);
                    text(s, cx, cy + vf, vf * 0.9, "middle", ink, 0, 0, buf);
                }
            } else if (p->values && isfinite(v) && v > p->masked_below && L->cw >= 26 && L->ch >= 14) {
                fmt_value(buf, sizeof buf, v, p->fmt);
                text(s, cx, cy + vf * 0.35, vf, "middle", ink, 0, 0, buf);
            }
            if (p->mark_block >= 0 && fig_plot_value(f, &(FigPlot){.block = p->mark_block, .transpose = p->transpose}, i, j))
                fprintf(s->out,
                        "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" fill=\"none\" stroke=\"%s\" "
                        "stroke-width=\"2\"/>\n",
                        L->gx + j * L->cw + 1, L->gy + i * L->ch + 1, L->cw - 2, L->ch - 2, ACCENT);
        }
    if (p->emphasis)
        fprintf(s->out,
                "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" fill=\"none\" stroke=\"%s\" "
                "stroke-width=\"2\"/>\n",
                L->gx - 1, L->gy - 1, L->gw + 2, L->gh + 2, ACCENT);
    if (!p->tile) {
        if (p->row_labels)
            axis_labels(s, p->row_labels, rows, L->gy, L->gh / rows, L->gx - 4, L->lf, 1, L->left - 8);
        if (p->col_labels)
            axis_labels(s, p->col_labels, cols, L->gx, L->gw / cols, L->gy - 4, clampd(L->cw * L->kc * 0.75, 6, 11), 0,
                        110);
        colour_bar(s, p->cmap, p->lo, p->hi, p->unit, p->fmt == FIG_FMT_PERCENT, L->gx + L->gw + 8, L->gy,
                   fmin(L->gh, 240));
    }
    free(tmp);
}

/* ---- Line plots ---------------------------------------------------------- */

enum { PW = 560, PH = 260 };

typedef struct {
    double left, top, w, h, legend_h;
    double y0, y1;          /* the y axis drawn: the plot's range, a little headroom above on a linear axis */
} LineLayout;

/* The legend's items: the series with a place in it, in that order. */
static int legend_items(const Figure *f, const FigPlot *p, const FigSeries **it, int cap) {
    int n = 0;
    for (int rank = 1; rank <= 32 && n < cap; rank++)
        for (int k = 0; k < p->nseries; k++) {
            const FigSeries *s = &f->series[p->series0 + k];
            if (s->legend == rank && s->name) {
                it[n++] = s;
                break;
            }
        }
    /* a plot of one unnamed-in-legend line (the lens's rank) has none */
    return n;
}

static double legend_rows(const Figure *f, const FigPlot *p, int draw, Svg *s, double x0, double y0) {
    const FigSeries *it[32];
    int n = legend_items(f, p, it, 32);
    double x = x0, y = y0;
    if (n == 0) return 0;
    for (int i = 0; i < n; i++) {
        double w = 28 + text_w(it[i]->name, 10) + 14;
        if (x > x0 && x + w > x0 + PW) {
            x = x0;
            y += 16;
        }
        if (draw) {
            char c[8];
            for (int k = 0; k < (it[i]->rgba2 & 255 ? 2 : 1); k++) {
                hex(c, on_white(k ? it[i]->rgba2 : it[i]->rgba));
                double yl = y + 8 + (it[i]->rgba2 & 255 ? (k ? 2 : -2) : 0);
                fprintf(s->out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"%.1f\"",
                        x, yl, x + 22, yl, c, it[i]->width);
                if (it[i]->dash > 0) fprintf(s->out, " stroke-dasharray=\"%.1f\"", it[i]->dash);
                fputs("/>\n", s->out);
            }
            if (it[i]->dot > 0) {
                hex(c, on_white(it[i]->rgba));
                fprintf(s->out, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" fill=\"%s\"/>\n", x + 11, y + 8, it[i]->dot, c);
            }
            text(s, x + 28, y + 12, 10, "start", TEXT, 0, 0, it[i]->name);
        }
        x += w;
    }
    return y + 18 - y0;
}

static void line_layout(const Figure *f, const FigPlot *p, LineLayout *L) {
    L->legend_h = legend_rows(f, p, 0, NULL, 0, 0);
    L->left = 64;
    L->top = (p->title ? 20 : 0) + L->legend_h + 8;
    L->w = L->left + PW + (p->y2_axis ? 64 : 16);
    L->h = L->top + PH + 44;
    L->y0 = p->y0;
    L->y1 = p->ylog ? p->y1 : p->y1 + 0.06 * (p->y1 - p->y0);   /* a line at the top is not hidden by the frame */
}

static double map_x(const FigPlot *p, const LineLayout *L, double x) {
    if (p->xlog) x = x > 0 ? log10(x) : NAN;
    return L->left + (x - p->x0) / (p->x1 - p->x0) * PW;
}

static double map_y(const LineLayout *L, double y, int log, double y0, double y1) {
    if (log) y = y > 0 ? log10(y) : NAN;
    return L->top + PH - (y - y0) / (y1 - y0) * PH;
}

static void stroke_attrs(Svg *s, const FigSeries *se) {
    char c[8];
    hex(c, on_white(se->rgba));
    fprintf(s->out, " fill=\"none\" stroke=\"%s\" stroke-width=\"%.2f\"", c, se->width);
    if ((se->rgba & 255) < 255) fprintf(s->out, " stroke-opacity=\"%.2f\"", (se->rgba & 255) / 255.0);
    if (se->dash > 0) fprintf(s->out, " stroke-dasharray=\"%.1f %.1f\"", se->dash, se->dash);
}

static void series(Svg *s, const FigPlot *p, const LineLayout *L, const FigSeries *se) {
    const Figure *f = s->f;
    int right = se->right && p->y2_axis;
    double y0 = right ? p->y2_0 : L->y0, y1 = right ? p->y2_1 : L->y1;
    int ylog = right ? 0 : p->ylog;
    if (se->kind == FIG_HLINE) {
        double y = map_y(L, fig_value(f, se->row0, se->y_col) * se->yscale, ylog, y0, y1);
        if (!isfinite(y)) return;
        fprintf(s->out, "<line x1=\"%.1f\" y1=\"%.2f\" x2=\"%.1f\" y2=\"%.2f\"", L->left, y, L->left + PW, y);
        stroke_attrs(s, se);
        fputs("/>\n", s->out);
        if (se->name && !se->legend) {   /* named above its right end, as the window does */
            char c[8];
            hex(c, on_white(se->rgba));
            text(s, L->left + PW - 4, y - 4, 10, "end", c, 0, 0, se->name);
        }
        return;
    }
    FigColumnRef xr, yr;
    if (fig_column_ref(f, se->x_col, se->row0, se->n, &xr) != 0) return;
    if (se->kind == FIG_VLINES) {
        for (int i = 0; i < se->n; i++) {
            double xv = fig_ref_value(&xr, i), x = !(xv > 0) && p->xlog ? L->left : map_x(p, L, xv);
            if (!(x >= L->left && x <= L->left + PW)) continue;
            fprintf(s->out, "<line x1=\"%.2f\" y1=\"%.1f\" x2=\"%.2f\" y2=\"%.1f\"", x, L->top, x, L->top + PH);
            stroke_attrs(s, se);
            fputs("/>\n", s->out);
        }
        return;
    }
    if (se->kind != FIG_LINE || fig_column_ref(f, se->y_col, se->row0, se->n, &yr) != 0) return;
    /* runs of finite points as polylines; a point that is not finite breaks the line */
    int open = 0;
    char c[8];
    hex(c, on_white(se->rgba));
    for (int i = 0; i <= se->n; i++) {
        double x = i < se->n ? map_x(p, L, fig_ref_value(&xr, i)) : NAN;
        double y = i < se->n ? map_y(L, fig_ref_value(&yr, i) * se->yscale, ylog, y0, y1) : NAN;
        int ok = isfinite(x) && isfinite(y);
        if (ok && !open) {
            fputs("<polyline points=\"", s->out);
            open = 1;
        } else if (!ok && open) {
            fputs("\"", s->out);
            stroke_attrs(s, se);
            fputs(" stroke-linejoin=\"round\"/>\n", s->out);
            open = 0;
        }
        if (ok) fprintf(s->out, "%.2f,%.2f ", x, y);
    }
    for (int i = 0; se->dot > 0 && i < se->n; i++) {
        double x = map_x(p, L, fig_ref_value(&xr, i));
        double y = map_y(L, fig_ref_value(&yr, i) * se->yscale, ylog, y0, y1);
        if (isfinite(x) && isfinite(y))
            fprintf(s->out, "<circle cx=\"%.2f\" cy=\"%.2f\" r=\"%.1f\" fill=\"%s\"/>\n", x, y, se->dot, c);
    }
}

/* Ticks of [y0, y1] on an axis drawn as [a0, a1]. */
static void y_ticks(Svg *s, const LineLayout *L, double y0, double y1, double a0, double a1, int log, FigFmt fmt, double x,
                    const char *anchor, int grid) {
    double t[64];
    int n;
    double lo = fmin(y0, y1), hi = fmax(y0, y1);
    if (log) {
        n = 0;
        for (int e = (int)ceil(lo - 1e-9); e <= (int)floor(hi + 1e-9) && n < 64; e++) t[n++] = pow(10, e);
    } else {
        n = fig_ticks(lo, hi, 5, t, 64);
    }
    for (int i = 0; i < n; i++) {
        double y = map_y(L, t[i], log, a0, a1);
        if (grid)
            fprintf(s->out, "<line x1=\"%.1f\" y1=\"%.2f\" x2=\"%.1f\" y2=\"%.2f\" stroke=\"%s\"/>\n", L->left, y,
                    L->left + PW, y, GRID);
        char buf[32];
        if (log) fmt_si(buf, sizeof buf, t[i]);
        else if (fmt == FIG_FMT_PERCENT) snprintf(buf, sizeof buf, "%g%%", t[i]);
        else if (fabs(t[i]) > 0 && fabs(t[i]) < 1e-2) snprintf(buf, sizeof buf, "%.0e", t[i]);
        else snprintf(buf, sizeof buf, "%g", t[i]);
        text(s, x, y + 3.5, 10, anchor, DIM, 0, 0, buf);
    }
}

static void lines(Svg *s, const FigPlot *p, const LineLayout *L) {
    const Figure *f = s->f;
    double y = 0;
    if (p->title) {
        title(s, p->title, L->w);
        y = 20;
    }
    legend_rows(f, p, 1, s, L->left, y);
    fprintf(s->out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%d\" height=\"%d\" fill=\"%s\" stroke=\"%s\"/>\n", L->left, L->top,
            PW, PH, PANEL, GRID);
    y_ticks(s, L, p->y0, p->y1, L->y0, L->y1, p->ylog, p->y_fmt, L->left - 6, "end", 1);
    if (p->y2_axis) y_ticks(s, L, p->y2_0, p->y2_1, p->y2_0, p->y2_1, 0, FIG_FMT_G, L->left + PW + 6, "start", 0);
    /* x ticks: the categories' names, or values (1–2–5 per decade on a log axis) */
    double t[64];
    int n = 0;
    if (p->x_text_col >= 0) {
        int step = 1, cats = (int)floor(p->x1) - (int)ceil(p->x0) + 1;
        while (cats / step > 16) step++;
        for (int i = (int)ceil(p->x0); i <= (int)floor(p->x1) && n < 64; i += step) t[n++] = i;
    } else if (p->xlog) {
        n = fig_log_ticks(p->x0, p->x1, 8, t, 64);
    } else {
        n = fig_ticks(p->x0, p->x1, 8, t, 64);
    }
    for (int i = 0; i < n; i++) {
        double x = map_x(p, L, t[i]);
        fprintf(s->out, "<line x1=\"%.2f\" y1=\"%.1f\" x2=\"%.2f\" y2=\"%.1f\" stroke=\"%s\"/>\n", x, L->top, x,
                L->top + PH, GRID);
        char buf[64];
        double v;
        const char *name = NULL;
        if (p->x_text_col >= 0) fig_cell(f, (int)t[i], p->x_text_col, &v, &name);
        if (name) snprintf(buf, sizeof buf, "%s", name);
        else fmt_si(buf, sizeof buf, t[i]);
        text(s, x, L->top + PH + 14, 10, "middle", DIM, 0, 0, buf);
    }
    int id = ++s->clip;
    fprintf(s->out, "<defs><clipPath id=\"c%d\"><rect x=\"%.1f\" y=\"%.1f\" width=\"%d\" height=\"%d\"/></clipPath></defs>\n",
            id, L->left - 1, L->top - 1, PW + 2, PH + 2);
    fprintf(s->out, "<g clip-path=\"url(#c%d)\">\n", id);
    for (int k = 0; k < p->nseries; k++) series(s, p, L, &f->series[p->series0 + k]);
    fputs("</g>\n", s->out);
    if (p->x_axis) text(s, L->left + PW / 2.0, L->top + PH + 34, 11, "middle", DIM, 0, 0, p->x_axis);
    if (p->y_axis) text(s, 14, L->top + PH / 2.0, 11, "middle", DIM, 0, -90, p->y_axis);
    if (p->y2_axis) text(s, L->left + PW + 58, L->top + PH / 2.0, 11, "middle", DIM, 0, 90, p->y2_axis);
}

/* ---- Bars ---------------------------------------------------------------- */

enum { BW = 240 };

typedef struct {
    int n;
    double rh, left, top, w, h;
} BarLayout;

static void bar_layout(const Figure *f, const FigPlot *p, BarLayout *L) {
    L->n = p->note ? 0 : f->blocks[p->block].rows;
    L->rh = L->n ? clampd(300.0 / L->n, 8, 20) : 0;
    double lw = 0;
    for (int i = 0; i < L->n && p->row_labels; i++) lw = fmax(lw, text_w(p->row_labels[i], fmin(L->rh * 0.7, 11)));
    L->left = fmin(lw, 160) + 8;
    L->top = (p->title ? 18 : 0) + (p->subtitle ? 14 : 0) + 4;
    L->w = fmax(L->left + BW + 60, fmin(text_w(p->title, 12), 600));
    L->h = L->top + (p->note ? 16 : L->n * L->rh) + 20;
}

static void bars(Svg *s, const FigPlot *p, const BarLayout *L) {
    const Figure *f = s->f;
    double y = 0;
    if (p->title) {
        title(s, p->title, L->w);
        y = 18;
    }
    if (p->subtitle) text(s, 0, y + 10, 10, "start", DIM, 0, 0, p->subtitle);
    if (p->note) {
        text(s, 0, L->top + 12, 11, "start", TEXT, 0, 0, p->note);
        return;
    }
    double axis = L->left + (p->is_signed ? BW / 2.0 : 0), len = p->is_signed ? BW / 2.0 : BW, lf = fmin(L->rh * 0.7, 11);
    char c[8];
    for (int i = 0; i < L->n; i++) {
        double v = fig_plot_value(f, p, i, 0), yy = L->top + i * L->rh;
        if (i == p->highlight)
            fprintf(s->out, "<rect x=\"0\" y=\"%.2f\" width=\"%.1f\" height=\"%.2f\" fill=\"#fff3cc\"/>\n", yy,
                    L->left + BW, L->rh);
        fprintf(s->out, "<rect x=\"%.1f\" y=\"%.2f\" width=\"%d\" height=\"%.2f\" fill=\"%s\"/>\n", L->left,
                yy + L->rh * 0.14, BW, L->rh * 0.72, PANEL);
        if (p->row_labels) {
            char buf[256];
            text(s, L->left - 4, yy + L->rh / 2 + lf * 0.35, lf, "end", TEXT, 0, 0,
                 cut(p->row_labels[i], (int)(160 / (0.6 * lf)), buf, sizeof buf));
        }
        if (!isfinite(v)) continue;
        double w = fabs(v) / (p->hi > 0 ? p->hi : 1) * len;
        uint32_t col = p->is_signed ? cmap_rgba(CMAP_RDBU, v < 0 ? -0.6f : 0.6f, -1, 1)
                                    : on_white(i == p->accent_row ? FIG_ACCENT : p->bar_rgba);
        hex(c, col);
        fprintf(s->out, "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" fill=\"%s\"/>\n",
                v < 0 ? axis - w : axis, yy + L->rh * 0.14, w, L->rh * 0.72, c);
        if (p->values) {
            char buf[32];
            fmt_value(buf, sizeof buf, v, p->fmt);
            text(s, axis + (v < 0 ? 0 : w) + 4, yy + L->rh / 2 + lf * 0.35, lf, "start", DIM, 0, 0, buf);
        }
    }
    if (p->is_signed)
        fprintf(s->out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>\n", axis, L->top, axis,
                L->top + L->n * L->rh, DIM);
    char buf[64], num[32];
    fmt_value(num, sizeof num, p->hi, p->fmt == FIG_FMT_PERCENT ? FIG_FMT_PERCENT : FIG_FMT_G);
    snprintf(buf, sizeof buf, p->is_signed ? "bar = ±%s" : "bar = %s", num);
    text(s, L->left + BW, L->top + L->n * L->rh + 14, 10, "end", DIM, 0, 0, buf);
}

/* ---- The head view's lines ------------------------------------------------ */

typedef struct {
    int T;
    double step, band, gap, top, w, h;
} LinkLayout;

static void link_layout(const Figure *f, const FigPlot *p, LinkLayout *L) {
    L->T = p->nseries ? f->blocks[f->series[p->series0].block].rows : 0;
    L->step = L->T ? clampd(420.0 / L->T, 8, 22) : 0;
    double lw = 0;
    for (int i = 0; i < L->T && p->row_labels; i++) lw = fmax(lw, text_w(p->row_labels[i], fmin(L->step * 0.7, 11)));
    L->band = fmin(lw, 150) + 8;
    L->gap = 260;
    L->top = 24 + 18;
    L->w = 2 * L->band + L->gap;
    L->h = L->top + L->T * L->step + 8;
}

static void links(Svg *s, const FigPlot *p, const LinkLayout *L) {
    const Figure *f = s->f;
    double lx = L->band, rx = L->band + L->gap, lf = fmin(L->step * 0.7, 11);
    /* the heads' colours, as a legend */
    double x = 0;
    for (int k = 0; k < p->nseries; k++) {
        const FigSeries *se = &f->series[p->series0 + k];
        char c[8];
        hex(c, on_white(se->rgba));
        fprintf(s->out, "<rect x=\"%.1f\" y=\"2\" width=\"12\" height=\"12\" fill=\"%s\"/>\n", x, c);
        text(s, x + 16, 12, 10, "start", TEXT, 0, 0, se->name);
        x += 16 + text_w(se->name, 10) + 12;
    }
    text(s, lx - 4, L->top - 6, 10, "end", DIM, 0, 0, p->row_axis);
    text(s, rx + 4, L->top - 6, 10, "start", DIM, 0, 0, p->col_axis);
    for (int k = 0; k < p->nseries; k++) {
        const FigSeries *se = &f->series[p->series0 + k];
        const FigBlock *b = &f->blocks[se->block];
        char c[8];
        hex(c, on_white(se->rgba));
        fprintf(s->out, "<g stroke=\"%s\" stroke-width=\"%.1f\">\n", c, se->width);
        for (int i = 0; i < L->T; i++)
            for (int j = 0; j < L->T; j++) {
                double w = fig_value(f, b->row0 + i, b->col0 + j);
                if (!(w >= 0.01)) continue;   /* invisible anyway */
                fprintf(s->out, "<line x1=\"%.1f\" y1=\"%.2f\" x2=\"%.1f\" y2=\"%.2f\" stroke-opacity=\"%.3f\"/>\n", lx,
                        L->top + (i + 0.5) * L->step, rx, L->top + (j + 0.5) * L->step, w > 1 ? 1 : w);
            }
        fputs("</g>\n", s->out);
    }
    for (int i = 0; i < L->T && p->row_labels; i++) {
        char buf[256];
        const char *t = cut(p->row_labels[i], (int)(150 / (0.6 * lf)), buf, sizeof buf);
        double y = L->top + (i + 0.5) * L->step + lf * 0.35;
        text(s, lx - 4, y, lf, "end", TEXT, 0, 0, t);
        text(s, rx + 4, y, lf, "start", TEXT, 0, 0, t);
    }
}

/* ---- The document ---------------------------------------------------------- */

typedef union {
    HeatLayout heat;
    LineLayout line;
    BarLayout bar;
    LinkLayout link;
} Layout;

static void measure(const Figure *f, const FigPlot *p, Layout *L, double *w, double *h) {
    switch (p->kind) {
    case FIG_HEATMAP: heat_layout(f, p, &L->heat); *w = L->heat.w; *h = L->heat.h; break;
    case FIG_LINES: line_layout(f, p, &L->line); *w = L->line.w; *h = L->line.h; break;
    case FIG_BARS: bar_layout(f, p, &L->bar); *w = L->bar.w; *h = L->bar.h; break;
    case FIG_LINKS: link_layout(f, p, &L->link); *w = L->link.w; *h = L->link.h; break;
    }
}

static void draw(Svg *s, const FigPlot *p, const Layout *L) {
    switch (p->kind) {
    case FIG_HEATMAP: heatmap(s, p, &L->heat); break;
    case FIG_LINES: lines(s, p, &L->line); break;
    case FIG_BARS: bars(s, p, &L->bar); break;
    case FIG_LINKS: links(s, p, &L->link); break;
    }
}

/* The caption's lines ('\n' between them). */
static int caption_lines(const char *c) {
    int n = c && *c ? 1 : 0;
    for (; c && *c; c++) n += *c == '\n';
    return n;
}

/* The shared colour bar of tiles (the all-heads view). */
static const FigPlot *tiles(const Figure *f) {
    for (int i = 0; i < f->nplots; i++)
        if (f->plots[i].tile) return &f->plots[i];
    return NULL;
}

static void document(Svg *s, double W, double H, const Layout *lay, const double *px, const double *py) {
    const Figure *f = s->f;
    FILE *out = s->out;
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n", out);
    fprintf(out,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"%.0f\" height=\"%.0f\" "
            "viewBox=\"0 0 %.0f %.0f\" font-family=\"DejaVu Sans, Verdana, sans-serif\" fill=\"%s\">\n",
            W, H, W, H, TEXT);
    fputs("<title>", out);
    xml_text(out, f->title ? f->title : viz_view_name(f->view));
    fputs("</title>\n<desc>", out);
    fputs("Bertology, ", out);
    xml_text(out, viz_view_name(f->view));
    fputs(" view", out);
    /* the caption's lines, one after another (the sanitiser would show a line break as \x0a) */
    for (const char *c = f->caption; c && *c;) {
        const char *nl = strchr(c, '\n');
        char line[1024];
        snprintf(line, sizeof line, "%.*s", nl ? (int)(nl - c) : (int)strlen(c), c);
        fputs(c == f->caption ? ": " : "; ", out);
        xml_text(out, line);
        c = nl ? nl + 1 : NULL;
    }
    fputs("</desc>\n", out);
    fprintf(out, "<rect width=\"%.0f\" height=\"%.0f\" fill=\"#ffffff\"/>\n", W, H);
    double y = MARGIN + 14;
    text(s, MARGIN, y, 15, "start", TEXT, 1, 0, f->title ? f->title : viz_view_name(f->view));
    for (const char *c = f->caption; c && *c;) {
        const char *nl = strchr(c, '\n');
        char line[1024];
        snprintf(line, sizeof line, "%.*s", nl ? (int)(nl - c) : (int)strlen(c), c);
        y += 16;
        text(s, MARGIN, y, 11, "start", DIM, 0, 0, line);
        c = nl ? nl + 1 : NULL;
    }
    for (int i = 0; i < f->nplots; i++) {
        fprintf(out, "<g transform=\"translate(%.1f %.1f)\">\n", px[i], py[i]);
        draw(s, &f->plots[i], &lay[i]);
        fputs("</g>\n", out);
    }
    const FigPlot *t = tiles(f);
    if (t) colour_bar(s, t->cmap, t->lo, t->hi, t->unit, 0, W - MARGIN - 60, MARGIN + 60, 200);
    fputs("</svg>\n", out);
}

int fig_write_svg(const Figure *f, const char *path, BtError *err) {
    if (f->nplots < 1 || !fig_view_has_svg(f->view))
        return bt_fail(err, "the %s view has no SVG; `export FILE.csv` writes its numbers", viz_view_name(f->view));
    int n = f->nplots, cols = f->layout_cols > 0 ? f->layout_cols : 1;
    Layout *lay = calloc((size_t)n, sizeof *lay);
    double *pw = calloc((size_t)n * 4, sizeof *pw), *ph = pw + n, *px = pw + 2 * n, *py = pw + 3 * n;
    if (!lay || !pw) {
        free(lay);
        free(pw);
        return bt_fail(err, "out of memory");
    }
    locale_t old = uselocale(fig_c_locale());   /* '.' in every number, whatever LC_NUMERIC says */
    for (int i = 0; i < n; i++) measure(f, &f->plots[i], &lay[i], &pw[i], &ph[i]);
    /* rows of `cols` plots: each column as wide as its widest, each row as tall as its tallest */
    double colw[256] = {0}, W = 0, y = MARGIN + 14 + 16.0 * caption_lines(f->caption) + 16;
    if (cols > 256) cols = 256;
    for (int i = 0; i < n; i++) colw[i % cols] = fmax(colw[i % cols], pw[i]);
    for (int r = 0; r * cols < n; r++) {
        double x = MARGIN, rowh = 0;
        for (int c = 0; c < cols && r * cols + c < n; c++) {
            int i = r * cols + c;
            px[i] = x;
            py[i] = y;
            x += colw[c] + GAP;
            rowh = fmax(rowh, ph[i]);
        }
        W = fmax(W, x - GAP + MARGIN);
        y += rowh + GAP;
    }
    if (tiles(f)) W += 80;   /* the tiles' shared colour bar */
    W = fmax(W, MARGIN * 2 + text_w(f->title, 15));
    double H = y - GAP + MARGIN;
    AtomicFile a;
    int rc = af_open(&a, path, err);
    if (rc == 0) {
        Svg s = {a.fp, f, 0};
        document(&s, W, H, lay, px, py);
        rc = af_commit(&a, err);
    }
    uselocale(old);
    free(lay);
    free(pw);
    return rc;
}
