/* Screenshot tests of the lens view (SDL_VIDEODRIVER=dummy): `lens` at
 * the [MASK] of a sentence on a small random model and on the shipped
 * default model, drawn and read back. Each cell of the depths × top-K
 * table must be the colour of its probability, the followed word's cells
 * framed, the rank line one point per depth, placed by the log of the
 * rank (rank 1 left of every worse rank), and hovering a cell or a row
 * of the rank panel must name its numbers.
 *   test_view_lens lens W H   the view at W×H, and its notice without a lens
 *   test_view_lens follow     the window follows a new lens unless a view is pinned; `l` shows it
 * (both driven by viewcheck.c's view_case_test and view_case_follow)
 * BT_VIEW_PNG_DIR=dir keeps a copy of every picture. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../unit/testmodel.h"
#include "../unit/testutil.h"
#include "bertology/lens.h"
#include "bertology/pass.h"
#include "image.h"
#include "sentencecase.h"
#include "viewcheck.h"
#include "bertology/colormap.h"
#include "viz/view_lens.h"
#include "viz/viz_internal.h"

static const char *VOCAB[] = {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "bank", "of", "river",
                              "raised", "its", "rates", "a", "cat", "sat", "on", "mat", "##s", "money", "."};
enum { V = sizeof VOCAB / sizeof VOCAB[0] };
static const unsigned char ACCENT[3] = {255, 196, 61};

typedef struct {
    ViewSentence vs;
    LensResult r;       /* the model's answer followed */
    LensResult r2;      /* "the" followed, top 3: another lens, for following */
} Setup;

static int make(void *data, BtError *err) {
    Setup *s = data;
    if (lens_run(&s->vs.m, &s->vs.p.tr, 6, 5, LENS_ANSWER, &s->r, err) != 0 ||
        lens_run(&s->vs.m, &s->vs.p.tr, 6, 3, tok_id(s->vs.m.tok, "the"), &s->r2, err) != 0)
        return -1;
    s->r.text = strdup(VIEW_SENTENCE);
    return 0;
}

static void drop(void *data) {
    Setup *s = data;
    lens_free(&s->r);
    lens_free(&s->r2);
}

/* The REPL's state; with a lens, just after a `lens` made it (as cmd_lens
 * sets it): which 1 the model's answer, 2 "the" in a top 3. */
static VizState state_for(void *data, int which, Stage stage) {
    const Setup *s = data;
    VizState st = view_state(&s->vs.m, &s->vs.p, stage, which ? VIZ_LENS : VIZ_FOLLOW);
    st.lens = which == 1 ? &s->r : which == 2 ? &s->r2 : NULL;
    return st;
}

static const VizLensView *lens_of(Viz *v) { return viz_view_state(v, VIZ_LENS); }

static void check_view(Viz *v, const Image *im, void *data, const char *what) {
    const LensResult *r = &((Setup *)data)->r;
    const VizLensView *lv = lens_of(v);
    int D = r->depths, k = r->k;
    CHECKF(lv->drawn && lv->rows == D && lv->cols == k, "%s: table %d×%d drawn %d", what, lv->rows, lv->cols, lv->drawn);
    CHECKF(v->cx.grid.used && v->cx.grid.rows == D && v->cx.grid.cols == k, "%s: grid %d×%d", what, v->cx.grid.rows,
           v->cx.grid.cols);
    if (!im->rgb || !lv->drawn) return;
    SDL_Rect g = lv->table;
    int cw = g.w / k, rh = g.h / D, right = 0, framed = 0, want_framed = 0;
    float pmax = 0;
    for (int i = 0; i < D * k; i++)
        if (r->top[i].p > pmax) pmax = (float)r->top[i].p;
    CHECKF(lv->pmax == pmax, "%s: the colour scale tops at %g, the table at %g", what, lv->pmax, pmax);
    for (int d = 0; d < D; d++)
        for (int j = 0; j < k; j++) {
            const Guess *gu = &r->top[(size_t)d * k + j];
            /* the bottom-left corner: off the token, the percentage and a frame */
            const unsigned char *px = image_at(im, g.x + j * cw + 5, g.y + d * rh + rh - 5);
            uint32_t want = cmap_rgba(CMAP_VIRIDIS, (float)gu->p, 0, pmax);
            right += view_pixel_is(px, want, "%s: cell %d,%d (p %.3f)", what, d, j, gu->p);
            SDL_Rect edge = {g.x + j * cw, g.y + d * rh, cw, 4};
            int acc = image_near(im, edge, ACCENT, 10) > cw;
            if (gu->id == r->word) want_framed++;
            framed += acc && gu->id == r->word;
            CHECKF(!acc || gu->id == r->word, "%s: cell %d,%d is framed but is not the word", what, d, j);
        }
    CHECKF(right == D * k, "%s: %d of %d cells in their colour", what, right, D * k);
    CHECKF(framed == want_framed && want_framed >= 1, "%s: %d of the word's %d cells framed", what, framed,
           want_framed);
    /* the rank line: a point per depth, on its row, ordered as the ranks */
    CHECKF(lv->npts == D && lv->plot.w > 0, "%s: %d points", what, lv->npts);
    for (int d = 0; d < lv->npts; d++) {
        SDL_Point p = lv->pt[d];
        CHECKF(p.y == g.y + d * rh + rh / 2 && p.x >= lv->plot.x && p.x <= lv->plot.x + lv->plot.w,
               "%s: point %d at %d,%d", what, d, p.x, p.y);
        CHECKF(image_near(im, (SDL_Rect){p.x - 1, p.y - 1, 3, 3}, ACCENT, 10) >= 5, "%s: no point drawn at depth %d",
               what, d);
        for (int e = 0; e < lv->npts; e++)
            if (r->rank[e] > r->rank[d]) CHECKF(lv->pt[e].x > lv->pt[d].x, "%s: rank %d not right of rank %d", what,
                                                 r->rank[e], r->rank[d]);
        if (r->rank[d] == 1) CHECKF(abs(p.x - lv->plot.x) <= 1, "%s: rank 1 is not at the left edge", what);
    }
    /* the words around: depth names, column numbers, the header */
    view_grid_words(v, im, g, 100, "depth labels", 20, "column numbers", what);
}

static int drawn(Viz *v) { return lens_of(v)->drawn; }

/* Hovering the last depth's top cell names it; a row of the rank panel gives the rank. */
static void hover(ViewRun *run, void *data) {
    const Setup *s = data;
    Viz *v = run->v;
    const char *what = run->what;
    const VizLensView *lv = lens_of(v);
    SDL_Rect g = lv->table;
    int D = s->r.depths;
    v->cx.mx = g.x + g.w / s->r.k / 2;
    v->cx.my = g.y + g.h - g.h / D / 2;
    v->cx.mouse_in = 1;
    viz_frame_draw(v);
    const char *top = tok_token(s->vs.m.tok, s->r.top[(size_t)(D - 1) * s->r.k].id);
    CHECKF(v->cx.ntip >= 1 && strstr(v->cx.tip[0], "guess 1") && strstr(v->cx.tip[0], top), "%s: cell tip %s", what,
           v->cx.ntip ? v->cx.tip[0] : "(none)");
    lv = lens_of(v);
    v->cx.mx = lv->plot.x + lv->plot.w / 2;
    v->cx.my = lv->pt[0].y;
    viz_frame_draw(v);
    char want[64];
    snprintf(want, sizeof want, "rank %d", s->r.rank[0]);
    CHECKF(v->cx.ntip >= 2 && strstr(v->cx.tip[0], "emb") && strstr(v->cx.tip[1], want), "%s: rank tip %s / %s", what,
           v->cx.ntip ? v->cx.tip[0] : "(none)", v->cx.ntip > 1 ? v->cx.tip[1] : "");
    v->cx.mouse_in = 0;
}

/* Pinned by `l` on the other lens: "the" followed in a top 3. */
static void pinned(Viz *v, void *data, const char *what) {
    const Setup *s = data;
    CHECKF(lens_of(v)->cols == 3 && lens_of(v)->npts == s->r2.depths, "%s: %d columns, %d points", what,
           lens_of(v)->cols, lens_of(v)->npts);
}

int main(int argc, char **argv) {
    static Setup s;
    /* the commands its notice tells the learner to type (kept as typed in pt and ru) */
    static const char *const TYPED[] = {"lens", NULL};
    const ViewCase c = {.id = VIZ_LENS, .name = "lens", .key = SDLK_l, .stage = STAGE_MLM, .data = &s,
                        .setup = view_sentence_setup, .teardown = view_sentence_teardown, .size = sizeof s,
                        .layers = 6, .make = make, .drop = drop, .state = state_for, .drawn = drawn,
                        .checks = check_view, .more = hover, .pinned = pinned,
                        .vocab = VOCAB, .nvocab = V, .typed = TYPED};
    return view_case_main(&c, argc, argv);
}
