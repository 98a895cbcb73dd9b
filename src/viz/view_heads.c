/* View 2: every head of every layer as a small heatmap (layers down,
 * heads across), on one shared scale so heads can be compared. A click
 * opens that head in the heatmap view. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include "draw.h"

/* Mean over queries of the entropy of each attention row, in bits:
 * 0 when every query looks at one key, log2(T) when spread evenly. */
static float mean_entropy(const float *a, long stride, int T) {
    double s = 0;
    for (int i = 0; i < T; i++)
        for (int j = 0; j < T; j++) {
            float p = a[(long)i * stride + j];
            if (p > 0) s -= p * log2(p);
        }
    return (float)(s / T);
}

static void view_heads_draw(VizCtx *cx, void *self, const VizState *st, SDL_Rect area) {
    Figure f;
    if (viz_view_figure_or_notice(cx, VIZ_ALL_HEADS, self, st, area, &f)) return;
    const Trace *t = st->trace;
    int L = t->L, nh = t->nh, T = t->T, pad = cx->pad;
    float hi = f.plots[0].hi;   /* the one scale of every tile */
    /* Each tile's matrix, plot l·nh + h of the figure. */
    const float **tiles = calloc((size_t)L * nh, sizeof *tiles);
    long stride = T;
    if (!tiles) {
        fig_free(&f);
        return;
    }
    for (int c = 0; c < L * nh && c < f.nplots; c++) {
        int rows, cols;
        float *tmp;
        tiles[c] = fig_plot_matrix(&f, &f.plots[c], &rows, &cols, &stride, &tmp);
        if (tmp) {   /* float blocks of the trace: never a copy */
            tiles[c] = NULL;
            free(tmp);
        }
    }

    int head_h = cx->fs * 2;
    draw_textf(cx, cx->fs, area.x + pad, area.y + pad / 2, ALIGN_LEFT | VALIGN_TOP, COL_DIM, "%s · %s", f.caption,
               _("click one to open it"));
    int px = cx->fs_min + (cx->fs - cx->fs_min) / 2;
    char probe[32];
    snprintf(probe, sizeof probe, _("layer %d"), L - 1);
    int band_w = text_width(cx, px, probe) + pad, band_h = px * 3 / 2 + pad / 2;
    int bar_band = cx->fs + text_width(cx, cx->fs_min, "0.000") + 2 * pad;
    int aw = area.w - 2 * pad - band_w - bar_band, ah = area.h - head_h - band_h - pad;
    /* Tiles and gaps scale together; the gap keeps neighbours apart. */
    int tile_w = aw * 10 / (nh * 11), tile_h = ah * 10 / (L * 11);
    int tile = tile_w < tile_h ? tile_w : tile_h;
    if (tile < 2) tile = 2;
    int gap = tile / 10 > 2 ? tile / 10 : 2;
    int gw = nh * tile + (nh - 1) * gap, gh = L * tile + (L - 1) * gap;
    int gx = area.x + pad + band_w + (aw - gw) / 2, gy = area.y + head_h + band_h;

    int hl = -1, hh = -1;
    for (int l = 0; l < L; l++)
        for (int h = 0; h < nh; h++) {
            SDL_Rect r = {gx + h * (tile + gap), gy + l * (tile + gap), tile, tile};
            if (tiles[l * nh + h]) draw_matrix(cx, tiles[l * nh + h], T, T, stride, r, f.plots[l * nh + h].cmap, 0, hi);
            if (cx->mouse_in && point_in(&r, cx->mx, cx->my)) {
                hl = l;
                hh = h;
            }
        }
    /* Each cell of the hit grid is a tile and the gap after it. */
    set_grid(cx, (SDL_Rect){gx, gy, nh * (tile + gap), L * (tile + gap)}, L, nh);
    SDL_Rect cur = {gx + cx->head * (tile + gap), gy + cx->layer * (tile + gap), tile, tile};
    frame_rect(cx, cur, COL_ACCENT, 2);
    if (hl >= 0) {
        SDL_Rect r = {gx + hh * (tile + gap), gy + hl * (tile + gap), tile, tile};
        frame_rect(cx, r, COL_TEXT, 1);
        tip(cx, "%s", f.plots[hl * nh + hh].title);
        if (tiles[hl * nh + hh])
            tip(cx, _("mean row entropy %.2f bits (uniform: %.2f)"), mean_entropy(tiles[hl * nh + hh], stride, T),
                log2f((float)T));
        tip(cx, _("click to open"));
        if (cx->click) {
            cx->layer = hl;
            cx->head = hh;
            cx->open_view = VIZ_HEATMAP;
        }
    }

    /* Row and column labels; thinned when tiles are smaller than text. */
    int g = label_group(cx), k = 1;
    while (k * (tile + gap) < px * 6 / 5) k++;
    for (int l = 0; l < L; l += k) {
        char buf[24];
        snprintf(buf, sizeof buf, _("layer %d"), l);
        label_log(cx, draw_text(cx, px, gx - pad / 2, gy + l * (tile + gap) + tile / 2,
                                ALIGN_RIGHT | VALIGN_MIDDLE, l == hl ? COL_ACCENT : COL_TEXT, buf), g);
    }
    g = label_group(cx);
    k = 1;
    while (k * (tile + gap) < text_width(cx, px, "h00") + pad / 2) k++;
    for (int h = 0; h < nh; h += k) {
        char buf[24];
        snprintf(buf, sizeof buf, k == 1 && tile > text_width(cx, px, "head 00") ? _("head %d") : "h%d", h);
        label_log(cx, draw_text(cx, px, gx + h * (tile + gap) + tile / 2, gy - pad / 2,
                                ALIGN_CENTER | VALIGN_BOTTOM, h == hh ? COL_ACCENT : COL_TEXT, buf), g);
    }
    SDL_Rect bar = {gx + gw + pad, gy, cx->fs, gh < area.h / 2 ? gh : area.h / 2};
    draw_colorbar(cx, bar, f.plots[0].cmap, 0, hi);
    free(tiles);
    fig_free(&f);
}

const ViewOps view_heads = {view_heads_draw, 0, NULL, NULL};
