/* Screenshot tests of the window (SDL_VIDEODRIVER=dummy, software renderer).
 *   test_views VIEW W H   renders one view at W×H for the synthetic trace and,
 *                         when a model can be had, for the real one; saves
 *                         PNGs and checks them.
 *   test_views events     keys, mouse, idle, resize, screenshots by key.
 *   test_views errors     missing font, bad font, no display, bad path.
 *   test_views screenshots DIR   the README's pictures (not a test).
 * BT_VIEW_PNG_DIR=dir keeps a copy of every picture there; BERTOLOGY_MODEL
 * and BT_VIEW_TEXT pick the model and first sentence of the real half. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "../unit/testutil.h"
#include "fixture.h"
#include "image.h"
#include "viewcheck.h"
#include "viz/view_census.h"
#include "viz/view_rollout.h"
#include "viz/viz_internal.h"
#include "bertology/runlog.h"
#include "bertology/i18n.h"

static const unsigned char VIRIDIS_TOP[3] = {253, 231, 37};
static const unsigned char ACCENT[3] = {255, 196, 61};

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void argmax_attn(const Trace *t, int l, int h, int *q, int *k) {
    const float *a = t->layers[l].attn + (size_t)h * t->T * t->T;
    int best = 0;
    for (int i = 1; i < t->T * t->T; i++)
        if (a[i] > a[best]) best = i;
    *q = best / t->T;
    *k = best % t->T;
}

static void cell_centre(const VizGrid *g, int row, int col, int *x, int *y) {
    *x = g->rect.x + (int)((col + 0.5) * g->rect.w / g->cols);
    *y = g->rect.y + (int)((row + 0.5) * g->rect.h / g->rows);
}

static void check_heatmap(Viz *v, const Fixture *f, const Image *im, const char *what) {
    const VizGrid *g = &v->cx.grid;
    const Trace *t = f->st.trace;
    CHECKF(g->used && g->rows == t->T && g->cols == t->T, "%s: grid %d×%d", what, g->rows, g->cols);
    if (!g->used || !im->rgb) return;
    /* The brightest cell on the picture is where the trace's largest weight is. */
    int bq = -1, bk = -1;
    float bl = -1;
    for (int i = 0; i < g->rows; i++)
        for (int j = 0; j < g->cols; j++) {
            int x, y;
            cell_centre(g, i, j, &x, &y);
            /* Off the centre: small cells may carry their value as text. */
            int cw = g->rect.w / g->cols;
            float l = image_luma(im, x - cw / 2 + 1, y - cw / 2 + 1);
            if (l > bl) {
                bl = l;
                bq = i;
                bk = j;
            }
        }
    int q, k;
    argmax_attn(t, v->cx.layer, v->cx.head, &q, &k);
    CHECKF(bq == q && bk == k, "%s: brightest cell (%d,%d), largest weight at (%d,%d)", what, bq, bk, q, k);
    if (f->hot_q >= 0) CHECKF(q == f->hot_q && k == f->hot_k, "%s: planted weight not the largest", what);
    int x, y, cw = g->rect.w / g->cols;
    cell_centre(g, q, k, &x, &y);
    CHECKF(image_near(im, (SDL_Rect){x - cw / 2 + 1, y - cw / 2 + 1, 1, 1}, VIRIDIS_TOP, 3) == 1,
           "%s: the largest weight is not viridis' top colour", what);
    /* Query labels left of the grid, key labels above it. */
    SDL_Rect left = {0, g->rect.y, g->rect.x, g->rect.h};
    SDL_Rect above = {g->rect.x, 0, g->rect.w, g->rect.y};
    CHECKF(image_text(im, left) > 100, "%s: no query labels", what);
    CHECKF(image_text(im, above) > 200, "%s: no key labels", what);
}

static void check_heads(Viz *v, const Fixture *f, const Image *im, const char *what) {
    CHECKF(image_near(im, (SDL_Rect){0, 0, im->w, im->h}, ACCENT, 10) > 20, "%s: current head not framed", what);
    const VizGrid *g = &v->cx.grid;
    CHECKF(g->used && g->rows == f->st.trace->L && g->cols == f->st.trace->nh, "%s: no tile grid", what);
}

static void check_headview(Viz *v, const Fixture *f, const Image *im, const char *what) {
    /* Both token columns labelled, every token when they fit. */
    int col[2] = {0, 0};
    for (int i = 0; i < v->cx.nlabels; i++)
        if (v->cx.labels[i].group < 2) col[v->cx.labels[i].group]++;
    CHECKF(col[0] == f->st.trace->T && col[1] == f->st.trace->T, "%s: %d/%d token labels of %d", what, col[0],
           col[1], f->st.trace->T);
    /* Lines in head 2's colour (red) between the columns, faint or not. */
    if (v->cx.head == 2) {
        long red = 0;
        for (int y = 0; y < im->h; y++)
            for (int x = im->w / 3; x < im->w * 2 / 3; x++) {
                const unsigned char *p = image_at(im, x, y);
                red += p[0] > p[1] + 20 && p[0] > p[2] + 20;
            }
        CHECKF(red > 200, "%s: %ld pixels of head 2's lines", what, red);
    }
    CHECKF(image_ink(im, (SDL_Rect){im->w / 3, v->cx.fs * 5, im->w / 3, im->h - v->cx.fs * 8}, VIEW_BG, 30) > 2000,
           "%s: nothing between the columns", what);
}

static void check_positions(Viz *v, const Image *im, const char *what) {
    const VizGrid *g = &v->cx.grid;
    CHECKF(g->used, "%s: no heatmap grid", what);
    if (!g->used) return;
    /* Position 0 of the sinusoid: sin 0 = 0 and cos 0 = 1 alternate, so
     * pooled or not, row 0 is the red end of the map. */
    int y = g->rect.y, red = 0;
    for (int x = g->rect.x; x < g->rect.x + g->rect.w; x++) {
        const unsigned char *p = image_at(im, x, y);
        red += p[0] > 90 && p[1] < 70 && p[2] < 70;
    }
    if (v->st->model->cfg.pos_type == POS_SINUSOIDAL)
        CHECKF(red > g->rect.w / 3, "%s: row 0 of the sinusoid is not red (%d of %d)", what, red, g->rect.w);
    CHECKF(image_text(im, (SDL_Rect){0, g->rect.y - v->cx.fs * 3, im->w, v->cx.fs * 3}) > 50, "%s: no title", what);
}

static void check_embeddings(Viz *v, const Fixture *f, const Image *im, const char *what) {
    const unsigned char s1[3] = {242, 142, 44}, s2[3] = {96, 165, 250};
    SDL_Rect all = {0, 0, im->w, im->h};
    CHECKF(image_near(im, all, s1, 8) > 100, "%s: no points of sentence 1", what);
    CHECKF(image_near(im, all, s2, 8) > 100, "%s: no points of sentence 2", what);
    const FigPca *pca = &v->cache.pca;   /* the embedding figure's PCA */
    CHECKF(pca->n == f->tr.T + f->tr2.T, "%s: PCA of %d points", what, pca->n);
    CHECKF(pca->var[0] >= pca->var[1] && pca->var[1] >= pca->var[2] && pca->var[0] > 0,
           "%s: variances not in order", what);
    int labels = 0;
    for (int i = 0; i < v->cx.nlabels; i++) labels += v->cx.labels[i].group == 0;
    CHECKF(labels >= f->tr.T / 2, "%s: only %d point labels", what, labels);
}

static void check_predictions(Viz *v, const Fixture *f, const Image *im, const char *what) {
    /* The top-1 bar lies between its word (the first label of group 0) and
     * its percentage (the first of group 1); its length is the
     * probability, so a model unsure of its guess draws a short one: the
     * check is that the whole stretch is accent-coloured, whatever p. */
    const SDL_Rect *word = NULL, *pct = NULL;
    for (int i = 0; i < v->cx.nlabels; i++) {
        if (!word && v->cx.labels[i].group == 0) word = &v->cx.labels[i].rect;
        if (!pct && v->cx.labels[i].group == 1) pct = &v->cx.labels[i].rect;
    }
    CHECKF(word && pct, "%s: no labels of the top-1 bar", what);
    if (word && pct) {
        int x0 = word->x + word->w + v->cx.pad, x1 = pct->x - v->cx.pad, len = x1 - x0;
        SDL_Rect stretch = {x0, word->y, len > 0 ? len : 0, word->h};
        CHECKF(len <= 0 || image_near(im, stretch, ACCENT, 6) >= len * 4, "%s: no top-1 bar (%d px long)", what, len);
        CHECKF(image_near(im, (SDL_Rect){x0 - v->cx.pad, word->y, len + 2 * v->cx.pad, word->h}, ACCENT, 6) >= 4,
               "%s: no top-1 bar", what);
    }
    int bars = 0;
    for (int i = 0; i < v->cx.nlabels; i++) bars += v->cx.labels[i].group == 0;
    CHECKF(bars == f->st.top_k, "%s: %d bar labels, want %d", what, bars, f->st.top_k);
}

/* Rollout view: the query is the first [MASK]; every bar, read back along
 * its row, is as long as its value says, in its panel's colour; the
 * REPL's `rollout POS` is followed (view and row) and a click on a token
 * asks about it; a move in the REPL goes back to the stage's view. */
static void check_rollout(Viz *v, Fixture *f, const Image *im, const char *what) {
    static const unsigned char BAR[3][3] = {{78, 121, 167}, {118, 183, 178}, {255, 196, 61}};
    VizRolloutView *rv = viz_view_state(v, VIZ_ROLLOUT);
    /* what the rollout figure computed, kept in the window's cache */
#define RO ((const Rollout *)v->cache.rollout.r)
    const Trace *t = f->st.trace;
    int mask = rollout_default_query(t, f->model.tok);
    CHECKF(RO && RO->T == t->T && RO->query == mask && strcmp(f->st.tokens[mask], "[MASK]") == 0,
           "%s: query %d of %d, want the [MASK] %d", what, RO ? RO->query : -1, RO ? RO->T : -1, mask);
    const VizGrid *g = &v->cx.grid;
    CHECKF(g->used && g->rows == t->T && g->cols == 3, "%s: grid %d×%d", what, g->rows, g->cols);
    if (!im->rgb || !RO) return;
    const double *col[3] = {RO->raw, RO->rollout, RO->flow};
    int off = 0, rows = 0;
    for (int c = 0; c < 3; c++)
        for (int j = 0; j < t->T; j++) {
            int y = rv->y0 + (int)(j * rv->step) + (int)rv->step / 2, len = 0;
            while (len < rv->bar_w && image_near(im, (SDL_Rect){rv->panel[c].x + len, y, 1, 1}, BAR[c], 4)) len++;
            int want = (int)(rv->bar_w * col[c][j] / rv->hi + 0.5);
            rows++;
            if (abs(len - want) > 1) {
                off++;
                fprintf(stderr, "%s: panel %d row %d: bar of %d px, want %d\n", what, c, j, len, want);
            }
        }
    CHECKF(off == 0 && rows == 3 * t->T, "%s: %d of %d bars off their values", what, off, rows);

    VizState st = f->st;
    st.instrument = VIZ_ROLLOUT;
    st.instrument_gen = 7 + f->real;   /* a new `rollout` each time */
    st.rollout_query = 2;
    viz_select_view(v, VIZ_FOLLOW);
    viz_set_state(v, &st);
    viz_frame_draw(v);
    CHECKF(v->shown == VIZ_ROLLOUT && RO->query == 2, "%s: after `rollout 2`: view %d, query %d", what, v->shown,
           RO->query);
    v->cx.mx = rv->panel[1].x + 3;
    v->cx.my = rv->y0 + (int)(4.5f * rv->step);
    v->cx.mouse_in = v->cx.click = 1;
    viz_frame_draw(v);
    CHECKF(RO->query == 4, "%s: a click on row 4 asked about %d", what, RO->query);
    CHECKF(v->cx.ntip >= 2 && strstr(v->cx.tip[0], "token 4"), "%s: tip %s", what, v->cx.ntip ? v->cx.tip[0] : "");
    v->cx.mouse_in = 0;
    st.pos.stage = STAGE_POS;
    viz_set_state(v, &st);
    viz_frame_draw(v);
    CHECKF(v->shown == VIZ_POSITIONS, "%s: a move in the REPL shows view %d", what, v->shown);
    viz_set_state(v, &f->st);
    viz_select_view(v, VIZ_ROLLOUT);
#undef RO
}

/* Which role's colour a tile's pixel is: the role colour c that the pixel
 * lies on the line from the panel to (least squares), -1 if none. */
static int tile_role(const unsigned char *px) {
    static const double P[3] = {28, 31, 38};   /* COL_PANEL */
    int best = -1;
    double best_res = 1e9;
    for (int role = 0; role <= CENSUS_MIXED; role++) {
        SDL_Color c = census_role_colour(role);
        double d[3] = {c.r - P[0], c.g - P[1], c.b - P[2]}, e[3] = {px[0] - P[0], px[1] - P[1], px[2] - P[2]};
        double dd = d[0] * d[0] + d[1] * d[1] + d[2] * d[2], a = (e[0] * d[0] + e[1] * d[1] + e[2] * d[2]) / dd, res = 0;
        if (a < 0.2 || a > 1.05) continue;
        for (int k = 0; k < 3; k++) res += (e[k] - a * d[k]) * (e[k] - a * d[k]);
        if (res < best_res) {
            best_res = res;
            best = role;
        }
    }
    return best_res < 30 ? best : -1;
}

/* Census view: the census of the sentence, each head's tile in its role's
 * colour; the REPL's census of a file is shown instead while there is one. */
static void check_census(Viz *v, Fixture *f, const Image *im, const char *what) {
    const VizCensusView *cv = viz_view_state(v, VIZ_CENSUS);
    const Trace *t = f->st.trace;
    Census want;
    BtError err;
    CHECK(census_of_trace(&want, t, f->model.tok, &err) == 0);
    CHECKF(cv->shown && cv->shown->L == t->L && cv->shown->nh == t->nh, "%s: no census drawn", what);
    const VizGrid *g = &v->cx.grid;
    CHECKF(g->used && g->rows == t->L && g->cols == t->nh, "%s: grid %d×%d", what, g->rows, g->cols);
    int roles = 0, right = 0;
    for (int l = 0; l < t->L && im->rgb && cv->shown; l++)
        for (int h = 0; h < t->nh; h++) {
            int i = l * t->nh + h;
            CHECK(cv->shown->role[i] == want.role[i]);
            if (want.role[i] == CENSUS_MIXED) continue;
            roles++;
            int x = cv->grid.x + h * cv->grid.w / t->nh + 2, y = cv->grid.y + l * cv->grid.h / t->L + 2;
            int got = tile_role(image_at(im, x, y));
            right += got == want.role[i];
            if (got != want.role[i])
                fprintf(stderr, "%s: L%d H%d drawn as role %d, is %d\n", what, l, h, got, want.role[i]);
        }
    if (!f->real) CHECKF(roles >= 3, "%s: the synthetic heads have only %d roles", what, roles);
    CHECKF(right == roles, "%s: %d of %d tiles in another role's colour", what, roles - right, roles);

    Census file;
    CHECK(census_of_trace(&file, &f->tr2, f->model.tok, &err) == 0);
    VizState st = f->st;
    st.census = &file;
    st.census_source = "sentences.txt";
    viz_set_state(v, &st);
    viz_frame_draw(v);
    CHECKF(cv->shown == &file, "%s: the REPL's census of a file is not the one shown", what);
    viz_set_state(v, &f->st);
    viz_frame_draw(v);
    CHECKF(cv->shown && cv->shown != &file, "%s: the file's census outlived it", what);
    census_free(&file);
    census_free(&want);
}

static void fill_nan(float *p, size_t n) {
    for (size_t i = 0; p && i < n; i++) p[i] = NAN;
}

/* Huge finite weights overflow float on the way through the model: NaN
 * points and NaN probabilities were cast to int to draw them (undefined
 * behaviour, issue 17). The view says so instead and draws no point or
 * bar. */
static void check_not_finite(Viz *v, Fixture *f, int view, int w, int h, const char *name) {
    Trace *t = &f->tr;
    size_t rows = (size_t)t->B * t->T * t->H;
    if (view == VIZ_EMBEDDINGS) {
        fill_nan(t->tok_emb, rows);
        fill_nan(t->emb, rows);
        for (int l = 0; l < t->L; l++) fill_nan(t->layers[l].out, rows);
    } else {
        fill_nan(t->mlm_logits, (size_t)t->n_mlm * t->V);
    }
    VizState st = f->st;
    st.trace2 = NULL;
    viz_set_state(v, &st);
    char what[128];
    snprintf(what, sizeof what, "%s-nan-%dx%d", name, w, h);
    Image im;
    view_shoot(v, what, &im);
    int drawn = 0;
    for (int i = 0; i < v->cx.nlabels; i++) drawn += v->cx.labels[i].group == 0;
    CHECKF(drawn == 0, "%s: %d labels of NaN points or bars", what, drawn);
    /* the embeddings view says why in its middle (NaN points were drawn
     * nowhere, and unlabelled: only the notice tells them apart) */
    if (view == VIZ_EMBEDDINGS && im.rgb)
        CHECKF(image_text(&im, (SDL_Rect){0, h / 3, w, h / 3}) > 300, "%s: no notice", what);
    image_free(&im);
}

static int view_test(const char *name, int w, int h) {
    int view = viz_view_by_name(name);
    if (view < 0) {
        fprintf(stderr, "unknown view %s\n", name);
        return 2;
    }
    static const Stage stage_of[VIZ_VIEW_COUNT] = {STAGE_ATTN, STAGE_ATTN, STAGE_ATTN, STAGE_POS,
                                                   STAGE_LN1, STAGE_LN2, STAGE_MLM};
    Viz *v = view_open(w, h);
    for (int real = 0; real < 2; real++) {
        Fixture f;
        BtError err = {""};
        int rc = real ? fixture_real(&f, test_tmpdir(), &err) : fixture_synthetic(&f, &err);
        if (rc == 1) {
            printf("%s: no model for the real run (skipped that half)\n", name);
            fixture_free(&f);
            continue;
        }
        CHECKF(rc == 0, "%s fixture: %s", real ? "real" : "synthetic", err.msg);
        if (rc) {
            fixture_free(&f);
            continue;
        }
        if (real) {
            f.st.pos.layer = f.tr.L > 1 ? 1 : 0;
            f.st.pos.head = f.tr.nh > 2 ? 2 : 0;
        }
        f.st.pos.stage = stage_of[view];
        viz_set_state(v, &f.st);
        viz_select_view(v, (VizView)view);
        char what[128];
        snprintf(what, sizeof what, "%s-%s-%dx%d", name, real ? "model" : "synthetic", w, h);
        Image im;
        view_shoot(v, what, &im);
        view_common_checks(v, &im, w, h, what);
        switch (view) {
        case VIZ_HEATMAP: check_heatmap(v, &f, &im, what); break;
        case VIZ_ALL_HEADS: check_heads(v, &f, &im, what); break;
        case VIZ_HEAD_VIEW: check_headview(v, &f, &im, what); break;
        case VIZ_POSITIONS: check_positions(v, &im, what); break;
        case VIZ_EMBEDDINGS: check_embeddings(v, &f, &im, what); break;
        case VIZ_PREDICTIONS: check_predictions(v, &f, &im, what); break;
        case VIZ_ROLLOUT: check_rollout(v, &f, &im, what); break;
        case VIZ_CENSUS: check_census(v, &f, &im, what); break;
        default: break;
        }
        image_free(&im);
        if (view == VIZ_HEATMAP) {
            /* Raw scores as well: same checks, the scores' largest cell. */
            v->cx.scores = 1;
            snprintf(what, sizeof what, "%s-scores-%s-%dx%d", name, real ? "model" : "synthetic", w, h);
            view_shoot(v, what, &im);
            view_common_checks(v, &im, w, h, what);
            CHECK(v->cx.grid.used);
            image_free(&im);
            v->cx.scores = 0;
        }
        if (view == VIZ_VECTORS) {
            /* The other groups of strips: embeddings, Q/K/V, feed-forward. */
            static const Stage more[] = {STAGE_EMB_LN, STAGE_QKV, STAGE_FFN};
            for (int i = 0; i < 3; i++) {
                f.st.pos.stage = more[i];
                viz_set_state(v, &f.st);
                snprintf(what, sizeof what, "%s-%s-%s-%dx%d", name, stage_info(more[i])->name,
                         real ? "model" : "synthetic", w, h);
                view_shoot(v, what, &im);
                view_common_checks(v, &im, w, h, what);
                image_free(&im);
            }
        }
        if (view == VIZ_HEAD_VIEW) {
            /* Every head of the layer overlaid. */
            v->cx.all_heads = 1;
            snprintf(what, sizeof what, "%s-all-%s-%dx%d", name, real ? "model" : "synthetic", w, h);
            view_shoot(v, what, &im);
            view_common_checks(v, &im, w, h, what);
            image_free(&im);
            v->cx.all_heads = 0;
        }
        if (view == VIZ_PREDICTIONS) {
            /* A sentence without [MASK] says so in the middle of the view. */
            VizState nomask = f.st;
            nomask.trace = &f.tr2;
            nomask.tokens = f.tok2;
            viz_set_state(v, &nomask);
            snprintf(what, sizeof what, "%s-nomask-%s-%dx%d", name, real ? "model" : "synthetic", w, h);
            view_shoot(v, what, &im);
            CHECKF(image_text(&im, (SDL_Rect){0, h / 3, w, h / 3}) > 300, "%s: no notice", what);
            image_free(&im);
            viz_set_state(v, &f.st);
        }
        /* Frame time with the pointer over the middle (tooltips on). */
        v->cx.mx = w / 2;
        v->cx.my = h / 2;
        v->cx.mouse_in = 1;
        double t0 = now_ms();
        for (int i = 0; i < 10; i++) {
            viz_frame_draw(v);
            SDL_RenderPresent(v->ren);   /* the software renderer draws here */
        }
        printf("%s: %.2f ms per frame\n", what, (now_ms() - t0) / 10);
        v->cx.mouse_in = 0;
        if (view == VIZ_EMBEDDINGS || view == VIZ_PREDICTIONS) check_not_finite(v, &f, view, w, h, name);
        viz_set_state(v, NULL);
        fixture_free(&f);
    }
    viz_close(v);
    return test_done(name);
}

static void push_mouse(Uint32 type, int x, int y) {
    SDL_Event e;
    memset(&e, 0, sizeof e);
    e.type = type;
    if (type == SDL_MOUSEMOTION) {
        e.motion.x = x;
        e.motion.y = y;
    } else {
        e.button.button = SDL_BUTTON_LEFT;
        e.button.state = type == SDL_MOUSEBUTTONDOWN ? SDL_PRESSED : SDL_RELEASED;
        e.button.x = x;
        e.button.y = y;
    }
    SDL_PushEvent(&e);
}

static int events_test(void) {
    Fixture f;
    BtError err = {""};
    CHECKF(fixture_synthetic(&f, &err) == 0, "fixture: %s", err.msg);
    Viz *v = view_open(1024, 700);
    viz_set_state(v, &f.st);
    view_settle(v);
    CHECK(v->shown == VIZ_HEATMAP);   /* the attn stage shows the heatmap */

    /* Idle: no events, no frames. */
    unsigned frames = v->frames;
    for (int i = 0; i < 5; i++) viz_pump(v, 10);
    CHECKF(v->frames == frames, "drew %u frames while idle", v->frames - frames);

    /* The REPL moves: the view follows the stage. */
    f.st.pos.stage = STAGE_POS;
    viz_set_state(v, &f.st);
    view_settle(v);
    CHECK(v->shown == VIZ_POSITIONS);
    f.st.pos.stage = STAGE_MLM;
    viz_set_state(v, &f.st);
    view_settle(v);
    CHECK(v->shown == VIZ_PREDICTIONS);

    /* Keys pick views; Tab cycles; 0 follows again. */
    view_push_key(SDLK_3);
    view_settle(v);
    CHECK(v->pinned == VIZ_HEAD_VIEW && v->shown == VIZ_HEAD_VIEW);
    view_push_key(SDLK_TAB);
    view_settle(v);
    CHECK(v->shown == VIZ_POSITIONS);
    f.st.pos.stage = STAGE_ATTN;
    viz_set_state(v, &f.st);
    view_settle(v);
    CHECKF(v->shown == VIZ_POSITIONS, "a pinned view stays when the stage moves");
    view_push_key(SDLK_0);
    view_settle(v);
    CHECK(v->pinned == VIZ_FOLLOW && v->shown == VIZ_HEATMAP);

    /* Arrows move head and layer locally; a REPL move resets them. */
    int h0 = v->cx.head, l0 = v->cx.layer;
    view_push_key(SDLK_RIGHT);
    view_push_key(SDLK_DOWN);
    view_settle(v);
    CHECK(v->cx.head == h0 + 1 && v->cx.layer == l0 + 1);
    f.st.pos.head = 0;
    viz_set_state(v, &f.st);
    view_settle(v);
    CHECK(v->cx.head == 0 && v->cx.layer == f.st.pos.layer);

    /* Hover over a heatmap cell names it. */
    int x, y;
    cell_centre(&v->cx.grid, 3, 7, &x, &y);
    push_mouse(SDL_MOUSEMOTION, x, y);
    view_settle(v);
    CHECKF(v->cx.ntip >= 2 && strstr(v->cx.tip[0], "query 3") && strstr(v->cx.tip[0], "key 7"),
           "hover tip: %s", v->cx.ntip ? v->cx.tip[0] : "(none)");

    /* R: raw scores. */
    view_push_key(SDLK_r);
    view_settle(v);
    CHECK(v->cx.scores == 1);
    view_push_key(SDLK_r);
    view_settle(v);

    /* A click on a tile of all heads opens that head. */
    view_push_key(SDLK_2);
    view_settle(v);
    CHECK(v->shown == VIZ_ALL_HEADS && v->cx.grid.used);
    cell_centre(&v->cx.grid, 2, 1, &x, &y);
    push_mouse(SDL_MOUSEMOTION, x, y);
    push_mouse(SDL_MOUSEBUTTONDOWN, x, y);
    push_mouse(SDL_MOUSEBUTTONUP, x, y);
    view_settle(v);
    CHECKF(v->shown == VIZ_HEATMAP && v->cx.layer == 2 && v->cx.head == 1, "click opened %d, layer %d head %d",
           v->shown, v->cx.layer, v->cx.head);

    /* Dragging in the embedding view turns the camera. */
    view_push_key(SDLK_6);
    view_settle(v);
    float yaw = v->cx.yaw;
    push_mouse(SDL_MOUSEBUTTONDOWN, 500, 400);
    SDL_Event e;
    memset(&e, 0, sizeof e);
    e.type = SDL_MOUSEMOTION;
    e.motion.x = 560;
    e.motion.y = 400;
    e.motion.xrel = 60;
    e.motion.state = SDL_BUTTON_LMASK;
    SDL_PushEvent(&e);
    push_mouse(SDL_MOUSEBUTTONUP, 560, 400);
    view_settle(v);
    CHECKF(fabsf(v->cx.yaw - yaw - 0.6f) < 1e-4f, "yaw %.3f -> %.3f", yaw, v->cx.yaw);

    /* ? shows the keys, Esc hides them. */
    memset(&e, 0, sizeof e);
    e.type = SDL_TEXTINPUT;
    strcpy(e.text.text, "?");
    SDL_PushEvent(&e);
    view_settle(v);
    CHECK(v->help == 1);
    Image im;
    view_shoot(v, "help-1024x700", &im);
    if (im.rgb) CHECK(image_text(&im, (SDL_Rect){im.w / 6, im.h / 3, im.w * 2 / 3, im.h / 3}) > 500);
    image_free(&im);
    view_push_key(SDLK_ESCAPE);
    view_settle(v);
    CHECK(v->help == 0);

    /* S saves into the current directory. */
    char cwd[4096];
    CHECK(getcwd(cwd, sizeof cwd) != NULL);
    CHECK(chdir(test_tmpdir()) == 0);
    view_push_key(SDLK_s);
    view_settle(v);
    CHECKF(strncmp(v->toast, "saved bertology-", 16) == 0, "toast: %s", v->toast);
    char saved[600];
    snprintf(saved, sizeof saved, "%s", v->toast + 6);
    CHECKF(access(saved, R_OK) == 0, "no %s", saved);
    if (image_load(&im, saved) == 0) {
        CHECK(im.w == 1024 && im.h == 700);
        image_free(&im);
    }
    CHECK(chdir(cwd) == 0);

    /* Resizing: the next picture has the new size and is laid out anew. */
    SDL_SetWindowSize(v->win, 800, 600);
    view_settle(v);
    view_shoot(v, "resized-800x600", &im);
    view_common_checks(v, &im, 800, 600, "resized");
    image_free(&im);

    /* Closing the window is reported. */
    memset(&e, 0, sizeof e);
    e.type = SDL_QUIT;
    SDL_PushEvent(&e);
    CHECK(viz_pump(v, 0) == 1);

    viz_close(v);
    fixture_free(&f);
    return test_done("events");
}

static int errors_test(void) {
    Viz *v = NULL;
    BtError err = {""};
    VizOptions o = {640, 480, "/nonexistent/font.ttf", 1};
    CHECK(viz_open(&v, &o, &err) != 0 && v == NULL);
    CHECKF(strstr(err.msg, "/nonexistent/font.ttf") != NULL, "missing font: %s", err.msg);

    char bad[600];
    snprintf(bad, sizeof bad, "%s/not-a-font.ttf", test_tmpdir());
    FILE *fp = fopen(bad, "w");
    if (fp) {
        fputs("this is not a font\n", fp);
        fclose(fp);
    }
    o.font_path = bad;
    err.msg[0] = '\0';
    CHECK(viz_open(&v, &o, &err) != 0 && v == NULL);
    CHECKF(strstr(err.msg, "not a usable font") != NULL, "bad font: %s", err.msg);

    /* Not a regular file: refused at once (SDL_LoadFile read /dev/zero
     * until memory ran out and waited forever on a FIFO). */
    char fifo[600];
    snprintf(fifo, sizeof fifo, "%s/font-fifo.ttf", test_tmpdir());
    const char *special[] = {"/dev/zero", mkfifo(fifo, 0600) == 0 ? fifo : NULL};
    for (int i = 0; i < 2; i++) {
        if (!special[i]) continue;
        o.font_path = special[i];
        err.msg[0] = '\0';
        CHECK(viz_open(&v, &o, &err) != 0 && v == NULL);
        CHECKF(strstr(err.msg, special[i]) && strstr(err.msg, "not a regular file"), "special font: %s", err.msg);
    }

    /* A screenshot that cannot be written says where. */
    o.font_path = NULL;
    CHECK(viz_open(&v, &o, &err) == 0);
    if (v) {
        CHECK(viz_screenshot(v, "/nonexistent/dir/x.png", &err) != 0);
        CHECKF(strstr(err.msg, "/nonexistent/dir/x.png") != NULL, "bad path: %s", err.msg);
        /* Without a state the window greets instead of failing. */
        Image im;
        view_shoot(v, "empty-640x480", &im);
        CHECK(im.w == 640 && im.h == 480);
        image_free(&im);
        viz_close(v);
    }

    /* No display: an X11 window with no X server. */
    setenv("SDL_VIDEODRIVER", "x11", 1);
    unsetenv("DISPLAY");
    unsetenv("WAYLAND_DISPLAY");
    err.msg[0] = '\0';
    int rc = viz_open(&v, &o, &err);
    CHECKF(rc != 0 && strstr(err.msg, "display") != NULL, "no display: rc %d, %s", rc, err.msg);
    if (rc == 0) viz_close(v);
    return test_done("errors");
}

/* One picture per view for the README, from the real model: `test_views
 * screenshots DIR` writes DIR/<view>.png at 1280×800. Not a test. The
 * comparison view needs a `compare` run: its picture comes from the REPL
 * (see the README's "The window"). */
static int screenshots(const char *dir) {
    Fixture f;
    BtError err = {""};
    int rc = fixture_real(&f, test_tmpdir(), &err);
    if (rc) {
        fprintf(stderr, "no model: %s\n", rc == 1 ? "none found" : err.msg);
        fixture_free(&f);
        return 1;
    }
    static const Stage stage_of[VIZ_VIEW_COUNT] = {STAGE_ATTN, STAGE_ATTN, STAGE_ATTN, STAGE_POS,
                                                   STAGE_LN1, STAGE_LN2, STAGE_MLM};
    /* The training view draws the logs beside the weights, as the REPL
     * hands them over (runlog_read); without them it shows its notice. */
    RunLog run;
    runlog_read(&run, f.model.dir);
    f.st.run = &run;
    Viz *v = view_open(1280, 800);
    for (int view = 0; view < VIZ_VIEW_COUNT; view++) {
        if (view == VIZ_COMPARE) continue;
        f.st.pos = (StagePos){stage_of[view], f.tr.L > 1 ? 1 : 0, f.tr.nh > 2 ? 2 : 0};
        viz_set_state(v, &f.st);
        /* Following the stage where one leads to this view, as a learner sees it. */
        viz_select_view(v, viz_view_for_stage(stage_of[view]) == view ? VIZ_FOLLOW : (VizView)view);
        if (view == VIZ_HEAD_VIEW && f.tr.nh > 1) v->cx.head_on[0] = 1;   /* two heads overlaid */
        if (view == VIZ_EMBEDDINGS) v->cx.level = f.tr.L + 1;
        if (view == VIZ_HEATMAP) {
            /* Show the hover tooltip on the strongest cell. */
            int q, k, x, y;
            viz_frame_draw(v);
            argmax_attn(&f.tr, v->cx.layer, v->cx.head, &q, &k);
            cell_centre(&v->cx.grid, q, k, &x, &y);
            v->cx.mx = x;
            v->cx.my = y;
            v->cx.mouse_in = 1;
        }
        char path[4096];
        snprintf(path, sizeof path, "%s/%s.png", dir, viz_view_name((VizView)view));
        if (viz_screenshot(v, path, &err)) {
            fprintf(stderr, "%s\n", err.msg);
            rc = 1;
        } else {
            printf("wrote %s\n", path);
        }
        v->cx.mouse_in = 0;
    }
    viz_close(v);
    runlog_free(&run);
    fixture_free(&f);
    return rc;
}

/* Rows of r (full width) that differ between two pictures of one size. */
static int rows_differ(const Image *a, const Image *b, int y0, int y1) {
    int n = 0;
    for (int y = y0; y < y1; y++)
        n += memcmp(a->rgb + (size_t)y * a->w * 3, b->rgb + (size_t)y * b->w * 3, (size_t)a->w * 3) != 0;
    return n;
}

/* The window speaks the REPL's language (bt_i18n_use, as --lang does): the
 * same view of the same pass drawn in en, pt and ru differs in the title
 * bar (the view's title, layer and head, the stage's formula) and in the
 * footer (the keys), between every two languages. A window left in English
 * fails; BT_VIEW_PNG_DIR keeps the pictures to look at. */
static int language_test(void) {
    static const char *const LANGS[3] = {"en", "pt", "ru"};
    static const struct { VizView view; Stage stage; } SHOWN[] = {
        {VIZ_HEATMAP, STAGE_ATTN}, {VIZ_POSITIONS, STAGE_POS}, {VIZ_VECTORS, STAGE_QKV}, {VIZ_PREDICTIONS, STAGE_MLM}};
    Fixture f;
    BtError err = {""};
    int rc = fixture_synthetic(&f, &err);
    CHECKF(rc == 0, "synthetic fixture: %s", err.msg);
    if (rc) { fixture_free(&f); return test_done("language"); }
    Viz *v = view_open(1280, 800);
    for (size_t i = 0; i < sizeof SHOWN / sizeof SHOWN[0]; i++) {
        Image im[3];
        f.st.pos.stage = SHOWN[i].stage;
        viz_set_state(v, &f.st);
        viz_select_view(v, SHOWN[i].view);
        for (int l = 0; l < 3; l++) {
            bt_i18n_use(LANGS[l]);
            char what[96];
            snprintf(what, sizeof what, "language-%s-%s", viz_view_name(SHOWN[i].view), LANGS[l]);
            view_shoot(v, what, &im[l]);
            view_common_checks(v, &im[l], 1280, 800, what);
        }
        int bar = v->cx.fs * 2 + v->cx.pad / 2, h = im[0].h;
        for (int a = 0; a < 3; a++)
            for (int b = a + 1; b < 3; b++) {
                int top = rows_differ(&im[a], &im[b], 0, bar), foot = rows_differ(&im[a], &im[b], h - bar, h);
                printf("%s: %s and %s differ in %d of %d title rows, %d of %d footer rows\n",
                       viz_view_name(SHOWN[i].view), LANGS[a], LANGS[b], top, bar, foot, bar);
                CHECKF(top >= bar / 4, "%s: the title bar is the same in %s and %s", viz_view_name(SHOWN[i].view),
                       LANGS[a], LANGS[b]);
                CHECKF(foot >= bar / 4, "%s: the footer is the same in %s and %s", viz_view_name(SHOWN[i].view),
                       LANGS[a], LANGS[b]);
            }
        for (int l = 0; l < 3; l++) image_free(&im[l]);
    }
    bt_i18n_use("en");
    /* Every string of these views and of the instrument views drawn from
     * the sentence itself (rollout, census), their tooltips and the keys'
     * help with every view's label, read in pt and ru (viewcheck.c). */
    /* the model's words: the sentence's tokens and its guesses */
    const char *words[256];
    int nw = 0;
    for (int id = 0; id < f.model.cfg.vocab_size && nw < 255; id++)
        if (tok_token(f.model.tok, id)) words[nw++] = tok_token(f.model.tok, id);
    words[nw] = NULL;
    static const struct { VizView view; Stage stage; } READ[] = {
        {VIZ_HEATMAP, STAGE_ATTN}, {VIZ_POSITIONS, STAGE_POS}, {VIZ_VECTORS, STAGE_QKV}, {VIZ_PREDICTIONS, STAGE_MLM},
        {VIZ_ROLLOUT, STAGE_ATTN}, {VIZ_CENSUS, STAGE_ATTN}};
    for (size_t i = 0; i < sizeof READ / sizeof READ[0]; i++) {
        char what[96];
        f.st.pos.stage = READ[i].stage;
        viz_set_state(v, &f.st);
        viz_select_view(v, READ[i].view);
        snprintf(what, sizeof what, "words-%s", viz_view_name(READ[i].view));
        view_check_language(v, what, words);
    }
    viz_close(v);
    fixture_free(&f);
    return test_done("language");
}

int main(int argc, char **argv) {
    if (argc >= 3 && strcmp(argv[1], "screenshots") == 0) return screenshots(argv[2]);
    if (argc >= 2 && strcmp(argv[1], "language") == 0) return language_test();
    if (argc >= 2 && strcmp(argv[1], "events") == 0) return events_test();
    if (argc >= 2 && strcmp(argv[1], "errors") == 0) return errors_test();
    if (argc < 4) {
        fprintf(stderr, "usage: %s VIEW W H | events | errors\n", argv[0]);
        return 2;
    }
    return view_test(argv[1], atoi(argv[2]), atoi(argv[3]));
}
