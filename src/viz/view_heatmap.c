/* View 1: one head's attention as a T×T heatmap, queries down the side,
 * keys along the top. */
#include <math.h>
#include <stdlib.h>
#include "draw.h"
#include "trace_pick.h"

/* Scores at or below this are the mask's stand-in for -inf. */
#define MASKED (-1e4f)

static void value_range(const float *m, long n, int scores, float *lo, float *hi) {
    *lo = scores ? INFINITY : 0;
    *hi = -INFINITY;
    for (long i = 0; i < n; i++) {
        if (!(m[i] > MASKED)) continue;
        if (m[i] < *lo) *lo = m[i];
        if (m[i] > *hi) *hi = m[i];
    }
    if (!(*hi > *lo)) *hi = *lo + 1;
}

static void cell_values(VizCtx *cx, const float *m, int T, SDL_Rect grid, int cell, float lo, float hi) {
    int px = label_px(cx, cell * 0.42f);
    if (text_width(cx, px, "0.00") > cell - 4 || px > cell / 2) return;
    for (int i = 0; i < T; i++)
        for (int j = 0; j < T; j++) {
            float v = m[(long)i * T + j];
            if (!(v > MASKED)) continue;
            /* Dark ink on the bright end of the map, light on the dark end. */
            SDL_Color ink = (v - lo) / (hi - lo) > 0.62f ? (SDL_Color){20, 20, 30, 255} : COL_TEXT;
            char buf[16];
            snprintf(buf, sizeof buf, fabsf(v) < 10 ? "%.2f" : "%.0f", v);
            draw_text(cx, px, grid.x + j * cell + cell / 2, grid.y + i * cell + cell / 2,
                      ALIGN_CENTER | VALIGN_MIDDLE, ink, buf);
        }
}

static void view_heatmap_draw(VizCtx *cx, void *self, const VizState *st, SDL_Rect area) {
    (void)self;
    const Trace *t = st->trace;
    if (!t || t->L == 0) {
        draw_notice(cx, area, _("No attention to show yet"), _("Type a sentence in the REPL."));
        return;
    }
    int T = t->T, scores = cx->scores;
    const float *m = pick_attn(t, cx->layer, cx->head, scores);
    char *owned;
    const char *const *lab = pick_labels(st->tokens, T, &owned);
    if (!lab) return;
    float lo, hi;
    value_range(m, (long)T * T, scores, &lo, &hi);

    int pad = cx->pad, head_h = cx->fs * 2;
    draw_textf(cx, cx->fs, area.x + pad, area.y + pad / 2, ALIGN_LEFT | VALIGN_TOP, COL_DIM,
               scores ? _("raw scores S = QKᵀ/√d%s   (R: probabilities)")
                      : _("probabilities A = softmax(S), each row sums to 1%s   (R: raw scores)"),
               t->causal ? _(", causal mask") : "");

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
    draw_matrix(cx, m, T, T, T, grid, CMAP_VIRIDIS, lo, hi);
    set_grid(cx, grid, T, T);
    if (cell >= 3)
        for (int i = 0; i < T; i++)
            for (int j = 0; j < T; j++)
                if (!(m[(long)i * T + j] > MASKED))
                    fill_rect(cx, (SDL_Rect){gx + j * cell, gy + i * cell, cell, cell}, COL_PANEL);
    cell_values(cx, m, T, grid, cell, lo, hi);

    int qi = -1, kj = -1;
    if (cx->mouse_in && cell_at(grid, T, T, cx->mx, cx->my, &qi, &kj)) {
        frame_rect(cx, (SDL_Rect){gx + kj * cell, gy + qi * cell, cell, cell}, COL_ACCENT, 2);
        float v = m[(long)qi * T + kj];
        tip(cx, _("query %d \"%s\"  →  key %d \"%s\""), qi, lab[qi], kj, lab[kj]);
        if (!(v > MASKED)) tip(cx, _("masked (score -∞, weight 0)"));
        else tip(cx, scores ? _("score %.4f") : _("weight %.4f"), v);
    }
    axis_labels_rows(cx, lab, T, gy, (float)cell, gx - pad / 2, band - pad, qi);
    axis_labels_cols(cx, lab, T, gx, (float)cell, gy - pad / 2, band - pad, kj);
    if (text_width(cx, cx->fs_min, _("query ↓ key →")) <= band)   /* the corner left by both label bands */
        draw_text(cx, cx->fs_min, gx - pad / 2, gy - pad / 2, ALIGN_RIGHT | VALIGN_BOTTOM, COL_DIM,
                  _("query ↓ key →"));
    SDL_Rect bar = {gx + side + pad, gy, bar_w, side};
    draw_colorbar(cx, bar, CMAP_VIRIDIS, lo, hi);
    free(owned);
}

const ViewOps view_heatmap = {view_heatmap_draw, 0, NULL};
