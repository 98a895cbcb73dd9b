/* Screenshot tests of the scan view (SDL_VIDEODRIVER=dummy): `scan` of a
 * sentence with a [MASK] on a small random model and on the shipped
 * default model, drawn and read back. Each cell of the word's grid must
 * be the colour of its Δ log p on the view's blue–red scale (the sign at
 * least: blue where the knock-out cost, red where it helped), the most
 * needed head framed, a head knocked out already crossed out, hovering
 * a cell must name it and its numbers.
 *   test_view_scan scan W H   the view at W×H, and its notice without a scan
 *   test_view_scan follow     the window follows a new scan unless a view is pinned; `k` shows it
 * BT_VIEW_PNG_DIR=dir keeps a copy of every picture. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../unit/testmodel.h"
#include "../unit/testutil.h"
#include "bertology/pass.h"
#include "bertology/scan.h"
#include "image.h"
#include "viewcheck.h"
#include "bertology/colormap.h"
#include "viz/view_scan.h"
#include "viz/viz_internal.h"

static const char *VOCAB[] = {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "bank", "of", "river",
                              "raised", "its", "rates", "a", "cat", "sat", "on", "mat", "##s", "money", "."};
enum { V = sizeof VOCAB / sizeof VOCAB[0] };
static const unsigned char ACCENT[3] = {255, 196, 61};

typedef struct {
    BertModel m;
    Pass p;
    ScanResult r, r2;   /* r2: another scan, for following */
    int loaded;
} Setup;

/* A random model (6 layers of 4 heads), or the default model when real. */
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
        BertConfig cfg = {V, 32, 6, 4, 64, 32, 2, 1e-12f, POS_ABSOLUTE};
        if (test_random_model(&s->m, &cfg, VOCAB, V)) return -1;
    }
    /* one head out already, so that the grid shows it crossed out */
    PassOptions o = {.mlm = 1};
    o.ablate.n = 1;
    o.ablate.ko[0] = (Knockout){.layer = 1, .head = 2, .kind = KO_HEAD_ZERO};
    if (pass_run(&s->p, &s->m, text, &o, &err) != 0 ||
        scan_run(&s->m, &s->p.tr, 6, -1, KO_HEAD_ZERO, &s->r, &err) != 0 ||
        scan_run(&s->m, &s->p.tr, 6, -1, KO_HEAD_MEAN, &s->r2, &err) != 0) {
        fprintf(stderr, "scan: %s\n", err.msg);
        return -1;
    }
    s->r.text = strdup(text);
    return 0;
}

static void teardown(Setup *s) {
    scan_free(&s->r);
    scan_free(&s->r2);
    pass_free(&s->p);
    model_free(&s->m);
}

/* The REPL's state; with r, just after a `scan` made r: the window's
 * instrument is the scan view, with a generation of its own (as cmd_scan
 * sets it). */
static VizState state_for(const Setup *s, const ScanResult *r, Stage stage) {
    static unsigned gen;
    VizState st;
    memset(&st, 0, sizeof st);
    st.model = &s->m;
    st.trace = &s->p.tr;
    st.tokens = (const char *const *)s->p.tokens;
    st.pos = (StagePos){stage, 0, 0};
    st.top_k = 5;
    st.scan = r;
    if (r) {
        st.instrument = VIZ_SCAN;
        st.instrument_gen = ++gen;
    }
    return st;
}

static const VizScanView *scan_of(Viz *v) { return viz_view_state(v, VIZ_SCAN); }

/* The centre of cell (l, h) of a grid, and a point near the middle of
 * its top edge: off the number written in it and off the cross of a
 * head knocked out already. */
static void cell_points(SDL_Rect g, int L, int nh, int l, int h, int *cx, int *cy, int *ox, int *oy) {
    int cw = g.w / nh, ch = g.h / L;
    *cx = g.x + h * cw + cw / 2;
    *cy = g.y + l * ch + ch / 2;
    *ox = *cx;
    *oy = g.y + l * ch + ch / 8 + 2;
}

static void check_cells(Viz *v, const Image *im, const ScanResult *r, const char *what) {
    const VizScanView *sv = scan_of(v);
    CHECKF(sv->panels == 2, "%s: %d panels, want the word's and NSP's", what, sv->panels);
    CHECKF(v->cx.grid.used && v->cx.grid.rows == r->L && v->cx.grid.cols == r->nh, "%s: grid %d×%d", what,
           v->cx.grid.rows, v->cx.grid.cols);
    if (!im->rgb || sv->panels < 1) return;
    SDL_Rect g = sv->grid[0];
    double s = 0;
    for (int i = 0; i < r->L * r->nh; i++)
        if (isfinite(r->d_word[i]) && fabs(r->d_word[i]) > s) s = fabs(r->d_word[i]);
    int right = 0, blue = 0, red = 0, crossed = 0;
    for (int l = 0; l < r->L; l++)
        for (int h = 0; h < r->nh; h++) {
            int x, y, ox, oy;
            cell_points(g, r->L, r->nh, l, h, &x, &y, &ox, &oy);
            const unsigned char *px = image_at(im, ox, oy);
            double d = r->d_word[(size_t)l * r->nh + h];
            if (!isfinite(d)) {
                /* knocked out already: the panel's grey, not a colour of the scale */
                crossed += abs(px[0] - px[2]) < 20 && px[0] < 80;
                continue;
            }
            uint32_t want = cmap_rgba(CMAP_RDBU, (float)d, (float)-s, (float)s);
            int wr = want >> 24, wg = (want >> 16) & 255, wb = (want >> 8) & 255;
            int near = abs(px[0] - wr) <= 6 && abs(px[1] - wg) <= 6 && abs(px[2] - wb) <= 6;
            right += near;
            if (!near)
                fprintf(stderr, "%s: cell %d.%d (Δ %+.3f) is %d,%d,%d, want %d,%d,%d\n", what, l, h, d, px[0], px[1],
                        px[2], wr, wg, wb);
            if (d < -0.2 * s) blue += px[2] > px[0] + 30;
            if (d > 0.2 * s) red += px[0] > px[2] + 30;
        }
    int cells = r->L * r->nh - 1;
    CHECKF(right == cells, "%s: %d of %d cells in their colour", what, right, cells);
    int want_blue = 0, want_red = 0;
    for (int i = 0; i < r->L * r->nh; i++) {
        want_blue += isfinite(r->d_word[i]) && r->d_word[i] < -0.2 * s;
        want_red += isfinite(r->d_word[i]) && r->d_word[i] > 0.2 * s;
    }
    CHECKF(blue == want_blue && red == want_red, "%s: %d/%d blue and %d/%d red cells", what, blue, want_blue, red,
           want_red);
    CHECKF(want_blue > 0, "%s: no head's knock-out cost much: the picture tests little", what);
    CHECKF(crossed == 1, "%s: head 1.2, knocked out already, is not crossed out", what);
    /* the most needed head is framed in the accent colour */
    int wl, wh;
    scan_worst(r, 0, &wl, &wh);
    int cw = g.w / r->nh, ch = g.h / r->L;
    SDL_Rect frame = {g.x + wh * cw - 2, g.y + wl * ch - 2, cw + 4, ch + 4};
    CHECKF(image_near(im, frame, ACCENT, 10) > cw, "%s: the most needed head %d.%d is not framed", what, wl, wh);
    /* the words around: labels left of and above the grid, the header */
    int fs = v->cx.fs;
    CHECKF(image_text(im, (SDL_Rect){g.x - 6 * fs, g.y, 6 * fs, g.h}) > 100, "%s: no layer labels", what);
    CHECKF(image_text(im, (SDL_Rect){g.x, g.y - 2 * fs, g.w, 2 * fs}) > 50, "%s: no head labels", what);
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
        viz_select_view(v, VIZ_SCAN);
        Image im;
        snprintf(what, sizeof what, "scan-%s-%dx%d", name, w, h);
        view_shoot(v, what, &im);
        CHECK(v->shown == VIZ_SCAN);
        view_common_checks(v, &im, w, h, what);
        check_cells(v, &im, &s.r, what);
        image_free(&im);

        /* hovering the most needed head names it and its probabilities */
        int wl, wh, x, y, ox, oy;
        scan_worst(&s.r, 0, &wl, &wh);
        cell_points(scan_of(v)->grid[0], s.r.L, s.r.nh, wl, wh, &x, &y, &ox, &oy);
        v->cx.mx = x;
        v->cx.my = y;
        v->cx.mouse_in = 1;
        snprintf(what, sizeof what, "scan-%s-hover-%dx%d", name, w, h);
        view_shoot(v, what, &im);
        char head[32];
        snprintf(head, sizeof head, "head %d.%d", wl, wh);
        CHECKF(v->cx.ntip >= 2 && strstr(v->cx.tip[0], head) && strstr(v->cx.tip[1], "Δ log p("), "%s: tip %s / %s",
               what, v->cx.ntip ? v->cx.tip[0] : "(none)", v->cx.ntip > 1 ? v->cx.tip[1] : "");
        image_free(&im);
        /* and the head knocked out already says so */
        cell_points(scan_of(v)->grid[0], s.r.L, s.r.nh, 1, 2, &x, &y, &ox, &oy);
        v->cx.mx = x;
        v->cx.my = y;
        viz_frame_draw(v);
        CHECKF(v->cx.ntip >= 2 && strstr(v->cx.tip[1], "already knocked out"), "%s: tip over 1.2: %s", what,
               v->cx.ntip > 1 ? v->cx.tip[1] : "(none)");
        v->cx.mouse_in = 0;

        /* the title bar says which knock-outs the run has: more text than without them */
        int bar = v->cx.fs * 2 + v->cx.pad / 2;
        long with = 0, without = 0;
        view_shoot(v, "scan-title", &im);
        if (im.rgb) with = image_text(&im, (SDL_Rect){w / 3, 0, w - w / 3, bar});
        image_free(&im);
        s.p.tr.ablate.n = 0;
        view_shoot(v, "scan-title-intact", &im);
        if (im.rgb) without = image_text(&im, (SDL_Rect){w / 3, 0, w - w / 3, bar});
        image_free(&im);
        s.p.tr.ablate.n = 1;
        CHECKF(with > without + 100, "%s: the title does not name the knock-outs (%ld vs %ld text pixels)", what, with,
               without);

        /* no scan yet: a notice that says how to make one */
        st = state_for(&s, NULL, STAGE_ATTN);
        viz_set_state(v, &st);
        snprintf(what, sizeof what, "scan-%s-none-%dx%d", name, w, h);
        view_shoot(v, what, &im);
        CHECK(scan_of(v)->panels == 0);
        if (im.rgb) CHECKF(image_text(&im, (SDL_Rect){0, h / 2 - 3 * v->cx.fs, w, 6 * v->cx.fs}) > 300,
                           "%s: no notice", what);
        image_free(&im);
        viz_set_state(v, NULL);
        teardown(&s);
    }
    viz_close(v);
    snprintf(what, sizeof what, "view_scan %dx%d", w, h);
    return test_done(what);
}

static int follow_test(void) {
    Setup s;
    CHECK(setup(&s, 0) == 0);
    if (test_failures) return test_done("view_scan_follow");
    Viz *v = view_open(1024, 700);
    CHECK(viz_view_by_name("scan") == VIZ_SCAN && strcmp(viz_view_name(VIZ_SCAN), "scan") == 0);
    VizState st = state_for(&s, NULL, STAGE_ATTN);
    viz_set_state(v, &st);
    view_settle(v);
    CHECK(v->shown == VIZ_HEATMAP);
    /* a scan made: followed, through other commands too; a move in the REPL: its stage again */
    st = state_for(&s, &s.r, STAGE_ATTN);
    viz_set_state(v, &st);
    view_settle(v);
    CHECK(v->shown == VIZ_SCAN);
    viz_set_state(v, &st);
    view_settle(v);
    CHECK(v->shown == VIZ_SCAN);
    st.pos.layer = 1;
    viz_set_state(v, &st);
    view_settle(v);
    CHECK(v->shown == VIZ_HEATMAP);
    /* a picked view stays through a new scan; 0 then follows it */
    view_push_key(SDLK_3);
    view_settle(v);
    st = state_for(&s, &s.r2, STAGE_ATTN);
    st.pos.layer = 1;
    viz_set_state(v, &st);
    view_settle(v);
    CHECK(v->shown == VIZ_HEAD_VIEW);
    view_push_key(SDLK_0);
    view_settle(v);
    CHECK(v->shown == VIZ_SCAN);
    /* its key */
    view_push_key(SDLK_1);
    view_settle(v);
    CHECK(v->shown == VIZ_HEATMAP);
    view_push_key(SDLK_k);
    view_settle(v);
    CHECK(v->shown == VIZ_SCAN && v->pinned == VIZ_SCAN);
    Image im;
    view_shoot(v, "scan-mean-1024x700", &im);
    CHECK(scan_of(v)->panels == 2);
    image_free(&im);
    /* followed again; then the instrument the REPL ran last wins (a
     * rollout after the scan), and a scan dropped with its model
     * (scan_forget: no instrument any more) gives the stage back */
    view_push_key(SDLK_0);
    st = state_for(&s, &s.r, STAGE_ATTN);
    st.pos.layer = 1;
    viz_set_state(v, &st);
    view_settle(v);
    CHECK(v->shown == VIZ_SCAN && v->pinned == VIZ_FOLLOW);
    st.instrument = VIZ_ROLLOUT;
    st.instrument_gen++;
    viz_set_state(v, &st);
    view_settle(v);
    CHECK(v->shown == VIZ_ROLLOUT);
    st = state_for(&s, &s.r, STAGE_ATTN);
    st.pos.layer = 1;
    viz_set_state(v, &st);
    view_settle(v);
    CHECK(v->shown == VIZ_SCAN);
    st.scan = NULL;
    st.instrument = VIZ_FOLLOW;
    viz_set_state(v, &st);
    view_settle(v);
    CHECK(v->shown == VIZ_HEATMAP);
    viz_close(v);
    teardown(&s);
    return test_done("view_scan_follow");
}

/* The view's words, its notice's, its tooltip's and the keys' help over
 * it, in pt and ru (viewcheck.c: no English left; proved on the English
 * frame), on the random model, whose words are VOCAB. */
static int language_test(void) {
    Setup s;
    CHECK(setup(&s, 0) == 0);
    if (test_failures) return test_done("view_scan_language");
    /* the model's words, and the commands the notice tells the learner to type */
    static const char *const TYPED[] = {"scan"};
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
        viz_select_view(v, VIZ_SCAN);
        char what[64];
        snprintf(what, sizeof what, "scan-language-%dx%d", SIZES[z][0], SIZES[z][1]);
        view_check_language(v, what, words);
        st = state_for(&s, NULL, STAGE_ATTN);
        viz_set_state(v, &st);
        snprintf(what, sizeof what, "scan-none-language-%dx%d", SIZES[z][0], SIZES[z][1]);
        view_check_language(v, what, words);
        viz_set_state(v, NULL);
        viz_close(v);
    }
    teardown(&s);
    return test_done("view_scan_language");
}

int main(int argc, char **argv) {
    if (argc >= 2 && strcmp(argv[1], "language") == 0) return language_test();
    if (argc >= 2 && strcmp(argv[1], "follow") == 0) return follow_test();
    if (argc < 4 || strcmp(argv[1], "scan") != 0) {
        fprintf(stderr, "usage: %s scan W H | follow | language\n", argv[0]);
        return 2;
    }
    return view_test(atoi(argv[2]), atoi(argv[3]));
}
