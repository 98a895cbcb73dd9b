/* View 4: positional encodings. The sinusoid of Vaswani et al. as a
 * positions × dimensions heatmap, a few of its dimensions as curves, and
 * the position-to-position dot products that show nearby positions look
 * alike; a model with learned positions gets its own table beside it. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bertology/posenc.h"
#include "draw.h"

enum { NCURVES = 4 };

/* The view's tables, kept between frames: the dot products are P²·H
 * multiply-adds, too many to redo on every hover. */
typedef struct {
    const void *model;
    unsigned model_gen;     /* VizState.model_gen they were computed for */
    int P, H;
    float *sin;             /* P×H sinusoid */
    float *sin_dot;         /* P×P */
    float *learned_dot;     /* P×P, or NULL without learned positions */
} VizPosCache;

static float *gram(const float *x, int P, int H) {
    float *d = malloc(sizeof *d * (size_t)P * P);
    if (!d) return NULL;
    for (int i = 0; i < P; i++)
        for (int j = 0; j <= i; j++) {
            double s = 0;
            for (int k = 0; k < H; k++) s += (double)x[(long)i * H + k] * x[(long)j * H + k];
            d[(long)i * P + j] = d[(long)j * P + i] = (float)s;
        }
    return d;
}

static void cache_fill(VizPosCache *c, const BertModel *m, unsigned gen, const float *learned, int P, int H) {
    if (c->model == m && c->model_gen == gen && c->P == P && c->H == H && c->sin) return;
    free(c->sin);
    free(c->sin_dot);
    free(c->learned_dot);
    memset(c, 0, sizeof *c);
    c->sin = malloc(sizeof *c->sin * (size_t)P * H);
    if (!c->sin) return;
    posenc_sinusoidal(c->sin, P, H);
    c->sin_dot = gram(c->sin, P, H);
    c->learned_dot = learned ? gram(learned, P, H) : NULL;
    c->model = m;
    c->model_gen = gen;
    c->P = P;
    c->H = H;
}

static void minmax(const float *v, long n, float *lo, float *hi) {
    *lo = INFINITY;
    *hi = -INFINITY;
    for (long i = 0; i < n; i++) {
        if (v[i] < *lo) *lo = v[i];
        if (v[i] > *hi) *hi = v[i];
    }
    if (!(*hi > *lo)) *hi = *lo + 1;
}

/* A few dimensions as curves over the positions, fast ones to slow ones. */
static void curves(VizCtx *cx, const float *x, int P, int H, const int *dims, SDL_Rect r, float amp) {
    fill_rect(cx, r, COL_PANEL);
    int ymid = r.y + r.h / 2;
    SDL_SetRenderDrawColor(cx->r, COL_GRID.r, COL_GRID.g, COL_GRID.b, 255);
    SDL_RenderDrawLine(cx->r, r.x, ymid, r.x + r.w - 1, ymid);
    int px = cx->fs_min, lx = r.x + cx->pad / 2, g = label_group(cx);
    for (int c = 0; c < NCURVES; c++) {
        SDL_Color col = palette_color(c);
        float prev_x = 0, prev_y = 0;
        for (int p = 0; p < P; p++) {
            float fx = r.x + (p + 0.5f) * r.w / P;
            float fy = ymid - x[(long)p * H + dims[c]] / amp * (r.h / 2 - 2);
            if (p) draw_line(cx, prev_x, prev_y, fx, fy, cx->dpi * 1.5f, col);
            prev_x = fx;
            prev_y = fy;
        }
    }
    /* The legend on a backing of its own, over the curves' start. */
    int lw = cx->pad / 2;
    for (int c = 0; c < NCURVES; c++) {
        char buf[24];
        snprintf(buf, sizeof buf, _("dim %d"), dims[c]);
        lw += text_width(cx, px, buf) + cx->pad;
    }
    fill_rect(cx, (SDL_Rect){r.x + 1, r.y + 1, lw, px * 3 / 2}, (SDL_Color){COL_PANEL.r, COL_PANEL.g, COL_PANEL.b, 220});
    for (int c = 0; c < NCURVES; c++) {
        char buf[24];
        snprintf(buf, sizeof buf, _("dim %d"), dims[c]);
        SDL_Rect lr = draw_text(cx, px, lx, r.y + 2, ALIGN_LEFT, palette_color(c), buf);
        label_log(cx, lr, g);
        lx += lr.w + cx->pad;
    }
    frame_rect(cx, r, COL_GRID, 1);
}

/* One table: heatmap with curves under it on the left, dot products on
 * the right, with tooltips for what is under the pointer. */
static void section(VizCtx *cx, const char *title, const float *x, const float *dot, int P, int H,
                    int T, SDL_Rect r, int main_grid) {
    int pad = cx->pad, fs = cx->fs;
    draw_text(cx, fs, r.x + pad, r.y, ALIGN_LEFT, COL_TEXT, title);
    int top = r.y + fs * 3 / 2 + fs + pad;   /* title, then column ticks */
    int avail_h = r.y + r.h - top - pad;
    int tick_w = text_width(cx, cx->fs_min, "000") + pad;
    int dot_side = avail_h < r.w * 35 / 100 ? avail_h : r.w * 35 / 100;
    int bar_band = fs + text_width(cx, cx->fs_min, "-000.0") + 2 * pad;
    SDL_Rect heat = {r.x + pad + tick_w, top, r.w - dot_side - bar_band - tick_w - 4 * pad, avail_h * 62 / 100};
    SDL_Rect curve = {heat.x, heat.y + heat.h + pad, heat.w, avail_h - heat.h - pad};

    float amp = robust_absmax(x, (long)P * H, 1.0f);
    draw_matrix(cx, x, P, H, H, heat, CMAP_RDBU, -amp, amp);
    if (main_grid) set_grid(cx, heat, P, H);
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

    int dims[NCURVES] = {0, 1, (H / 16) & ~1, (H / 4) & ~1};
    for (int c = 0; c < NCURVES; c++)
        if (dims[c] >= H) dims[c] = H - 1;
    curves(cx, x, P, H, dims, curve, amp);

    SDL_Rect dr = {heat.x + heat.w + 2 * pad, top, dot_side, dot_side};
    float lo, hi;
    minmax(dot, (long)P * P, &lo, &hi);
    draw_matrix(cx, dot, P, P, P, dr, CMAP_VIRIDIS, lo, hi);
    draw_text(cx, cx->fs_min, dr.x, dr.y - 2, ALIGN_LEFT | VALIGN_BOTTOM, COL_DIM, _("position · position"));
    draw_colorbar(cx, (SDL_Rect){dr.x + dr.w + pad / 2, dr.y, fs * 2 / 3, dr.h}, CMAP_VIRIDIS, lo, hi);

    int a, b;
    if (!cx->mouse_in) return;
    if (cell_at(heat, P, H, cx->mx, cx->my, &a, &b)) {
        tip(cx, _("position %d, dimension %d"), a, b);
        tip(cx, _("value %.4f"), x[(long)a * H + b]);
    } else if (cell_at(dr, P, P, cx->mx, cx->my, &a, &b)) {
        tip(cx, _("position %d · position %d = %.3f"), a, b, dot[(long)a * P + b]);
    } else if (point_in(&curve, cx->mx, cx->my)) {
        int p = (int)((long)(cx->mx - curve.x) * P / curve.w);
        tip(cx, _("position %d"), p);
        for (int c = 0; c < NCURVES - 1; c++) tip(cx, _("dim %d: %.3f"), dims[c], x[(long)p * H + dims[c]]);
    }
}

static void view_positions_draw(VizCtx *cx, void *self, const VizState *st, SDL_Rect area) {
    VizPosCache *pos = self;
    const BertModel *m = st->model;
    const Trace *t = st->trace;
    int H = m ? m->cfg.hidden_size : t ? t->H : 0;
    if (H <= 0) {
        draw_notice(cx, area, _("No model loaded"), _("Load a model to see its positions."));
        return;
    }
    int maxpos = m ? m->cfg.max_position : 512, T = t ? t->T : 0;
    /* Enough positions to see the slow dimensions turn, and all of the sentence. */
    int P = T > 128 ? T : 128;
    if (P > maxpos) P = maxpos;
    const float *learned = m && m->cfg.pos_type == POS_ABSOLUTE ? m->pos_emb : NULL;
    cache_fill(pos, m, st->model_gen, learned, P, H);
    if (!pos->sin || !pos->sin_dot || (learned && !pos->learned_dot)) return;

    int pad = cx->pad;
    char title[160];
    snprintf(title, sizeof title, _("sinusoid PE[p,2i] = sin(p/10000^(2i/H)), PE[p,2i+1] = cos(…)%s   "
               "positions ↓ × dimensions →"), learned ? "" : _(" (this model's own positions)"));
    SDL_Rect r = {area.x + pad, area.y + pad / 2, area.w - 2 * pad, area.h - pad};
    if (!learned) {
        section(cx, title, pos->sin, pos->sin_dot, P, H, T, r, 1);
        return;
    }
    /* Learned and fixed one above the other, the model's own first. */
    SDL_Rect r1 = {r.x, r.y, r.w, r.h / 2 - pad / 2}, r2 = {r.x, r.y + r.h / 2 + pad / 2, r.w, r.h / 2 - pad / 2};
    section(cx, _("learned position embeddings of this model   positions ↓ × dimensions →"), learned,
            pos->learned_dot, P, H, T, r1, 1);
    section(cx, title, pos->sin, pos->sin_dot, P, H, T, r2, 0);
}

static void view_positions_free(void *self) {
    VizPosCache *pos = self;
    free(pos->sin);
    free(pos->sin_dot);
    free(pos->learned_dot);
}

const ViewOps view_positions = {view_positions_draw, sizeof(VizPosCache), view_positions_free};
