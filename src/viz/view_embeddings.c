/* View 6: the sentence's vectors (and a second sentence's) at one depth
 * of the model, projected to 3D by PCA and seen through an orbit camera.
 * The same word in both sentences is joined by a line: in the static
 * embedding the two are one point, deeper in the model context pulls
 * them apart. */
#include <cglm/cglm.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "draw.h"

static const SDL_Color SENT_COL[2] = {{242, 142, 44, 255}, {96, 165, 250, 255}};

static int is_special(const char *s) {
    return s[0] == '[' && s[strlen(s) - 1] == ']';
}

typedef struct {
    float x, y, depth;
    int i;
} Proj;

typedef struct {
    mat4 look, mvp;
    vec4 vp;
    SDL_Rect view;
    float dist;
} Camera;

/* An orbit camera on a sphere around the origin: yaw and pitch from the
 * mouse, distance from the wheel. */
static void camera_setup(Camera *c, const VizCtx *cx, SDL_Rect view) {
    mat4 proj;
    c->dist = 3.4f / cx->zoom;
    vec3 eye = {c->dist * cosf(cx->pitch) * sinf(cx->yaw), c->dist * sinf(cx->pitch),
                c->dist * cosf(cx->pitch) * cosf(cx->yaw)};
    vec3 centre = {0, 0, 0}, up = {0, 1, 0};
    glm_lookat(eye, centre, up, c->look);
    glm_perspective(glm_rad(40.0f), (float)view.w / view.h, 0.05f, 50.0f, proj);
    glm_mat4_mul(proj, c->look, c->mvp);
    c->vp[0] = 0;
    c->vp[1] = 0;
    c->vp[2] = (float)view.w;
    c->vp[3] = (float)view.h;
    c->view = view;
}

/* Screen position of p, and its distance in front of the camera. */
static void project(Camera *c, const float *p, float *sx, float *sy, float *depth) {
    vec3 in = {p[0], p[1], p[2]}, out;
    glm_project(in, c->mvp, c->vp, out);
    *sx = c->view.x + out[0];
    *sy = c->view.y + c->view.h - out[1];   /* GL's y grows upwards */
    vec4 w = {p[0], p[1], p[2], 1}, e;
    glm_mat4_mulv(c->look, w, e);
    *depth = -e[2];
}

static int by_depth_far_first(const void *a, const void *b) {
    float da = ((const Proj *)a)->depth, db = ((const Proj *)b)->depth;
    return (da < db) - (da > db);
}

static int overlaps_any(const SDL_Rect *r, const SDL_Rect *placed, int n) {
    for (int i = 0; i < n; i++)
        if (SDL_HasIntersection(r, &placed[i])) return 1;
    return 0;
}

static void view_embeddings_draw(VizCtx *cx, void *self, const VizState *st, SDL_Rect area) {
    Figure f;
    if (viz_view_figure_or_notice(cx, VIZ_EMBEDDINGS, self, st, area, &f)) return;
    const Trace *t = st->trace;
    const FigPca *p = f.source;   /* the points the figure's table holds */
    const Trace *t2 = p->t2;
    int n1 = t->T, n = p->n, pad = cx->pad;

    SDL_Rect hr = draw_textf(cx, cx->fs, area.x + pad, area.y + pad / 2, ALIGN_LEFT, COL_TEXT, "%s", f.title);
    draw_text(cx, cx->fs_min, hr.x + hr.w + pad, hr.y + hr.h / 2, ALIGN_LEFT | VALIGN_MIDDLE, COL_DIM,
              _("↑↓ depth · drag to orbit · wheel to zoom · C resets"));
    int top = hr.y + hr.h + pad / 2;
    /* Legend: one line per sentence in its colour. */
    for (int s = 0; s < (t2 ? 2 : 1); s++) {
        const char *const *tok = s ? st->tokens2 : st->tokens;
        const Trace *ts = s ? t2 : t;
        char line[400] = "";
        size_t len = 0;
        for (int i = 0; tok && i < ts->T && len + 2 < sizeof line; i++)
            len += (size_t)snprintf(line + len, sizeof line - len, "%s%s", i ? " " : "", tok[i]);
        if (len >= sizeof line) len = sizeof line - 1;
        char fit[400];
        int lpx = cx->fs - 2;
        text_fit(cx, lpx, line, area.w - 4 * pad, fit, sizeof fit);
        fill_rect(cx, (SDL_Rect){area.x + pad, top + lpx / 3, lpx * 2 / 3, lpx * 2 / 3}, SENT_COL[s]);
        SDL_Rect lr = draw_text(cx, lpx, area.x + pad + lpx, top, ALIGN_LEFT, COL_TEXT, fit);
        top += lr.h > 0 ? lr.h : lpx;
    }
    SDL_Rect view = {area.x + pad, top + pad / 2, area.w - 2 * pad, area.y + area.h - top - pad};
    if (view.w < 10 || view.h < 10) {
        fig_free(&f);
        return;
    }

    Camera cam;
    camera_setup(&cam, cx, view);
    SDL_Rect axis_labels[3];
    /* Axes through the origin, labelled with the variance they carry. */
    for (int a = 0; a < 3; a++) {
        float e0[3] = {0, 0, 0}, e1[3] = {0, 0, 0}, x0, y0, x1, y1, z;
        e0[a] = -1.1f;
        e1[a] = 1.1f;
        project(&cam, e0, &x0, &y0, &z);
        project(&cam, e1, &x1, &y1, &z);
        draw_line(cx, x0, y0, x1, y1, cx->dpi, COL_GRID);
        char buf[32];
        snprintf(buf, sizeof buf, "PC%d %.0f%%", a + 1, p->var[a] * 100);
        axis_labels[a] = draw_text(cx, cx->fs_min, (int)x1, (int)y1, ALIGN_CENTER | VALIGN_BOTTOM, COL_DIM, buf);
    }

    Proj *pr = malloc(sizeof *pr * (size_t)n);
    SDL_Rect *placed = malloc(sizeof *placed * (size_t)(n + 3));
    if (!pr || !placed) {
        free(pr);
        free(placed);
        fig_free(&f);
        return;
    }
    for (int i = 0; i < n; i++) {
        project(&cam, p->xyz + (size_t)i * 3, &pr[i].x, &pr[i].y, &pr[i].depth);
        pr[i].i = i;
    }
    /* Order within each sentence, faintly, then the same word across sentences. */
    for (int s = 0; s < (t2 ? 2 : 1); s++) {
        SDL_Color c = SENT_COL[s];
        c.a = 40;
        int b = s ? n1 : 0, e = s ? n : n1;
        for (int i = b + 1; i < e; i++) draw_line(cx, pr[i - 1].x, pr[i - 1].y, pr[i].x, pr[i].y, cx->dpi, c);
    }
    if (t2 && st->tokens && st->tokens2)
        for (int i = 0; i < n1; i++)
            for (int j = n1; j < n; j++)
                if (!is_special(st->tokens[i]) && strcmp(st->tokens[i], st->tokens2[j - n1]) == 0)
                    draw_line(cx, pr[i].x, pr[i].y, pr[j].x, pr[j].y, cx->dpi * 2,
                              (SDL_Color){COL_ACCENT.r, COL_ACCENT.g, COL_ACCENT.b, 200});

    Proj *order = malloc(sizeof *order * (size_t)n);
    if (!order) {
        free(pr);
        free(placed);
        fig_free(&f);
        return;
    }
    memcpy(order, pr, sizeof *order * (size_t)n);
    qsort(order, (size_t)n, sizeof *order, by_depth_far_first);
    int hover = -1;
    float best = (cx->fs * 0.8f) * (cx->fs * 0.8f);
    for (int k = 0; k < n; k++) {
        const Proj *q = &order[k];
        int s = q->i >= n1;
        const char *tok = s ? (st->tokens2 ? st->tokens2[q->i - n1] : "") : (st->tokens ? st->tokens[q->i] : "");
        SDL_Color c = SENT_COL[s];
        if (is_special(tok)) c.a = 110;
        /* Nearer points are drawn larger, as in perspective. */
        float rad = cx->dpi * 5.0f * cam.dist / (q->depth > 0.1f ? q->depth : 0.1f);
        if (rad < 2 * cx->dpi) rad = 2 * cx->dpi;
        if (rad > 10 * cx->dpi) rad = 10 * cx->dpi;
        draw_disc(cx, q->x, q->y, rad, c);
        float dx = cx->mx - q->x, dy = cx->my - q->y;
        if (cx->mouse_in && point_in(&view, cx->mx, cx->my) && dx * dx + dy * dy < best) {
            best = dx * dx + dy * dy;
            hover = q->i;
        }
    }
    /* Labels nearest first, each only where it does not cover another
     * (the axes' labels included). */
    memcpy(placed, axis_labels, sizeof axis_labels);
    int np = 3, g = label_group(cx), px = cx->fs_min + (cx->fs - cx->fs_min) / 3;
    for (int k = n - 1; k >= 0; k--) {
        const Proj *q = &order[k];
        int s = q->i >= n1;
        const char *tok = s ? (st->tokens2 ? st->tokens2[q->i - n1] : NULL) : (st->tokens ? st->tokens[q->i] : NULL);
        if (!tok) continue;
        int w, h;
        font_size(cx->font, px, tok, &w, &h);
        SDL_Rect r = {(int)q->x + (int)(5 * cx->dpi), (int)q->y - h / 2, w, h};
        if (q->i != hover && (overlaps_any(&r, placed, np) || !SDL_HasIntersection(&r, &view))) continue;
        SDL_Color c = q->i == hover ? COL_ACCENT : COL_TEXT;
        draw_text(cx, px, r.x, r.y, ALIGN_LEFT, c, tok);
        placed[np++] = r;
        if (q->i != hover) label_log(cx, r, g);
    }
    if (hover >= 0) {
        int s = hover >= n1, i = s ? hover - n1 : hover;
        const char *const *tok = s ? st->tokens2 : st->tokens;
        const float *c = p->xyz + (size_t)hover * 3;
        tip(cx, _("\"%s\": sentence %d, position %d"), tok ? tok[i] : "?", s + 1, i);
        tip(cx, "PC1 %.3f  PC2 %.3f  PC3 %.3f", c[0], c[1], c[2]);
    }
    free(order);
    free(pr);
    free(placed);
    fig_free(&f);
}

const ViewOps view_embeddings = {view_embeddings_draw, 0, NULL, NULL};
