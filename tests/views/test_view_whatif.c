/* Screenshot tests of the what-if view (SDL_VIDEODRIVER=dummy): a
 * `whatif` of a sentence with a [MASK] (one token replaced) on a small
 * random model and on the shipped default model, drawn and read back.
 * Each cell of the layers × heads grid must be the colour of its mean TV
 * on the view's scale, each cell of the tokens × depths grid the colour
 * of its 1 − cosine; the replaced token's row must be brighter than
 * [CLS]'s at the embeddings; hovering names the head and its numbers.
 *   test_view_whatif whatif W H   the view at W×H, and its notice without a what-if
 *   test_view_whatif follow       the window follows a new what-if unless a view is pinned; `w` shows it
 * (both driven by viewcheck.c's view_case_test and view_case_follow)
 * BT_VIEW_PNG_DIR=dir keeps a copy of every picture. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../unit/testmodel.h"
#include "../unit/testutil.h"
#include "bertology/pass.h"
#include "bertology/whatif.h"
#include "image.h"
#include "sentencecase.h"
#include "viewcheck.h"
#include "bertology/colormap.h"
#include "viz/view_whatif.h"
#include "viz/viz_internal.h"

static const char *VOCAB[] = {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "bank", "of", "river",
                              "raised", "its", "rates", "a", "cat", "sat", "on", "mat", "##s", "money", "dog", "."};
enum { V = sizeof VOCAB / sizeof VOCAB[0] };

typedef struct {
    ViewSentence vs;    /* its pass: run A, the sentence */
    Pass b;             /* run B: position 2 ('cat') replaced by 'dog' */
    WhatIf w;
} Setup;

static int make(void *data, BtError *err) {
    Setup *s = data;
    const Pass *a = &s->vs.p;
    int dog;
    if (whatif_word(s->vs.m.tok, "dog", &dog, err) != 0) return -1;
    int *ids = malloc(sizeof(int) * (size_t)pass_T(a));
    memcpy(ids, a->ids, sizeof(int) * (size_t)pass_T(a));
    ids[2] = dog;
    int rc = whatif_pass_ids(&s->b, a, ids, err);
    free(ids);
    if (rc != 0 || whatif_run(&s->vs.m, &a->tr, &s->b.tr, 1, 5, &s->w, err) != 0) return -1;
    s->w.how = strdup("position 2: 'cat' → 'dog'");
    s->w.text_a = strdup(VIEW_SENTENCE);
    s->w.text_b = strdup("the dog sat on the [MASK] .");
    return 0;
}

static void drop(void *data) {
    Setup *s = data;
    whatif_free(&s->w);
    pass_free(&s->b);
}

/* The REPL's state; with the what-if (which 1 or 2: made again, a new
 * generation), just after a `whatif` made it (as cmd_whatif sets it). */
static VizState state_for(void *data, int which, Stage stage) {
    const Setup *s = data;
    VizState st = view_state(&s->vs.m, &s->vs.p, stage, which ? VIZ_WHATIF : VIZ_FOLLOW);
    st.whatif = which ? &s->w : NULL;
    return st;
}

static const VizWhatIfView *view_of(Viz *v) { return viz_view_state(v, VIZ_WHATIF); }

/* How many cells of grid g (rows × cols) show the colour of value(i) on
 * MAGMA from 0 to hi, read a quarter of a cell in from the top left (off
 * any label). */
static int cells_right(const Image *im, SDL_Rect g, int rows, int cols, const double *val, double hi,
                       const char *what) {
    int right = 0, cw = g.w / cols, ch = g.h / rows;
    for (int r = 0; r < rows; r++)
        for (int c = 0; c < cols; c++) {
            const unsigned char *px = image_at(im, g.x + c * cw + cw / 4, g.y + r * ch + ch / 4);
            uint32_t want = cmap_rgba(CMAP_MAGMA, (float)val[(size_t)r * cols + c], 0, (float)hi);
            right += view_pixel_is(px, want, "%s: cell %d,%d (%.4f)", what, r, c, val[(size_t)r * cols + c]);
        }
    return right;
}

static void check_picture(Viz *v, const Image *im, void *data, const char *what) {
    const WhatIf *w = &((Setup *)data)->w;
    const VizWhatIfView *wv = view_of(v);
    CHECKF(wv->drawn, "%s: nothing drawn", what);
    CHECKF(v->cx.grid.used && v->cx.grid.rows == w->L && v->cx.grid.cols == w->nh, "%s: grid %d×%d", what,
           v->cx.grid.rows, v->cx.grid.cols);
    if (!im->rgb || !wv->drawn) return;
    int n = w->L * w->nh;
    CHECKF(cells_right(im, wv->attn, w->L, w->nh, w->tv_mean, wv->hi_tv, what) == n, "%s: attention cells off", what);
    int D = w->L + 1, m = w->npairs * D;
    double *one_minus = malloc(sizeof(double) * (size_t)m);
    for (int i = 0; i < m; i++) one_minus[i] = 1 - w->cos[i];
    CHECKF(cells_right(im, wv->cos, w->npairs, D, one_minus, wv->hi_cos, what) == m, "%s: cosine cells off", what);
    free(one_minus);
    /* the replaced token (pair 2) moved at the embeddings; [CLS] (pair 0) did not: brighter */
    int cw = wv->cos.w / D, ch = wv->cos.h / w->npairs;
    float cls = image_luma(im, wv->cos.x + cw / 4, wv->cos.y + ch / 4);
    float cat = image_luma(im, wv->cos.x + cw / 4, wv->cos.y + 2 * ch + ch / 4);
    CHECKF(cat > cls + 40, "%s: the replaced token's row is not brighter than [CLS]'s (%.2f vs %.2f)", what, cat, cls);
    /* labels beside both grids, and the header */
    int fs = v->cx.fs;
    CHECKF(image_text(im, (SDL_Rect){wv->attn.x - 5 * fs, wv->attn.y, 5 * fs, wv->attn.h}) > 100, "%s: no layer labels",
           what);
    CHECKF(image_text(im, (SDL_Rect){wv->cos.x - 4 * fs, wv->cos.y, 4 * fs, wv->cos.h}) > 100, "%s: no token labels",
           what);
    view_header_check(v, im, what);
}

static int drawn(Viz *v) { return view_of(v)->drawn; }

/* Hovering the most changed head names it and its numbers, a cosine cell its pair and depth. */
static void hover(ViewRun *run, void *data) {
    const Setup *s = data;
    Viz *v = run->v;
    const char *what = run->what;
    int l, hd;
    whatif_most_changed(&s->w, &l, &hd);
    SDL_Rect g = view_of(v)->attn;
    v->cx.mx = g.x + hd * (g.w / s->w.nh) + g.w / s->w.nh / 2;
    v->cx.my = g.y + l * (g.h / s->w.L) + g.h / s->w.L / 2;
    v->cx.mouse_in = 1;
    viz_frame_draw(v);
    char head[32];
    snprintf(head, sizeof head, "head %d.%d", l, hd);
    CHECKF(v->cx.ntip >= 2 && strstr(v->cx.tip[0], head) && strstr(v->cx.tip[1], "query"), "%s: tip %s / %s", what,
           v->cx.ntip ? v->cx.tip[0] : "(none)", v->cx.ntip > 1 ? v->cx.tip[1] : "");
    g = view_of(v)->cos;
    v->cx.mx = g.x + g.w / (s->w.L + 1) / 2;
    v->cx.my = g.y + 2 * (g.h / s->w.npairs) + g.h / s->w.npairs / 2;
    viz_frame_draw(v);
    CHECKF(v->cx.ntip >= 2 && strstr(v->cx.tip[0], "A2") && strstr(v->cx.tip[1], "cosine"), "%s: tip %s / %s", what,
           v->cx.ntip ? v->cx.tip[0] : "(none)", v->cx.ntip > 1 ? v->cx.tip[1] : "");
    v->cx.mouse_in = 0;
}

/* The language test: run B's line is the REPL's, made in the language of
 * its day; here one without words. */
static void language_prep(void *data) {
    Setup *s = data;
    free(s->w.how);
    s->w.how = strdup("2 'cat' → 'dog'");
}

int main(int argc, char **argv) {
    static Setup s;
    /* the commands its notice tells the learner to type (kept as typed in pt and ru) */
    static const char *const TYPED[] = {"whatif", "corrupt", "dog", NULL};
    const ViewCase c = {.id = VIZ_WHATIF, .name = "whatif", .key = SDLK_w, .stage = STAGE_ATTN, .data = &s,
                        .setup = view_sentence_setup, .teardown = view_sentence_teardown, .size = sizeof s,
                        .layers = 6, .make = make, .drop = drop, .state = state_for, .drawn = drawn,
                        .checks = check_picture, .more = hover,
                        .vocab = VOCAB, .nvocab = V, .typed = TYPED, .language_prep = language_prep};
    return view_case_main(&c, argc, argv);
}
