/* View 1: one head's attention as a T×T heatmap, queries down the side,
 * keys along the top. Its numbers, colour range and labels are its
 * figure's (src/figure/fig_heatmap.c). */
#include <math.h>
#include <stdlib.h>
#include "draw.h"

static void cell_values(VizCtx *cx, const FigPlot *pl, const float *m, long stride, int T, SDL_Rect grid, int cell) {
    int px = label_px(cx, cell * 0.42f);
    if (text_width(cx, px, "0.00") > cell - 4 || px > cell / 2) return;
    float lo = pl->lo, hi = pl->hi;
    for (int i = 0; i < T; i++)
        for (int j = 0; j < T; j++) {
            float v = m[(long)i * stride + j];
            if (!(v > pl->masked_below)) continue;
            /* Dark ink on the bright end of the map, light on the dark end. */
            SDL_Color ink = (v - lo) / (hi - lo) > 0.62f ? (SDL_Color){20, 20, 30, 255} : COL_TEXT;
            char buf[16];
            snprintf(buf, sizeof buf, fabsf(v) < 10 ? "%.2f" : "%.0f", v);
            draw_text(cx, px, grid.x + j * cell + cell / 2, grid.y + i * cell + cell / 2,
                      ALIGN_CENTER | VALIGN_MIDDLE, ink, buf);
        }
}

static void view_heatmap_draw(VizCtx *cx, void *self, const VizState *st, SDL_Rect area) {
    Figure f;
    if (viz_view_figure_or_notice(cx, VIZ_HEATMAP, self, st, area, &f)) return;
    const FigPlot *pl = &f.plots[0];
    int T, cols, scores = cx->scores;
    long stride;
    float *tmp;
    const float *m = fig_plot_matrix(&f, pl, &T, &cols, &stride, &tmp);
    const char *const *lab = pl->row_labels;
    if (!m) {
        fig_free(&f);
        return;
    }
    float lo = pl->lo, hi = pl->hi;

    int pad = cx->pad, head_h = cx->fs * 2;
    draw_textf(cx, cx->fs, area.x + pad, area.y + pad / 2, ALIGN_LEFT | VALIGN_TOP, COL_DIM, "%s   %s", f.caption,
               scores ? _("(R: probabilities)") : _("(R: raw scores)"));

    /* The label bands take what the labels need, up to a share of the
     * area; the cells then get the rest, kept square and whole pixels. */
    int bar_w = cx->fs, bar_band = bar_w + text_width(cx, cx->fs_min, "-0.000") + 2 * pad;
    int max_band = area.w / 4, band = 0, cell = 0;
    for (int pass = 0; pass < 2; pass++) {
        int px = pass ? label_px(cx, cell) : cx->fs;
        band = labels_width(cx, lab, T, px) + pad;
        if (band > max_band) band = max_band;
        int aw = area.w - band - bar_band - 2 * pad, ah = area.h - head_h - band - pad;
        cell = (aw < ah ? aw : ah) / T;
        if (cell > cx->fs * 5) cell = cx->fs * 5;
        if (cell < 1) cell = 1;
    }
    int side = cell * T;
    int gx = area.x + pad + band + (area.w - 2 * pad - band - bar_band - side) / 2;
    int gy = area.y + head_h + band;
    SDL_Rect grid = {gx, gy, side, side};
    draw_matrix(cx, m, T, T, stride, grid, pl->cmap, lo, hi);
    set_grid(cx, grid, T, T);
    if (cell >= 3)
        for (int i = 0; i < T; i++)
            for (int j = 0; j < T; j++)
                if (!(m[(long)i * stride + j] > pl->masked_below))
                    fill_rect(cx, (SDL_Rect){gx + j * cell, gy + i * cell, cell, cell}, COL_PANEL);
    cell_values(cx, pl, m, stride, T, grid, cell);

    int qi = -1, kj = -1;
    if (cx->mouse_in && cell_at(grid, T, T, cx->mx, cx->my, &qi, &kj)) {
        frame_rect(cx, (SDL_Rect){gx + kj * cell, gy + qi * cell, cell, cell}, COL_ACCENT, 2);
        float v = m[(long)qi * stride + kj];
        tip(cx, _("query %d \"%s\"  →  key %d \"%s\""), qi, lab[qi], kj, lab[kj]);
        if (!(v > pl->masked_below)) tip(cx, _("masked (score -∞, weight 0)"));
        else tip(cx, scores ? _("score %.4f") : _("weight %.4f"), v);
    }
    axis_labels_rows(cx, lab, T, gy, (float)cell, gx - pad / 2, band - pad, qi);
    axis_labels_cols(cx, pl->col_labels, T, gx, (float)cell, gy - pad / 2, band - pad, kj);
    if (text_width(cx, cx->fs_min, _("query ↓ key →")) <= band)   /* the corner left by both label bands */
        draw_text(cx, cx->fs_min, gx - pad / 2, gy - pad / 2, ALIGN_RIGHT | VALIGN_BOTTOM, COL_DIM,
                  _("query ↓ key →"));
    SDL_Rect bar = {gx + side + pad, gy, bar_w, side};
    draw_colorbar(cx, bar, pl->cmap, lo, hi);
    free(tmp);
    fig_free(&f);
}

const ViewOps view_heatmap = {view_heatmap_draw, 0, NULL, NULL};
