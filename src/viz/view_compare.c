/* View 9: the REPL's last `compare`, one word in two sentences. A static
 * vector is the same in both, so its cosine is 1 (the dashed line); the
 * model's vectors for the word, for the whole sentence and for [CLS] are
 * drawn depth by depth, so the learner sees where context pulls the two
 * readings of the word apart. */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "plot.h"
#include "view_compare.h"

/* The sentences in the embedding view's colours (A orange, B blue), so
 * that the two views read alike. */
static const SDL_Color SENT_COL[2] = {{242, 142, 44, 255}, {96, 165, 250, 255}};
/* One point along the model, for the tooltip. */
typedef struct {
    double x, word, mean, cls;
} Point;

static void fmt_depth(double v, char *buf, size_t n) {
    long p = lround(v);
    if (p == 0) snprintf(buf, n, "emb");
    else snprintf(buf, n, "L%ld", p - 1);
}

static void fmt_cos(double v, char *buf, size_t n) { snprintf(buf, n, "%g", v); }

/* The header: the word, then both sentences, each cut to the width. Returns its bottom. */
static int header(VizCtx *cx, const VecCompare *k, int x, int y, int w) {
    char line[512], fit[512];
    snprintf(line, sizeof line, _("'%s' in two sentences: the cosine of A against B at each depth of the model"), k->word);
    text_fit(cx, cx->fs, line, w, fit, sizeof fit);
    SDL_Rect r = draw_text(cx, cx->fs, x, y, ALIGN_LEFT, COL_TEXT, fit);
    y = r.y + r.h;
    int px = cx->fs - 1;
    for (int s = 0; s < 2; s++) {
        const VecSentence *vs = &k->s[s];
        SDL_Rect tag = draw_text(cx, px, x, y, ALIGN_LEFT, SENT_COL[s], s ? "B" : "A");
        int tx = x + tag.w + cx->pad;
        text_fit(cx, px, vs->pass.text ? vs->pass.text : "", x + w - tx, fit, sizeof fit);
        r = draw_text(cx, px, tx, y, ALIGN_LEFT, COL_TEXT, fit);
        y += r.h > 0 ? r.h : px;
    }
    /* What the word's vector is, when that is not plain. */
    const VecSentence *a = &k->s[0], *b = &k->s[1];
    int n = 0;
    line[0] = '\0';
    if (a->n_pieces > 1)
        n += snprintf(line, sizeof line, _("'%s' is %d word pieces: its vector is their mean. "), k->word, a->n_pieces);
    if ((a->occurrences > 1 || b->occurrences > 1) && n < (int)sizeof line)
        snprintf(line + n, sizeof line - n, "%s", _("It occurs more than once; the first is compared."));
    if (line[0]) {
        text_fit(cx, cx->fs_min, line, w, fit, sizeof fit);
        r = draw_text(cx, cx->fs_min, x, y, ALIGN_LEFT, COL_DIM, fit);
        y = r.y + r.h;
    }
    return y;
}

/* The static cosine's name, above the right end of its dashed line. */
static void static_label(VizCtx *cx, const Plot *p, const Figure *f, const FigSeries *s, int px) {
    char fit[256];
    text_fit(cx, px, s->name, p->r.w - cx->pad, fit, sizeof fit);
    float y = plot_py(p, fig_value(f, s->row0, s->y_col));
    if (!isfinite(y)) return;
    int g = label_group(cx);
    uint32_t c = s->rgba;
    label_log(cx, draw_text(cx, px, p->r.x + p->r.w - cx->pad / 2, (int)y - cx->pad / 4, ALIGN_RIGHT | VALIGN_BOTTOM,
                            (SDL_Color){c >> 24, (c >> 16) & 255, (c >> 8) & 255, c & 255}, fit), g);
}

static void hover(VizCtx *cx, const Plot *p, const VecCompare *k, const Point *pt) {
    if (!cx->mouse_in || !point_in(&p->r, cx->mx, cx->my)) return;
    long i = lround(plot_x_at(p, cx->mx));
    if (i < 0 || i >= k->n_points) return;
    plot_vline(cx, p->r, plot_px(p, (double)i), (SDL_Color){255, 196, 61, 110}, 0);
    if (i == 0) tip(cx, _("embedding output: word + position + segment, no context yet"));
    else tip(cx, _("output of layer %ld"), i - 1);
    tip(cx, _("'%s' %.3f · sentence %.3f · [CLS] %.3f"), k->word, pt[i].word, pt[i].mean, pt[i].cls);
    tip(cx, _("static (%s): '%s' %.3f · sentence %.3f"), k->set_name, k->word, k->static_word_cos, k->static_mean_cos);
}

static void view_compare_draw(VizCtx *cx, void *self, const VizState *st, SDL_Rect area) {
    VizCompareView *cv = self;
    cv->plot = (SDL_Rect){0, 0, 0, 0};
    Figure f;
    if (viz_view_figure_or_notice(cx, VIZ_COMPARE, self, st, area, &f)) return;
    const VecCompare *k = st->compare;
    const FigPlot *fp = &f.plots[0];
    Point *pt = malloc(sizeof *pt * (size_t)k->n_points);
    if (!pt) {
        draw_notice(cx, area, _("Out of memory"), NULL);
        fig_free(&f);
        return;
    }
    /* the figure's columns: word, mean, [CLS] cosines (for the tooltip) */
    for (int i = 0; i < k->n_points; i++) pt[i] = (Point){i, fig_value(&f, i, 2), fig_value(&f, i, 3), fig_value(&f, i, 4)};
    double lo = fp->y0;

    int pad = cx->pad, tick = cx->fs - 2 < cx->fs_min ? cx->fs_min : cx->fs - 2;
    int y = header(cx, k, area.x + 2 * pad, area.y + pad, area.w - 4 * pad) + pad;
    int left = text_width(cx, tick, "-0.8") + cx->fs + 2 * pad, right = 2 * pad;
    int px0 = area.x + pad + left, pw = area.w - 2 * pad - left - right;
    SDL_Rect band = {px0, y, pw, 0};
    int leg = plot_fig_legend(cx, &f, fp, band, cx->fs - 1, 0);
    int x_h = tick + cx->fs + 2 * pad;
    int ph = area.y + area.h - y - leg - pad - x_h;
    if (pw < 10 * cx->fs || ph < 6 * cx->fs) {
        draw_notice(cx, area, _("The window is too small for the comparison"), _("Make it larger."));
        free(pt);
        fig_free(&f);
        return;
    }
    plot_fig_legend(cx, &f, fp, band, cx->fs - 1, 1);

    /* Headroom above 1 for the static line's name, so that it covers no curve. */
    int room = tick + pad;
    double top = fp->y1 + (fp->y1 - lo) * room / (ph - room);
    Plot p = {{px0, y + leg + pad, pw, ph}, 0, fp->x0, fp->x1, lo, top};
    fill_rect(cx, p.r, COL_PANEL);
    double ticks[64];
    int nt = fig_ticks(lo, 1, ph / (cx->fs * 3) + 1, ticks, 64);
    plot_axis_y(cx, &p, ticks, nt, fmt_cos, 0, 1, COL_TEXT);
    int nx = k->n_points < 64 ? k->n_points : 64;
    for (int i = 0; i < nx; i++) ticks[i] = i;
    plot_axis_x(cx, &p, ticks, nx, fmt_depth, 1);
    if (lo < 0) plot_hline(cx, &p, 0, cx->dpi, COL_GRID, 0);

    for (int i = 0; i < fp->nseries; i++) plot_fig_series(cx, &p, NULL, &f, &f.series[fp->series0 + i]);
    static_label(cx, &p, &f, &f.series[fp->series0], tick);
    frame_rect(cx, p.r, COL_GRID, 1);

    /* Axis titles: turned on the left, and what the depths mean below. */
    char fit[256];
    text_fit(cx, cx->fs - 1, fp->y_axis, p.r.h, fit, sizeof fit);
    int tw = text_width(cx, cx->fs - 1, fit);
    draw_text_up(cx, cx->fs - 1, area.x + pad, p.r.y + p.r.h / 2 + tw / 2, ALIGN_LEFT, COL_DIM, fit);
    text_fit(cx, cx->fs - 1, fp->x_axis, pw, fit, sizeof fit);
    draw_text(cx, cx->fs - 1, px0 + pw / 2, p.r.y + p.r.h + tick + pad, ALIGN_CENTER, COL_DIM, fit);

    *cv = (VizCompareView){p.r, p.x0, p.x1, p.y0, p.y1};
    hover(cx, &p, k, pt);
    free(pt);
    fig_free(&f);
}

const ViewOps view_compare = {view_compare_draw, sizeof(VizCompareView), NULL, NULL};
