/* Screenshot tests of the what-if view (SDL_VIDEODRIVER=dummy): a
 * `whatif` of a sentence with a [MASK] (one token replaced) on a small
 * random model and on the shipped default model, drawn and read back.
 * Each cell of the layers × heads grid must be the colour of its mean TV
 * on the view's scale, each cell of the tokens × depths grid the colour
 * of its 1 − cosine; the replaced token's row must be brighter than
 * [CLS]'s at the embeddings; hovering names the head and its numbers.
 *   test_view_whatif whatif W H   the view at W×H, and its notice without a what-if
 *   test_view_whatif follow       the window follows a new what-if unless a view is pinned; `w` shows it
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
static int setup(Setup *s, int real) {
    memset(s, 0, sizeof *s);
    BtError err = {{0}};
    const char *text = "the cat sat on the [MASK] .";
    if (real) {
        char dir[4096];
        const char *root = getenv("BT_SOURCE_ROOT");
        snprintf(dir, sizeof dir, "%s/assets/models/default", root ? root : ".");
        if (model_load(&s->m, dir, &err) != 0) return 1;
    } else {
        BertConfig cfg = {V, 32, 6, 4, 64, 32, 2, 1e-12f, POS_ABSOLUTE};
        if (test_random_model(&s->m, &cfg, VOCAB, V)) return -1;
    }
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

static void teardown(Setup *s) {
    whatif_free(&s->w);
    pass_free(&s->a);
    pass_free(&s->b);
    model_free(&s->m);
}

static VizState state_for(const Setup *s, const WhatIf *w, Stage stage) {
    static unsigned gen;
    VizState st;
    memset(&st, 0, sizeof st);
    st.model = &s->m;
    st.trace = &s->a.tr;
    st.tokens = (const char *const *)s->a.tokens;
    st.pos = (StagePos){stage, 0, 0};
    st.top_k = 5;
    st.whatif = w;
    if (w) {
        st.instrument = VIZ_WHATIF;
        st.instrument_gen = ++gen;
    }
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

static void check_picture(Viz *v, const Image *im, const WhatIf *w, const char *what) {
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
        VizState st = state_for(&s, &s.w, STAGE_ATTN);
        viz_set_state(v, &st);
        viz_select_view(v, VIZ_WHATIF);
        Image im;
        snprintf(what, sizeof what, "whatif-%s-%dx%d", name, w, h);
        view_shoot(v, what, &im);
        CHECK(v->shown == VIZ_WHATIF);
        view_common_checks(v, &im, w, h, what);
        check_picture(v, &im, &s.w, what);
        image_free(&im);

        /* hovering the most changed head names it and its numbers */
        int l, hd;
        whatif_most_changed(&s.w, &l, &hd);
        SDL_Rect g = view_of(v)->attn;
        v->cx.mx = g.x + hd * (g.w / s.w.nh) + g.w / s.w.nh / 2;
        v->cx.my = g.y + l * (g.h / s.w.L) + g.h / s.w.L / 2;
        v->cx.mouse_in = 1;
        viz_frame_draw(v);
        char head[32];
        snprintf(head, sizeof head, "head %d.%d", l, hd);
        CHECKF(v->cx.ntip >= 2 && strstr(v->cx.tip[0], head) && strstr(v->cx.tip[1], "query"), "%s: tip %s / %s",
               what, v->cx.ntip ? v->cx.tip[0] : "(none)", v->cx.ntip > 1 ? v->cx.tip[1] : "");
        /* and a cosine cell its pair and depth */
        g = view_of(v)->cos;
        v->cx.mx = g.x + g.w / (s.w.L + 1) / 2;
        v->cx.my = g.y + 2 * (g.h / s.w.npairs) + g.h / s.w.npairs / 2;
        viz_frame_draw(v);
        CHECKF(v->cx.ntip >= 2 && strstr(v->cx.tip[0], "A2") && strstr(v->cx.tip[1], "cosine"), "%s: tip %s / %s",
               what, v->cx.ntip ? v->cx.tip[0] : "(none)", v->cx.ntip > 1 ? v->cx.tip[1] : "");
        v->cx.mouse_in = 0;

        /* no what-if: a notice that says how to make one */
        st = state_for(&s, NULL, STAGE_ATTN);
        viz_set_state(v, &st);
        snprintf(what, sizeof what, "whatif-%s-none-%dx%d", name, w, h);
        view_shoot(v, what, &im);
        CHECK(view_of(v)->drawn == 0);
        if (im.rgb)
            CHECKF(image_text(&im, (SDL_Rect){0, h / 2 - 3 * v->cx.fs, w, 6 * v->cx.fs}) > 300, "%s: no notice", what);
        image_free(&im);
        viz_set_state(v, NULL);
        teardown(&s);
    }
    viz_close(v);
    snprintf(what, sizeof what, "view_whatif %dx%d", w, h);
    return test_done(what);
}

static int follow_test(void) {
    Setup s;
    CHECK(setup(&s, 0) == 0);
    if (test_failures) return test_done("view_whatif_follow");
    Viz *v = view_open(1024, 700);
    CHECK(viz_view_by_name("whatif") == VIZ_WHATIF && strcmp(viz_view_name(VIZ_WHATIF), "whatif") == 0);
    VizState st = state_for(&s, NULL, STAGE_ATTN);
    viz_set_state(v, &st);
    view_settle(v);
    CHECK(v->shown == VIZ_HEATMAP);
    /* a what-if made: followed; a move in the REPL: its stage again */
    st = state_for(&s, &s.w, STAGE_ATTN);
    viz_set_state(v, &st);
    view_settle(v);
    CHECK(v->shown == VIZ_WHATIF);
    st.pos.layer = 1;
    viz_set_state(v, &st);
    view_settle(v);
    CHECK(v->shown == VIZ_HEATMAP);
    /* its key */
    view_push_key(SDLK_w);
    view_settle(v);
    CHECK(v->shown == VIZ_WHATIF && v->pinned == VIZ_WHATIF);
    /* `whatif off` (no what-if, no instrument): the notice while pinned, the stage when following */
    view_push_key(SDLK_0);
    st.whatif = NULL;
    st.instrument = VIZ_FOLLOW;
    viz_set_state(v, &st);
    view_settle(v);
    CHECK(v->shown == VIZ_HEATMAP);
    viz_close(v);
    teardown(&s);
    return test_done("view_whatif_follow");
}

/* The view's words, its notice's, its tooltip's and the keys' help over
 * it, in pt and ru (viewcheck.c: no English left; proved on the English
 * frame), on the random model, whose words are VOCAB. */
static int language_test(void) {
    Setup s;
    CHECK(setup(&s, 0) == 0);
    if (test_failures) return test_done("view_whatif_language");
    /* run B's line is the REPL's, made in the language of its day: here one without words */
    free(s.w.how);
    s.w.how = strdup("2 'cat' → 'dog'");
    /* the model's words, and the commands the notice tells the learner to type */
    static const char *const TYPED[] = {"whatif", "corrupt", "dog"};
    enum { NT = sizeof TYPED / sizeof TYPED[0] };
    const char *words[V + NT + 1];
    for (int i = 0; i < V; i++) words[i] = VOCAB[i];
    for (int i = 0; i < NT; i++) words[V + i] = TYPED[i];
    words[V + NT] = NULL;
    static const int SIZES[2][2] = {{1280, 800}, {800, 600}};
    for (int z = 0; z < 2; z++) {
        Viz *v = view_open(SIZES[z][0], SIZES[z][1]);
        VizState st = state_for(&s, &s.w, STAGE_ATTN);
        viz_set_state(v, &st);
        viz_select_view(v, VIZ_WHATIF);
        char what[64];
        snprintf(what, sizeof what, "whatif-language-%dx%d", SIZES[z][0], SIZES[z][1]);
        view_check_language(v, what, words);
        st = state_for(&s, NULL, STAGE_ATTN);
        viz_set_state(v, &st);
        snprintf(what, sizeof what, "whatif-none-language-%dx%d", SIZES[z][0], SIZES[z][1]);
        view_check_language(v, what, words);
        viz_set_state(v, NULL);
        viz_close(v);
    }
    teardown(&s);
    return test_done("view_whatif_language");
}

int main(int argc, char **argv) {
    if (argc >= 2 && strcmp(argv[1], "language") == 0) return language_test();
    if (argc >= 2 && strcmp(argv[1], "follow") == 0) return follow_test();
    if (argc < 4 || strcmp(argv[1], "whatif") != 0) {
        fprintf(stderr, "usage: %s whatif W H | follow | language\n", argv[0]);
        return 2;
    }
    return view_test(atoi(argv[2]), atoi(argv[3]));
}
