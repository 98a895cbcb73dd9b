/* Screenshot tests of the comparison view (SDL_VIDEODRIVER=dummy): a
 * `compare` of "bank" on a small random model (as test_vectors_compare
 * builds it), drawn and read back; the word's curve must sit at the
 * heights of its cosines, higher cosine higher on screen.
 *   test_view_compare compare W H   the view at W×H, and its notice without a comparison
 *   test_view_compare follow  the window follows a new comparison unless a view is pinned,
 *                             and the embedding view shows both of its sentences
 * (both driven by viewcheck.c's view_case_test and view_case_follow)
 * BT_VIEW_PNG_DIR=dir keeps a copy of every picture. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../unit/testutil.h"
#include "../unit/testmodel.h"
#include "bertology/vec_compare.h"
#include "image.h"
#include "viewcheck.h"
#include "viz/view_compare.h"
#include "viz/viz_internal.h"

static const unsigned char WORD[3] = {255, 196, 61};

static const char *VOCAB[] = {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "bank", "of", "river",
                              "raised", "its", "rates", "a", "cat", "sat", "on", "mat", "##s", "money", "."};
enum { V = sizeof VOCAB / sizeof VOCAB[0], H = 32, LAYERS = 6 };

/* A random model deep enough for a curve with some turns in it. */
static int make_model(BertModel *m) {
    BertConfig cfg = {V, H, LAYERS, 2, 64, 32, 2, 1e-12f, POS_ABSOLUTE};
    return test_random_model(m, &cfg, VOCAB, V);
}

typedef struct {
    BertModel m;
    VecSet *vs;
    VecCompare c1, c2;
} Setup;

/* One model only: real is never set (random_only). */
static int setup(const ViewCase *c, int real) {
    (void)real;
    Setup *s = c->data;
    memset(s, 0, sizeof *s);
    BtError err = {{0}};
    if (make_model(&s->m) || vecset_from_model(&s->vs, &s->m, &err)) return -1;
    if (vec_compare(&s->c1, &s->m, s->vs, "bank", "the bank of the river", "the bank raised its rates", NULL, &err) ||
        vec_compare(&s->c2, &s->m, s->vs, "cat", "a cat sat on the mat", "the cat of the bank", NULL, &err)) {
        fprintf(stderr, "compare: %s\n", err.msg);
        return -1;
    }
    return 0;
}

static void teardown(const ViewCase *c) {
    Setup *s = c->data;
    vec_compare_free(&s->c1);
    vec_compare_free(&s->c2);
    vecset_free(s->vs);
    model_free(&s->m);
}

/* As the REPL fills it: its own sentence is c->s[0], the comparison's
 * second sentence is trace2. */
static const VizCompareView *cmp_of(Viz *v) { return viz_view_state(v, VIZ_COMPARE); }
static const FigPca *pca_of(Viz *v) { return &v->cache.pca; }   /* the embedding figure's PCA */

/* which 1: "bank", 2: "cat"; a comparison is followed by its address. */
static VizState state_for(void *data, int which, Stage stage) {
    const Setup *s = data;
    const VecCompare *c = which == 1 ? &s->c1 : which == 2 ? &s->c2 : NULL;
    VizState st = view_state(&s->m, &s->c2.s[0].pass, stage, VIZ_FOLLOW);
    st.compare = c;
    if (c) {
        st.trace2 = &c->s[1].pass.tr;
        st.tokens2 = (const char *const *)c->s[1].pass.tokens;
    }
    return st;
}

/* Median row of the pixels of colour c in column x of r; NAN if none. */
static double curve_y(const Image *im, SDL_Rect r, int x, const unsigned char c[3]) {
    int ys[4096], n = 0;
    for (int y = r.y + 1; y < r.y + r.h - 1 && n < 4096; y++)
        if (image_near(im, (SDL_Rect){x, y, 1, 1}, c, 12)) ys[n++] = y;
    return n ? 0.5 * (ys[(n - 1) / 2] + ys[n / 2]) : NAN;
}

/* The word's curve read back at each depth: where its cosine puts it,
 * and higher on screen wherever the cosine is higher. */
static void check_curve(Viz *v, const Image *im, void *data, const char *what) {
    const VecCompare *c = &((Setup *)data)->c1;
    /* Sanity of the data the picture is checked against: 1 at the
     * embedding output (same token and position), then apart. */
    CHECKF(c->n_points == LAYERS + 1 && c->word_cos[0] == 1.0, "%s: %d points, first cosine %g", what, c->n_points,
           c->word_cos[0]);
    const VizCompareView *cv = viz_view_state(v, VIZ_COMPARE);
    SDL_Rect r = cv->plot;
    CHECKF(r.w > 200 && r.h > 150, "%s: plot %dx%d", what, r.w, r.h);
    CHECKF(cv->y0 <= 0 && cv->y1 > 1, "%s: y from %g to %g", what, cv->y0, cv->y1);
    if (r.w <= 200 || !im->rgb) return;
    double found[64], want[64];
    int n = c->n_points < 64 ? c->n_points : 64, seen = 0, near = 0;
    for (int i = 0; i < n; i++) {
        int x = (int)lround(r.x + (i - cv->x0) / (cv->x1 - cv->x0) * r.w);
        want[i] = r.y + r.h - (c->word_cos[i] - cv->y0) / (cv->y1 - cv->y0) * r.h;
        found[i] = curve_y(im, r, x, WORD);
        if (isfinite(found[i])) {
            seen++;
            near += fabs(found[i] - want[i]) <= 4;
        } else {
            fprintf(stderr, "%s: no word curve at depth %d (column %d)\n", what, i, x);
        }
    }
    CHECKF(seen == n, "%s: the word curve found at %d of %d depths", what, seen, n);
    CHECKF(near == seen, "%s: the word curve is off its cosines at %d of %d depths", what, seen - near, seen);
    int pairs = 0, agree = 0;
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) {
            if (!isfinite(found[i]) || !isfinite(found[j]) || want[j] - want[i] < 6) continue;
            pairs++;
            agree += found[i] < found[j];   /* i's cosine is higher: i is drawn higher */
        }
    CHECKF(pairs >= n && agree == pairs, "%s: %d of %d pairs of depths out of order", what, pairs - agree, pairs);

    /* Labels: cosine ticks left of the plot, depths under it, the header
     * with the word and both sentences above the legend. */
    int fs = v->cx.fs, bar = fs * 2 + v->cx.pad / 2;
    CHECKF(image_text(im, (SDL_Rect){r.x - 4 * fs, r.y, 4 * fs, r.h}) > 100, "%s: no cosine ticks", what);
    CHECKF(image_text(im, (SDL_Rect){r.x, r.y + r.h + 1, r.w, 2 * fs}) > 100, "%s: no depth ticks", what);
    view_header_check(v, im, what);
    int depth_labels = 0, above = 0;
    for (int i = 0; i < v->cx.nlabels; i++) {
        SDL_Rect l = v->cx.labels[i].rect;
        depth_labels += l.y >= r.y + r.h && l.y < r.y + r.h + 2 * fs;
        above += l.y + l.h <= r.y && l.y > bar;
    }
    CHECKF(depth_labels >= n / 2 + 1, "%s: %d depth labels for %d depths", what, depth_labels, n);
    CHECKF(above >= 3, "%s: %d legend labels", what, above);
    /* The dashed static line at cosine 1: many pixels of its grey in that row, not all. */
    int sy = (int)lround(r.y + r.h - (1 - cv->y0) / (cv->y1 - cv->y0) * r.h), dash = 0;
    static const unsigned char STATIC[3] = {165, 170, 180};   /* C_STATIC over the panel and its grid line */
    for (int dy = -1; dy <= 1; dy++) dash += image_near(im, (SDL_Rect){r.x, sy + dy, r.w, 1}, STATIC, 14);
    CHECKF(dash > r.w / 4, "%s: the static line's row has %d pixels of its colour", what, dash);
}

static int drawn(Viz *v) { return cmp_of(v)->plot.w > 0; }

/* Hovering a depth names it and its three cosines. */
static void hover(ViewRun *run, void *data) {
    (void)data;
    Viz *v = run->v;
    const char *what = view_run_what(run, "hover");
    Image im;
    SDL_Rect r = cmp_of(v)->plot;
    v->cx.mx = (int)lround(r.x + (2 - cmp_of(v)->x0) / (cmp_of(v)->x1 - cmp_of(v)->x0) * r.w);
    v->cx.my = r.y + r.h / 2;
    v->cx.mouse_in = 1;
    view_shoot(v, what, &im);
    CHECKF(v->cx.ntip >= 2 && strstr(v->cx.tip[0], "layer 1") && strstr(v->cx.tip[1], "'bank'"), "%s: tip %s", what,
           v->cx.ntip ? v->cx.tip[0] : "(none)");
    image_free(&im);
    v->cx.mouse_in = 0;
}

/* The embedding view draws both sentences of the comparison, not the
 * REPL's own sentence, and says so in the title bar; without a
 * comparison, the REPL's sentence alone. */
static void embeddings(Viz *v, VizState *st, void *data) {
    const Setup *s = data;
    *st = state_for(data, 1, STAGE_ATTN);
    viz_set_state(v, st);
    view_push_key(SDLK_6);
    view_settle(v);
    Image im;
    view_shoot(v, "compare-embeddings-1024x700", &im);
    CHECK(v->shown == VIZ_EMBEDDINGS);
    CHECK(pca_of(v)->t1 == &s->c1.s[0].pass.tr && pca_of(v)->t2 == &s->c1.s[1].pass.tr);
    CHECK(pca_of(v)->n == s->c1.s[0].pass.tr.T + s->c1.s[1].pass.tr.T);
    if (im.rgb) CHECK(image_colours(&im, (SDL_Rect){0, 0, im.w, im.h}) > 40);
    image_free(&im);
    *st = state_for(data, 0, STAGE_ATTN);
    viz_set_state(v, st);
    view_settle(v);
    CHECK(pca_of(v)->t1 == &s->c2.s[0].pass.tr && pca_of(v)->t2 == NULL);
}

int main(int argc, char **argv) {
    static Setup s;
    const ViewCase c = {.id = VIZ_COMPARE, .name = "compare", .key = SDLK_9, .stage = STAGE_ATTN, .random_only = 1,
                        .by_address = 1, .data = &s, .setup = setup, .teardown = teardown, .state = state_for,
                        .drawn = drawn, .checks = check_curve, .more = hover, .follow_more = embeddings};
    return view_case_main(&c, argc, argv);
}
