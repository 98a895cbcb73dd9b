#include "draw.h"
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const SDL_Color COL_BG = {18, 20, 25, 255};
const SDL_Color COL_PANEL = {28, 31, 38, 255};
const SDL_Color COL_TEXT = {222, 226, 232, 255};
const SDL_Color COL_DIM = {138, 146, 158, 255};
const SDL_Color COL_ACCENT = {255, 196, 61, 255};
const SDL_Color COL_GRID = {58, 63, 74, 255};

SDL_Color palette_color(int i) {
    uint32_t c = fig_palette(i);
    return (SDL_Color){c >> 24, (c >> 16) & 255, (c >> 8) & 255, c & 255};
}

void fill_rect(VizCtx *cx, SDL_Rect r, SDL_Color c) {
    SDL_SetRenderDrawColor(cx->r, c.r, c.g, c.b, c.a);
    SDL_RenderFillRect(cx->r, &r);
}

void frame_rect(VizCtx *cx, SDL_Rect r, SDL_Color c, int width) {
    SDL_SetRenderDrawColor(cx->r, c.r, c.g, c.b, c.a);
    for (int i = 0; i < width; i++) {
        SDL_Rect q = {r.x - i, r.y - i, r.w + 2 * i, r.h + 2 * i};
        SDL_RenderDrawRect(cx->r, &q);
    }
}

int point_in(const SDL_Rect *r, int x, int y) {
    return x >= r->x && x < r->x + r->w && y >= r->y && y < r->y + r->h;
}

void draw_line(VizCtx *cx, float x0, float y0, float x1, float y1, float width, SDL_Color c) {
    float dx = x1 - x0, dy = y1 - y0, len = sqrtf(dx * dx + dy * dy);
    if (len < 1e-3f) return;
    /* Parallel one-pixel lines rather than a filled quad: the software
     * renderer fills a triangle by scanning its whole bounding box, which
     * for a long diagonal line is most of the window. */
    int n = (int)(width + 0.5f);
    if (n < 1) n = 1;
    float nx = -dy / len, ny = dx / len;
    SDL_SetRenderDrawColor(cx->r, c.r, c.g, c.b, c.a);
    for (int i = 0; i < n; i++) {
        float o = i - (n - 1) * 0.5f;
        SDL_RenderDrawLineF(cx->r, x0 + nx * o, y0 + ny * o, x1 + nx * o, y1 + ny * o);
    }
}

void draw_disc(VizCtx *cx, float x, float y, float radius, SDL_Color c) {
    enum { SEG = 20 };
    SDL_Vertex v[SEG + 1];
    int idx[SEG * 3];
    v[0] = (SDL_Vertex){{x, y}, c, {0, 0}};
    for (int i = 0; i < SEG; i++) {
        float a = (float)i / SEG * 6.2831853f;
        v[i + 1] = (SDL_Vertex){{x + radius * cosf(a), y + radius * sinf(a)}, c, {0, 0}};
        idx[3 * i] = 0;
        idx[3 * i + 1] = i + 1;
        idx[3 * i + 2] = (i + 1) % SEG + 1;
    }
    SDL_RenderGeometry(cx->r, NULL, v, SEG + 1, idx, SEG * 3);
}

static SDL_Rect place(int x, int y, int w, int h, int align) {
    SDL_Rect r = {x, y, w, h};
    if ((align & 3) == ALIGN_CENTER) r.x -= w / 2;
    else if ((align & 3) == ALIGN_RIGHT) r.x -= w;
    if ((align & 12) == VALIGN_MIDDLE) r.y -= h / 2;
    else if ((align & 12) == VALIGN_BOTTOM) r.y -= h;
    return r;
}

SDL_Rect draw_text(VizCtx *cx, int px, int x, int y, int align, SDL_Color c, const char *s) {
    if (cx->on_text) cx->on_text(cx->on_text_arg, s);
    int w, h;
    SDL_Texture *t = font_texture(cx->font, px, s, c, &w, &h);
    SDL_Rect r = place(x, y, w, h, align);
    if (t) SDL_RenderCopy(cx->r, t, NULL, &r);
    return r;
}

SDL_Rect draw_textf(VizCtx *cx, int px, int x, int y, int align, SDL_Color c, const char *fmt, ...) {
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    return draw_text(cx, px, x, y, align, c, buf);
}

SDL_Rect draw_text_up(VizCtx *cx, int px, int x, int y_bottom, int align, SDL_Color c, const char *s) {
    if (cx->on_text) cx->on_text(cx->on_text_arg, s);
    int w, h;
    SDL_Texture *t = font_texture(cx->font, px, s, c, &w, &h);
    /* After turning, the text is h wide and w tall; align acts on x. */
    SDL_Rect out = place(x, y_bottom - w, h, w, align & 3);
    if (t) {
        int cxm = out.x + h / 2, cym = out.y + w / 2;
        SDL_Rect dst = {cxm - w / 2, cym - h / 2, w, h};
        SDL_RenderCopyEx(cx->r, t, NULL, &dst, -90.0, NULL, SDL_FLIP_NONE);
    }
    return out;
}

int text_width(VizCtx *cx, int px, const char *s) {
    int w, h;
    font_size(cx->font, px, s, &w, &h);
    return w;
}

void text_fit(VizCtx *cx, int px, const char *s, int max_w, char *out, size_t n) {
    snprintf(out, n, "%s", s);
    if (text_width(cx, px, out) <= max_w) return;
    /* Drop whole UTF-8 characters from the end until it fits with "…". */
    size_t len = strlen(out);
    while (len > 0) {
        do len--; while (len > 0 && ((unsigned char)out[len] & 0xC0) == 0x80);
        if (len + 4 > n) continue;
        memcpy(out + len, "\xE2\x80\xA6", 4);
        if (text_width(cx, px, out) <= max_w) return;
    }
    out[0] = '\0';
}

int label_group(VizCtx *cx) { return cx->next_group++; }

void label_log(VizCtx *cx, SDL_Rect r, int group) {
    if (cx->nlabels < VIZ_MAX_LABELS) cx->labels[cx->nlabels++] = (VizLabel){r, group};
}

void tip(VizCtx *cx, const char *fmt, ...) {
    if (cx->ntip >= VIZ_MAX_TIP_LINES) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cx->tip[cx->ntip++], sizeof cx->tip[0], fmt, ap);
    va_end(ap);
}

int label_px(VizCtx *cx, float step) {
    int px = (int)(step * 0.78f);
    if (px > cx->fs) px = cx->fs;
    if (px < cx->fs_min) px = cx->fs_min;
    return px;
}

int labels_width(VizCtx *cx, const char *const *labels, int n, int px) {
    int m = 0;
    for (int i = 0; i < n; i++) {
        int w = text_width(cx, px, labels[i]);
        if (w > m) m = w;
    }
    return m;
}

int label_every(VizCtx *cx, int px, float step) {
    int w, h;
    font_size(cx->font, px, "Ag", &w, &h);
    int k = 1;
    while (k * step < h) k++;
    return k;
}

/* label_every, with the stride shifted so that the highlighted label is
 * among those drawn. */
static int label_stride(VizCtx *cx, int px, float step, int hi, int *first) {
    int k = label_every(cx, px, step);
    *first = hi >= 0 ? hi % k : 0;
    return k;
}

int axis_labels_rows(VizCtx *cx, const char *const *labels, int n, int start, float step,
                     int edge, int band, int hi) {
    int px = label_px(cx, step), first;
    int k = label_stride(cx, px, step, hi, &first);
    int g = label_group(cx);
    char buf[256];
    for (int i = first; i < n; i += k) {
        text_fit(cx, px, labels[i], band, buf, sizeof buf);
        int y = start + (int)((i + 0.5f) * step);
        SDL_Rect r = draw_text(cx, px, edge, y, ALIGN_RIGHT | VALIGN_MIDDLE,
                               i == hi ? COL_ACCENT : COL_TEXT, buf);
        label_log(cx, r, g);
    }
    return px;
}

int axis_labels_cols(VizCtx *cx, const char *const *labels, int n, int start, float step,
                     int edge, int band, int hi) {
    int px = label_px(cx, step), first;
    int k = label_stride(cx, px, step, hi, &first);
    int g = label_group(cx);
    char buf[256];
    for (int i = first; i < n; i += k) {
        text_fit(cx, px, labels[i], band, buf, sizeof buf);
        int x = start + (int)((i + 0.5f) * step);
        SDL_Rect r = draw_text_up(cx, px, x, edge, ALIGN_CENTER, i == hi ? COL_ACCENT : COL_TEXT, buf);
        label_log(cx, r, g);
    }
    return px;
}

void draw_matrix(VizCtx *cx, const float *m, int rows, int cols, long stride, SDL_Rect dst,
                 CmapId map, float lo, float hi) {
    if (rows <= 0 || cols <= 0 || dst.w <= 0 || dst.h <= 0) return;
    int pw = cols < dst.w ? cols : dst.w, ph = rows < dst.h ? rows : dst.h;
    uint32_t *px = malloc(sizeof *px * (size_t)pw * ph);
    if (!px) return;
    for (int y = 0; y < ph; y++) {
        int r0 = (int)((long)y * rows / ph), r1 = (int)((long)(y + 1) * rows / ph);
        for (int x = 0; x < pw; x++) {
            int c0 = (int)((long)x * cols / pw), c1 = (int)((long)(x + 1) * cols / pw);
            px[(long)y * pw + x] = cmap_rgba(map, cmap_pool(map, m, stride, r0, r1, c0, c1, lo, hi), lo, hi);
        }
    }
    SDL_Texture *t = SDL_CreateTexture(cx->r, SDL_PIXELFORMAT_RGBA8888, SDL_TEXTUREACCESS_STATIC, pw, ph);
    if (t) {
        SDL_SetTextureScaleMode(t, SDL_ScaleModeNearest);
        SDL_UpdateTexture(t, NULL, px, pw * 4);
        SDL_RenderCopy(cx->r, t, NULL, &dst);
        SDL_DestroyTexture(t);
    }
    free(px);
}

void draw_colorbar(VizCtx *cx, SDL_Rect r, CmapId map, float lo, float hi) {
    float ramp[256];
    for (int i = 0; i < 256; i++) ramp[i] = hi + (lo - hi) * i / 255.0f;
    draw_matrix(cx, ramp, 256, 1, 1, r, map, lo, hi);
    frame_rect(cx, r, COL_GRID, 1);
    int px = cx->fs_min + (cx->fs - cx->fs_min) / 3;
    int x = r.x + r.w + cx->pad / 2;
    int g = label_group(cx);
    label_log(cx, draw_textf(cx, px, x, r.y, ALIGN_LEFT | VALIGN_TOP, COL_DIM, "%.3g", hi), g);
    label_log(cx, draw_textf(cx, px, x, r.y + r.h, ALIGN_LEFT | VALIGN_BOTTOM, COL_DIM, "%.3g", lo), g);
    if (r.h > 6 * px) {
        label_log(cx, draw_textf(cx, px, x, r.y + r.h / 2, ALIGN_LEFT | VALIGN_MIDDLE, COL_DIM, "%.3g",
                                 0.5f * (lo + hi)), g);
    }
}

void draw_notice(VizCtx *cx, SDL_Rect area, const char *line1, const char *line2) {
    int cxm = area.x + area.w / 2, cym = area.y + area.h / 2;
    char buf[512];
    text_fit(cx, cx->fs + 2, line1, area.w - 2 * cx->pad, buf, sizeof buf);
    draw_text(cx, cx->fs + 2, cxm, cym, ALIGN_CENTER | VALIGN_BOTTOM, COL_TEXT, buf);
    if (line2) {
        text_fit(cx, cx->fs, line2, area.w - 2 * cx->pad, buf, sizeof buf);
        draw_text(cx, cx->fs, cxm, cym + cx->pad / 2, ALIGN_CENTER | VALIGN_TOP, COL_DIM, buf);
    }
}

void set_grid(VizCtx *cx, SDL_Rect r, int rows, int cols) {
    cx->grid = (VizGrid){1, r, rows, cols};
}

int cell_at(SDL_Rect r, int rows, int cols, int x, int y, int *row, int *col) {
    if (!point_in(&r, x, y) || rows <= 0 || cols <= 0) return 0;
    *row = (int)((long)(y - r.y) * rows / r.h);
    *col = (int)((long)(x - r.x) * cols / r.w);
    return 1;
}
