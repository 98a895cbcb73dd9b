/* View 3: bertviz's head view. Queries on the left, keys on the right, a
 * line from each query to each key whose opacity is the attention weight;
 * heads picked with the swatches are overlaid in their own colours, and
 * hovering a token keeps only its lines. */
#include <stdio.h>
#include <stdlib.h>
#include "draw.h"

static int head_shown(const VizCtx *cx, int h) {
    return cx->all_heads || h == cx->head || (h < VIZ_MAX_HEADS && cx->head_on[h]);
}

/* The row of head swatches; a click toggles one. Returns its height. */
static int swatches(VizCtx *cx, int nh, SDL_Rect area) {
    int px = cx->fs_min + (cx->fs - cx->fs_min) / 2, pad = cx->pad;
    int s = cx->fs * 3 / 2, gap = s / 3;
    SDL_Rect label = draw_text(cx, cx->fs, area.x + pad, area.y + pad / 2, ALIGN_LEFT | VALIGN_TOP, COL_DIM,
                               _("heads (click to add, A for all):"));
    int x = label.x + label.w + pad, y = area.y + pad / 2;
    int per_row = (area.x + area.w - pad - x) / (s + gap);
    if (per_row < 1) per_row = 1;
    for (int h = 0; h < nh; h++) {
        SDL_Rect r = {x + (h % per_row) * (s + gap), y + (h / per_row) * (s + gap), s, s};
        SDL_Color c = palette_color(h);
        if (head_shown(cx, h)) fill_rect(cx, r, c);
        else frame_rect(cx, r, c, 1);
        char buf[16];
        snprintf(buf, sizeof buf, "%d", h);
        if (text_width(cx, px, buf) < s)
            draw_text(cx, px, r.x + s / 2, r.y + s / 2, ALIGN_CENTER | VALIGN_MIDDLE,
                      head_shown(cx, h) ? COL_BG : c, buf);
        if (cx->mouse_in && point_in(&r, cx->mx, cx->my)) {
            tip(cx, _("head %d%s"), h, h == cx->head ? _(" (current)") : "");
            if (cx->click && h != cx->head && h < VIZ_MAX_HEADS) cx->head_on[h] = !cx->head_on[h];
        }
    }
    int rows = (nh + per_row - 1) / per_row;
    int h = rows * (s + gap) + pad;
    return h > label.h + pad ? h : label.h + pad;
}

/* The weight of query i on key j in one head's block of the figure. */
static float weight(const Figure *f, const FigSeries *s, int i, int j) {
    const FigBlock *b = &f->blocks[s->block];
    return *(const float *)((const unsigned char *)b->base + (size_t)i * b->row_bytes + (size_t)j * b->col_bytes);
}

static void view_headview_draw(VizCtx *cx, void *self, const VizState *st, SDL_Rect area) {
    Figure f;
    if (viz_view_figure_or_notice(cx, VIZ_HEAD_VIEW, self, st, area, &f)) return;
    const Trace *t = st->trace;
    int T = t->T, nh = t->nh, pad = cx->pad;
    const FigPlot *pl = &f.plots[0];
    const char *const *lab = pl->row_labels;
    int top = swatches(cx, nh, area) + pad;

    float step = (float)(area.h - top - 2 * pad) / T;
    if (step > cx->fs * 2.4f) step = cx->fs * 2.4f;
    int px = label_px(cx, step);
    int band = labels_width(cx, lab, T, px) + pad;
    if (band > area.w / 4) band = area.w / 4;
    int gapw = area.w - 2 * band - 4 * pad;
    if (gapw > cx->fs * 24) gapw = cx->fs * 24;
    int lx = area.x + (area.w - gapw) / 2, rx = lx + gapw;
    int y0 = area.y + top + (int)((area.h - top - pad - step * T) / 2);

    /* Which token the pointer is on: left column (query) or right (key). */
    int hq = -1, hk = -1;
    if (cx->mouse_in && cx->my >= y0 && cx->my < y0 + step * T) {
        int i = (int)((cx->my - y0) / step);
        if (cx->mx >= lx - band - pad && cx->mx < lx) hq = i;
        else if (cx->mx > rx && cx->mx <= rx + band + pad) hk = i;
    }
    float lw = cx->dpi * 2;
    const FigSeries *cur = NULL;   /* the current head's, for the tooltip */
    for (int k = 0; k < pl->nseries; k++) {
        const FigSeries *s = &f.series[pl->series0 + k];
        uint32_t rgba = s->rgba;
        SDL_Color c = {rgba >> 24, (rgba >> 16) & 255, (rgba >> 8) & 255, 255};
        if ((int)fig_value(&f, s->row0, 1) == cx->head) cur = s;   /* column 1: the head */
        for (int i = 0; i < T; i++) {
            if (hq >= 0 && i != hq) continue;
            for (int j = 0; j < T; j++) {
                if (hk >= 0 && j != hk) continue;
                float w = weight(&f, s, i, j);
                if (w < 0.01f) continue;   /* invisible anyway; saves thousands of quads */
                c.a = (Uint8)(w > 1 ? 255 : 255 * w);
                draw_line(cx, lx, y0 + (i + 0.5f) * step, rx, y0 + (j + 0.5f) * step, lw, c);
            }
        }
    }
    /* Token labels, with the hovered one and its partners marked. */
    int g1 = label_group(cx), g2 = label_group(cx), k = label_every(cx, px, step);
    char buf[256];
    for (int i = 0; i < T; i += k) {
        text_fit(cx, px, lab[i], band - pad, buf, sizeof buf);
        int y = y0 + (int)((i + 0.5f) * step);
        label_log(cx, draw_text(cx, px, lx - pad, y, ALIGN_RIGHT | VALIGN_MIDDLE,
                                i == hq ? COL_ACCENT : COL_TEXT, buf), g1);
        label_log(cx, draw_text(cx, px, rx + pad, y, ALIGN_LEFT | VALIGN_MIDDLE,
                                i == hk ? COL_ACCENT : COL_TEXT, buf), g2);
    }
    draw_text(cx, cx->fs_min, lx - pad, y0 - pad / 2, ALIGN_RIGHT | VALIGN_BOTTOM, COL_DIM, pl->row_axis);
    draw_text(cx, cx->fs_min, rx + pad, y0 - pad / 2, ALIGN_LEFT | VALIGN_BOTTOM, COL_DIM, pl->col_axis);
    if ((hq >= 0 || hk >= 0) && cur) {
        int tok = hq >= 0 ? hq : hk;
        tip(cx, hq >= 0 ? _("query %d \"%s\", head %d attends to:") : _("key %d \"%s\", head %d is read by:"),
            tok, lab[tok], cx->head);
        /* The three strongest partners of that token under the current head. */
        int best[3] = {-1, -1, -1};
        for (int j = 0; j < T; j++) {
            float w = hq >= 0 ? weight(&f, cur, hq, j) : weight(&f, cur, j, hk);
            for (int b = 0; b < 3; b++) {
                int o = best[b];
                float wo = o < 0 ? -1 : hq >= 0 ? weight(&f, cur, hq, o) : weight(&f, cur, o, hk);
                if (w > wo) {
                    for (int m = 2; m > b; m--) best[m] = best[m - 1];
                    best[b] = j;
                    break;
                }
            }
        }
        for (int b = 0; b < 3 && best[b] >= 0; b++) {
            int o = best[b];
            tip(cx, "  %-12s %.3f", lab[o], hq >= 0 ? weight(&f, cur, hq, o) : weight(&f, cur, o, hk));
        }
    }
    fig_free(&f);
}

const ViewOps view_headview = {view_headview_draw, 0, NULL, NULL};
