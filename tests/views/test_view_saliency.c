/* Screenshot tests of the saliency view (SDL_VIDEODRIVER=dummy):
 * `saliency` of a sentence with a [MASK] on a small random model and on
 * the shipped default model, drawn and read back. Each token's bar in
 * the two signed panels (gradient × input, integrated gradients) must lie
 * on its value's side of the zero axis in its sign's colour (red: raises
 * log p, blue: lowers it), as long as its value says; the norm's bars
 * from the left; hovering a row must name the token and its numbers.
 *   test_view_saliency saliency W H   the view at W×H, without IG, and its notice without a saliency
 *   test_view_saliency follow         the window follows a new saliency unless a view is pinned; `g` shows it
 * (both driven by viewcheck.c's view_case_test and view_case_follow)
 * BT_VIEW_PNG_DIR=dir keeps a copy of every picture. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../unit/testmodel.h"
#include "../unit/testutil.h"
#include "bertology/pass.h"
#include "bertology/saliency.h"
#include "image.h"
#include "sentencecase.h"
#include "viewcheck.h"
#include "bertology/colormap.h"
#include "viz/view_saliency.h"
#include "viz/viz_internal.h"

static const char *VOCAB[] = {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "bank", "of", "river",
                              "raised", "its", "rates", "a", "cat", "sat", "on", "mat", "##s", "money", "."};
enum { V = sizeof VOCAB / sizeof VOCAB[0] };

typedef struct {
    ViewSentence vs;
    Saliency r, r0;   /* r0: without IG */
} Setup;

static int make(void *data, BtError *err) {
    Setup *s = data;
    if (saliency_run(&s->vs.m, &s->vs.p.tr, 6, -1, 20, &s->r, err) != 0 ||
        saliency_run(&s->vs.m, &s->vs.p.tr, 6, -1, 0, &s->r0, err) != 0)
        return -1;
    s->r.text = strdup(VIEW_SENTENCE);
    return 0;
}

static void drop(void *data) {
    Setup *s = data;
    saliency_free(&s->r);
    saliency_free(&s->r0);
}

/* The REPL's state; with a saliency (which 1: with IG, 2: without),
 * just after a `saliency` made it (as cmd_saliency sets it). */
static VizState state_for(void *data, int which, Stage stage) {
    const Setup *s = data;
    VizState st = view_state(&s->vs.m, &s->vs.p, stage, which ? VIZ_SALIENCY : VIZ_FOLLOW);
    st.saliency = which == 1 ? &s->r : which == 2 ? &s->r0 : NULL;
    return st;
}

static const VizSaliencyView *sal_of(Viz *v) { return viz_view_state(v, VIZ_SALIENCY); }

/* Every bar of panel i: its colour at the middle of where it should be,
 * and the panel's own grey just past its end. */
static void check_panel(const Image *im, const VizSaliencyView *sv, int i, const double *v, int T, const char *what) {
    SDL_Rect p = sv->panel[i];
    int is_signed = i != 1, len = is_signed ? p.w / 2 : p.w, ok = 0, long_bars = 0;
    uint32_t red = view_saliency_sign_rgba(1), blue = view_saliency_sign_rgba(-1);
    CHECKF(red >> 24 > ((red >> 8) & 255) + 60 && ((blue >> 8) & 255) > (blue >> 24) + 60, "%s: red %08x, blue %08x",
           what, red, blue);
    const unsigned char panel[3] = {28, 31, 38};
    for (int t = 0; t < T; t++) {
        int y = sv->y0 + (int)(t * sv->step + sv->step / 2);
        int w = (int)lround(fabs(v[t]) / sv->scale[i] * len);
        if (w < 6) continue;
        long_bars++;
        int dir = v[t] < 0 ? -1 : 1, mid = sv->axis[i] + dir * w / 2, past = sv->axis[i] + dir * (w + 3);
        const unsigned char *in = image_at(im, mid, y), *out = image_at(im, past, y);
        int colour_ok = is_signed ? view_rgb_near(in, v[t] < 0 ? blue : red, 8) : in[2] > in[0] + 20;
        /* past the end: the panel (a full-length bar reaches its edge) */
        int end_ok = w > len - 4 || (abs(out[0] - panel[0]) < 12 && abs(out[2] - panel[2]) < 12);
        if (colour_ok && end_ok) ok++;
        else
            fprintf(stderr, "%s: panel %d token %d (%+.4f, %d px): %d,%d,%d in the bar, %d,%d,%d past it\n", what, i, t,
                    v[t], w, in[0], in[1], in[2], out[0], out[1], out[2]);
    }
    CHECKF(ok == long_bars, "%s: panel %d: %d of %d bars right", what, i, ok, long_bars);
    CHECKF(long_bars >= 2, "%s: panel %d: only %d bars to check", what, i, long_bars);
}

static void check_view(Viz *v, const Image *im, const Saliency *r, const char *what) {
    const VizSaliencyView *sv = sal_of(v);
    int np = r->ig ? 3 : 2;
    CHECKF(sv->panels == np, "%s: %d panels, want %d", what, sv->panels, np);
    CHECKF(v->cx.grid.used && v->cx.grid.rows == r->T && v->cx.grid.cols == np, "%s: grid %d×%d", what,
           v->cx.grid.rows, v->cx.grid.cols);
    if (!im->rgb || sv->panels != np) return;
    const double *col[3] = {r->grad_dot, r->grad_norm, r->ig};
    for (int i = 0; i < np; i++) check_panel(im, sv, i, col[i], r->T, what);
    /* both signs among the bars checked (6 pixels and longer), so both colours were tested */
    int pos = 0, neg = 0;
    for (int i = 0; i < np; i += 2)
        for (int t = 0; t < r->T; t++) {
            int w = (int)lround(fabs(col[i][t]) / sv->scale[i] * sv->panel[i].w / 2);
            pos += w >= 6 && col[i][t] > 0;
            neg += w >= 6 && col[i][t] < 0;
        }
    CHECKF(pos && neg, "%s: %d positive and %d negative bars long enough to check", what, pos, neg);
    view_grid_words(v, im, sv->panel[0], 100, "token labels", 50, "panel title", what);
}

static void check_first(Viz *v, const Image *im, void *data, const char *what) {
    check_view(v, im, &((Setup *)data)->r, what);
}

static int drawn(Viz *v) { return sal_of(v)->panels; }

/* Hovering the [MASK]'s row names it and its numbers; without IG: two panels. */
static void more(ViewRun *run, void *data) {
    Setup *s = data;
    Viz *v = run->v;
    const char *what = view_run_what(run, "hover");
    Image im;
    const VizSaliencyView *sv = sal_of(v);
    v->cx.mx = sv->panel[1].x + sv->panel[1].w / 2;
    v->cx.my = sv->y0 + (int)(6 * sv->step + sv->step / 2);
    v->cx.mouse_in = 1;
    view_shoot(v, what, &im);
    CHECKF(v->cx.ntip >= 3 && strstr(v->cx.tip[0], "token 6") && strstr(v->cx.tip[1], "∇·x") &&
               strstr(v->cx.tip[2], "IG"),
           "%s: tip %s / %s", what, v->cx.ntip ? v->cx.tip[0] : "(none)", v->cx.ntip > 1 ? v->cx.tip[1] : "");
    image_free(&im);
    v->cx.mouse_in = 0;

    run->st = state_for(s, 2, STAGE_ATTN);
    viz_set_state(v, &run->st);
    what = view_run_what(run, "noig");
    view_shoot(v, what, &im);
    check_view(v, &im, &s->r0, what);
    image_free(&im);
}

/* Pinned by `g` on the other saliency: without IG, two panels. */
static void pinned(Viz *v, void *data, const char *what) {
    (void)data;
    CHECKF(sal_of(v)->panels == 2, "%s: %d panels", what, sal_of(v)->panels);
}

int main(int argc, char **argv) {
    static Setup s;
    /* the commands its notice tells the learner to type (kept as typed in pt and ru) */
    static const char *const TYPED[] = {"saliency", NULL};
    const ViewCase c = {.id = VIZ_SALIENCY, .name = "saliency", .key = SDLK_g, .stage = STAGE_ATTN, .data = &s,
                        .setup = view_sentence_setup, .teardown = view_sentence_teardown, .size = sizeof s,
                        .layers = 4, .make = make, .drop = drop, .state = state_for, .drawn = drawn,
                        .checks = check_first, .more = more, .pinned = pinned,
                        .vocab = VOCAB, .nvocab = V, .typed = TYPED};
    return view_case_main(&c, argc, argv);
}
