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
#include "viewcheck.h"
#include "bertology/colormap.h"
#include "viz/view_whatif.h"
#include "viz/viz_internal.h"

static const char *VOCAB[] = {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "bank", "of", "river",
                              "raised", "its", "rates", "a", "cat", "sat", "on", "mat", "##s", "money", "dog", "."};
enum { V = sizeof VOCAB / sizeof VOCAB[0] };

typedef struct {
    BertModel m;
    Pass a, b;
    WhatIf w;
} Setup;

/* Run A: the sentence; run B: position 2 ('cat') replaced by 'dog'. */
static int setup(void *data, int real) {
    Setup *s = data;
    memset(s, 0, sizeof *s);
    BtError err = {{0}};
    const char *text = "the cat sat on the [MASK] .";
    BertConfig cfg = {V, 32, 6, 4, 64, 32, 2, 1e-12f, POS_ABSOLUTE};
    if (real ? view_default_model(&s->m) : test_random_model(&s->m, &cfg, VOCAB, V)) return real ? 1 : -1;
    PassOptions o = {.mlm = 1};
    int dog;
    if (pass_run(&s->a, &s->m, text, &o, &err) != 0 || whatif_word(s->m.tok, "dog", &dog, &err) != 0) goto fail;
    int *ids = malloc(sizeof(int) * (size_t)pass_T(&s->a));
    memcpy(ids, s->a.ids, sizeof(int) * (size_t)pass_T(&s->a));
    ids[2] = dog;
    int rc = whatif_pass_ids(&s->b, &s->a, ids, &err);
    free(ids);
    if (rc != 0 || whatif_run(&s->m, &s->a.tr, &s->b.tr, 1, 5, &s->w, &err) != 0) goto fail;
    s->w.how = strdup("position 2: 'cat' → 'dog'");
    s->w.text_a = strdup(text);
    s->w.text_b = strdup("the dog sat on the [MASK] .");
    return 0;
fail:
    fprintf(stderr, "whatif: %s\n", err.msg);
    return -1;
}

static void teardown(void *data) {
    Setup *s = data;
    whatif_free(&s->w);
    pass_free(&s->a);
    pass_free(&s->b);
    model_free(&s->m);
}

/* The REPL's state; with the what-if (which 1 or 2: made again, a new
 * generation), just after a `whatif` made it (as cmd_whatif sets it). */
static VizState state_for(void *data, int which, Stage stage) {
    const Setup *s = data;
    VizState st = view_state(&s->m, &s->a, stage, which ? VIZ_WHATIF : VIZ_FOLLOW);
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
            int wr = want >> 24, wg = (want >> 16) & 255, wb = (want >> 8) & 255;
            int near = abs(px[0] - wr) <= 6 && abs(px[1] - wg) <= 6 && abs(px[2] - wb) <= 6;
            if (!near)
                fprintf(stderr, "%s: cell %d,%d (%.4f) is %d,%d,%d, want %d,%d,%d\n", what, r, c,
                        val[(size_t)r * cols + c], px[0], px[1], px[2], wr, wg, wb);
            right += near;
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
    int bar = fs * 2 + v->cx.pad / 2;
    CHECKF(image_text(im, (SDL_Rect){0, bar, im->w, 3 * fs}) > 300, "%s: no header", what);
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
                        .setup = setup, .teardown = teardown, .state = state_for, .drawn = drawn,
                        .checks = check_picture, .more = hover,
                        .vocab = VOCAB, .nvocab = V, .typed = TYPED, .language_prep = language_prep};
    return view_case_main(&c, argc, argv);
}
