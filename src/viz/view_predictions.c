/* View 7: what the MLM head guesses for each [MASK]: the top-K tokens as
 * horizontal bars on a 0–100% scale, so a confident guess looks it. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "draw.h"

static void block(VizCtx *cx, const Figure *f, const FigPlot *pl, SDL_Rect r) {
    int pad = cx->pad;
    char fit[400];
    SDL_Rect hr = draw_text(cx, cx->fs, r.x, r.y, ALIGN_LEFT, COL_ACCENT, pl->title);
    text_fit(cx, cx->fs - 1, pl->subtitle, r.w, fit, sizeof fit);
    SDL_Rect cr = draw_text(cx, cx->fs - 1, r.x, hr.y + hr.h, ALIGN_LEFT, COL_DIM, fit);
    int y0 = cr.y + cr.h + pad / 2;
    if (pl->note) {
        draw_text(cx, cx->fs, r.x, y0, ALIGN_LEFT, COL_TEXT, pl->note);
        return;
    }
    const FigBlock *b = &f->blocks[pl->block];
    int n = b->rows;
    float step = (float)(r.y + r.h - y0) / (n > 0 ? n : 1);
    if (step > cx->fs * 2.2f) step = cx->fs * 2.2f;
    int px = label_px(cx, step * 0.9f), band = 0;
    for (int i = 0; i < n; i++) {
        int w = text_width(cx, px, pl->row_labels[i]);
        if (w > band) band = w;
    }
    if (band > r.w / 3) band = r.w / 3;
    int pct_w = text_width(cx, px, "100.0%") + pad;
    int bx = r.x + band + pad, bw = r.w - band - pct_w - 2 * pad;
    int gl = label_group(cx), gp = label_group(cx);
    for (int i = 0; i < n; i++) {
        double p = fig_plot_value(f, pl, i, 0);
        int y = y0 + (int)(i * step), bh = (int)(step * 0.72f);
        if (bh < 2) bh = 2;
        SDL_Rect bar = {bx, y + ((int)step - bh) / 2, (int)(bw * p / pl->hi + 0.5f), bh};
        if (bar.w < 1) bar.w = 1;
        fill_rect(cx, (SDL_Rect){bx, bar.y, bw, bh}, COL_PANEL);
        fill_rect(cx, bar, i == pl->accent_row ? COL_ACCENT : palette_color(0));
        text_fit(cx, px, pl->row_labels[i], band, fit, sizeof fit);
        int yc = bar.y + bh / 2;
        if (step >= px) {   /* else the bars alone; the tooltip names them */
            label_log(cx, draw_text(cx, px, bx - pad / 2, yc, ALIGN_RIGHT | VALIGN_MIDDLE, COL_TEXT, fit), gl);
            label_log(cx, draw_textf(cx, px, bx + bar.w + pad / 2, yc, ALIGN_LEFT | VALIGN_MIDDLE, COL_DIM,
                                     "%.1f%%", p * 100), gp);
        }
        SDL_Rect hit = {r.x, y, r.w, (int)step};
        if (cx->mouse_in && point_in(&hit, cx->mx, cx->my)) {
            /* the table's id and logit columns of this guess */
            tip(cx, _("\"%s\" (id %d)"), pl->row_labels[i], (int)fig_value(f, b->row0 + i, 3));
            tip(cx, _("probability %.4f, logit %.3f"), p, fig_value(f, b->row0 + i, 5));
        }
    }
}

/* The sentence with each [MASK] replaced by its best guess, so the model's
 * reading can be taken in at a glance. Returns the rectangle it used. */
static SDL_Rect sentence_line(VizCtx *cx, const VizState *st, const Figure *f, SDL_Rect area) {
    const Trace *t = st->trace;
    const char *const *lab = st->tokens;
    int px = cx->fs + 2, x = area.x + 2 * cx->pad, y = area.y + cx->pad, right = area.x + area.w - 2 * cx->pad;
    int space = text_width(cx, px, "a b") - text_width(cx, px, "ab"), m = 0, lh = 0;
    SDL_Rect used = {x, y, 0, 0};
    for (int i = 0; i < t->T; i++) {
        char word[96];
        int guess = m < f->nplots && f->plots[m].at == i;
        if (guess) {
            const FigPlot *pl = &f->plots[m];
            if (!pl->note && pl->row_labels) snprintf(word, sizeof word, "%s", pl->row_labels[0]);
            else if (lab) snprintf(word, sizeof word, "%s", lab[i]);
            else snprintf(word, sizeof word, "#%d", i);
            m++;
        } else if (lab) {
            snprintf(word, sizeof word, "%s", lab[i]);
        } else {
            snprintf(word, sizeof word, "#%d", i);
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
    Figure f;
    if (viz_view_figure_or_notice(cx, VIZ_PREDICTIONS, self, st, area, &f)) return;
    int nm = f.nplots, k = 0;
    for (int i = 0; i < nm; i++)
        if (!f.plots[i].note && f.blocks[f.plots[i].block].rows > k) k = f.blocks[f.plots[i].block].rows;
    if (k < 1) k = 1;
    int pad = cx->pad;
    SDL_Rect sr = sentence_line(cx, st, &f, area);
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
        block(cx, &f, &f.plots[i], r);
    }
    if (shown < nm)
        draw_textf(cx, cx->fs_min, area.x + area.w - pad, area.y + area.h - pad / 2, ALIGN_RIGHT | VALIGN_BOTTOM,
                   COL_DIM, _("%d more [MASK] not shown: make the window larger"), nm - shown);
    fig_free(&f);
}

const ViewOps view_predictions = {view_predictions_draw, 0, NULL, NULL};
