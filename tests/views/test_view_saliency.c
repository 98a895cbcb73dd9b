/* Screenshot tests of the saliency view (SDL_VIDEODRIVER=dummy):
 * `saliency` of a sentence with a [MASK] on a small random model and on
 * the shipped default model, drawn and read back. Each token's bar in
 * the two signed panels (gradient × input, integrated gradients) must lie
 * on its value's side of the zero axis in its sign's colour (red: raises
 * log p, blue: lowers it), as long as its value says; the norm's bars
 * from the left; hovering a row must name the token and its numbers.
 *   test_view_saliency saliency W H   the view at W×H, without IG, and its notice without a saliency
 *   test_view_saliency follow         the window follows a new saliency unless a view is pinned; `g` shows it
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
#include "viewcheck.h"
#include "bertology/colormap.h"
#include "viz/view_saliency.h"
#include "viz/viz_internal.h"

static const char *VOCAB[] = {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "bank", "of", "river",
                              "raised", "its", "rates", "a", "cat", "sat", "on", "mat", "##s", "money", "."};
enum { V = sizeof VOCAB / sizeof VOCAB[0] };

typedef struct {
    BertModel m;
    Pass p;
    Saliency r, r0;   /* r0: without IG */
    int loaded;
} Setup;

/* A random model (4 layers of 4 heads), or the default model when real. */
static int setup(Setup *s, int real) {
    memset(s, 0, sizeof *s);
    BtError err = {{0}};
    const char *text = "the cat sat on the [MASK] .";
    if (real) {
        char dir[4096];
        const char *root = getenv("BT_SOURCE_ROOT");
        snprintf(dir, sizeof dir, "%s/assets/models/default", root ? root : ".");
        if (model_load(&s->m, dir, &err) != 0) return 1;
        s->loaded = 1;
    } else {
        BertConfig cfg = {V, 32, 4, 4, 64, 32, 2, 1e-12f, POS_ABSOLUTE};
        if (test_random_model(&s->m, &cfg, VOCAB, V)) return -1;
    }
    PassOptions o = {.mlm = 1};
    if (pass_run(&s->p, &s->m, text, &o, &err) != 0 || saliency_run(&s->m, &s->p.tr, 6, -1, 20, &s->r, &err) != 0 ||
        saliency_run(&s->m, &s->p.tr, 6, -1, 0, &s->r0, &err) != 0) {
        fprintf(stderr, "saliency: %s\n", err.msg);
        return -1;
    }
    s->r.text = strdup(text);
    return 0;
}

static void teardown(Setup *s) {
    saliency_free(&s->r);
    saliency_free(&s->r0);
    pass_free(&s->p);
    model_free(&s->m);
}

/* The REPL's state; with r, just after a `saliency` made r (as cmd_saliency sets it). */
static VizState state_for(const Setup *s, const Saliency *r, Stage stage) {
    static unsigned gen;
    VizState st;
    memset(&st, 0, sizeof st);
    st.model = &s->m;
    st.trace = &s->p.tr;
    st.tokens = (const char *const *)s->p.tokens;
    st.pos = (StagePos){stage, 0, 0};
    st.top_k = 5;
    st.saliency = r;
    if (r) {
        st.instrument = VIZ_SALIENCY;
        st.instrument_gen = ++gen;
    }
    return st;
}

static const VizSaliencyView *sal_of(Viz *v) { return viz_view_state(v, VIZ_SALIENCY); }

static int near(const unsigned char *px, uint32_t c, int tol) {
    return abs(px[0] - (int)(c >> 24)) <= tol && abs(px[1] - (int)((c >> 16) & 255)) <= tol &&
           abs(px[2] - (int)((c >> 8) & 255)) <= tol;
}

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
        int colour_ok = is_signed ? near(in, v[t] < 0 ? blue : red, 8) : in[2] > in[0] + 20;
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
    int fs = v->cx.fs;
    SDL_Rect p0 = sv->panel[0];
    CHECKF(image_text(im, (SDL_Rect){p0.x - 6 * fs, p0.y, 6 * fs, p0.h}) > 100, "%s: no token labels", what);
    CHECKF(image_text(im, (SDL_Rect){p0.x, p0.y - 2 * fs, p0.w, 2 * fs}) > 50, "%s: no panel title", what);
    int bar = fs * 2 + v->cx.pad / 2;
    CHECKF(image_text(im, (SDL_Rect){0, bar, im->w, 3 * fs}) > 300, "%s: no header", what);
}

static int view_test(int w, int h) {
    Viz *v = view_open(w, h);
    char what[96];
    for (int real = 0; real < 2; real++) {
        Setup s;
        int rc = setup(&s, real);
        if (rc == 1) {
            printf("no default model: the real half is skipped\n");
            teardown(&s);
            continue;
        }
        CHECK(rc == 0);
        if (rc) {
            teardown(&s);
            continue;
        }
        const char *name = real ? "model" : "random";
        VizState st = state_for(&s, &s.r, STAGE_ATTN);
        viz_set_state(v, &st);
        viz_select_view(v, VIZ_SALIENCY);
        Image im;
        snprintf(what, sizeof what, "saliency-%s-%dx%d", name, w, h);
        view_shoot(v, what, &im);
        CHECK(v->shown == VIZ_SALIENCY);
        view_common_checks(v, &im, w, h, what);
        check_view(v, &im, &s.r, what);
        image_free(&im);

        /* hovering the [MASK]'s row names it and its numbers */
        const VizSaliencyView *sv = sal_of(v);
        v->cx.mx = sv->panel[1].x + sv->panel[1].w / 2;
        v->cx.my = sv->y0 + (int)(6 * sv->step + sv->step / 2);
        v->cx.mouse_in = 1;
        snprintf(what, sizeof what, "saliency-%s-hover-%dx%d", name, w, h);
        view_shoot(v, what, &im);
        CHECKF(v->cx.ntip >= 3 && strstr(v->cx.tip[0], "token 6") && strstr(v->cx.tip[1], "∇·x") &&
                   strstr(v->cx.tip[2], "IG"),
               "%s: tip %s / %s", what, v->cx.ntip ? v->cx.tip[0] : "(none)", v->cx.ntip > 1 ? v->cx.tip[1] : "");
        image_free(&im);
        v->cx.mouse_in = 0;

        /* without IG: two panels */
        st = state_for(&s, &s.r0, STAGE_ATTN);
        viz_set_state(v, &st);
        snprintf(what, sizeof what, "saliency-%s-noig-%dx%d", name, w, h);
        view_shoot(v, what, &im);
        check_view(v, &im, &s.r0, what);
        image_free(&im);

        /* no saliency yet: a notice that says how to make one */
        st = state_for(&s, NULL, STAGE_ATTN);
        viz_set_state(v, &st);
        snprintf(what, sizeof what, "saliency-%s-none-%dx%d", name, w, h);
        view_shoot(v, what, &im);
        CHECK(sal_of(v)->panels == 0);
        if (im.rgb) CHECKF(image_text(&im, (SDL_Rect){0, h / 2 - 3 * v->cx.fs, w, 6 * v->cx.fs}) > 300,
                           "%s: no notice", what);
        image_free(&im);
        viz_set_state(v, NULL);
        teardown(&s);
    }
    viz_close(v);
    snprintf(what, sizeof what, "view_saliency %dx%d", w, h);
    return test_done(what);
}

static int follow_test(void) {
    Setup s;
    CHECK(setup(&s, 0) == 0);
    if (test_failures) return test_done("view_saliency_follow");
    Viz *v = view_open(1024, 700);
    CHECK(viz_view_by_name("saliency") == VIZ_SALIENCY && strcmp(viz_view_name(VIZ_SALIENCY), "saliency") == 0);
    VizState st = state_for(&s, NULL, STAGE_ATTN);
    viz_set_state(v, &st);
    view_settle(v);
    CHECK(v->shown == VIZ_HEATMAP);
    /* a saliency made: followed; a move in the REPL: its stage again */
    st = state_for(&s, &s.r, STAGE_ATTN);
    viz_set_state(v, &st);
    view_settle(v);
    CHECK(v->shown == VIZ_SALIENCY);
    st.pos.layer = 1;
    viz_set_state(v, &st);
    view_settle(v);
    CHECK(v->shown == VIZ_HEATMAP);
    /* its key */
    view_push_key(SDLK_g);
    view_settle(v);
    CHECK(v->shown == VIZ_SALIENCY && v->pinned == VIZ_SALIENCY);
    Image im;
    view_shoot(v, "saliency-key-1024x700", &im);
    CHECK(sal_of(v)->panels == 3);
    image_free(&im);
    /* dropped with its model (saliency_forget): the stage again */
    view_push_key(SDLK_0);
    st.saliency = NULL;
    st.instrument = VIZ_FOLLOW;
    viz_set_state(v, &st);
    view_settle(v);
    CHECK(v->shown == VIZ_HEATMAP);
    viz_close(v);
    teardown(&s);
    return test_done("view_saliency_follow");
}

/* The view's words, its notice's, its tooltip's and the keys' help over
 * it, in pt and ru (viewcheck.c: no English left; proved on the English
 * frame), on the random model, whose words are VOCAB. */
static int language_test(void) {
    Setup s;
    CHECK(setup(&s, 0) == 0);
    if (test_failures) return test_done("view_saliency_language");
    /* the model's words, and the commands the notice tells the learner to type */
    static const char *const TYPED[] = {"saliency"};
    enum { NT = sizeof TYPED / sizeof TYPED[0] };
    const char *words[V + NT + 1];
    for (int i = 0; i < V; i++) words[i] = VOCAB[i];
    for (int i = 0; i < NT; i++) words[V + i] = TYPED[i];
    words[V + NT] = NULL;
    static const int SIZES[2][2] = {{1280, 800}, {800, 600}};
    for (int z = 0; z < 2; z++) {
        Viz *v = view_open(SIZES[z][0], SIZES[z][1]);
        VizState st = state_for(&s, &s.r, STAGE_ATTN);
        viz_set_state(v, &st);
        viz_select_view(v, VIZ_SALIENCY);
        char what[64];
        snprintf(what, sizeof what, "saliency-language-%dx%d", SIZES[z][0], SIZES[z][1]);
        view_check_language(v, what, words);
        st = state_for(&s, NULL, STAGE_ATTN);
        viz_set_state(v, &st);
        snprintf(what, sizeof what, "saliency-none-language-%dx%d", SIZES[z][0], SIZES[z][1]);
        view_check_language(v, what, words);
        viz_set_state(v, NULL);
        viz_close(v);
    }
    teardown(&s);
    return test_done("view_saliency_language");
}

int main(int argc, char **argv) {
    if (argc >= 2 && strcmp(argv[1], "language") == 0) return language_test();
    if (argc >= 2 && strcmp(argv[1], "follow") == 0) return follow_test();
    if (argc < 4 || strcmp(argv[1], "saliency") != 0) {
        fprintf(stderr, "usage: %s saliency W H | follow | language\n", argv[0]);
        return 2;
    }
    return view_test(atoi(argv[2]), atoi(argv[3]));
}
