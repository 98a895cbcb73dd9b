/* Screenshot tests of the scan view (SDL_VIDEODRIVER=dummy): `scan` of a
 * sentence with a [MASK] on a small random model and on the shipped
 * default model, drawn and read back. Each cell of the word's grid must
 * be the colour of its Δ log p on the view's blue–red scale (the sign at
 * least: blue where the knock-out cost, red where it helped), the most
 * needed head framed, a head knocked out already crossed out, hovering
 * a cell must name it and its numbers.
 *   test_view_scan scan W H   the view at W×H, and its notice without a scan
 *   test_view_scan follow     the window follows a new scan unless a view is pinned; `k` shows it
 * (both driven by viewcheck.c's view_case_test and view_case_follow)
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
#include "sentencecase.h"
#include "viewcheck.h"
#include "bertology/colormap.h"
#include "viz/view_scan.h"
#include "viz/viz_internal.h"

static const char *VOCAB[] = {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "bank", "of", "river",
                              "raised", "its", "rates", "a", "cat", "sat", "on", "mat", "##s", "money", "."};
enum { V = sizeof VOCAB / sizeof VOCAB[0] };
static const unsigned char ACCENT[3] = {255, 196, 61};

typedef struct {
    ViewSentence vs;
    ScanResult r, r2;   /* r2: another scan, for following */
} Setup;

/* One head out already, so that the grid shows it crossed out. */
static const PassOptions ABLATED = {.mlm = 1, .ablate = {.n = 1, .ko = {{.layer = 1, .head = 2, .kind = KO_HEAD_ZERO}}}};

static int make(void *data, BtError *err) {
    Setup *s = data;
    if (scan_run(&s->vs.m, &s->vs.p.tr, 6, -1, KO_HEAD_ZERO, &s->r, err) != 0 ||
        scan_run(&s->vs.m, &s->vs.p.tr, 6, -1, KO_HEAD_MEAN, &s->r2, err) != 0)
        return -1;
    s->r.text = strdup(VIEW_SENTENCE);
    return 0;
}

static void drop(void *data) {
    Setup *s = data;
    scan_free(&s->r);
    scan_free(&s->r2);
}

/* The REPL's state; with a scan (which 1: heads zeroed, 2: heads set to
 * their mean), just after a `scan` made it: the window's instrument is
 * the scan view, with a generation of its own (as cmd_scan sets it). */
static VizState state_for(void *data, int which, Stage stage) {
    const Setup *s = data;
    VizState st = view_state(&s->vs.m, &s->vs.p, stage, which ? VIZ_SCAN : VIZ_FOLLOW);
    st.scan = which == 1 ? &s->r : which == 2 ? &s->r2 : NULL;
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

static void check_cells(Viz *v, const Image *im, void *data, const char *what) {
    const ScanResult *r = &((Setup *)data)->r;
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
            right += view_pixel_is(px, want, "%s: cell %d.%d (Δ %+.3f)", what, l, h, d);
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
    view_grid_words(v, im, g, 100, "layer labels", 50, "head labels", what);
}

static int drawn(Viz *v) { return scan_of(v)->panels; }

/* Hovering the most needed head names it and its probabilities, the head
 * knocked out already says so; the title bar names the knock-outs. */
static void more(ViewRun *run, void *data) {
    Setup *s = data;
    Viz *v = run->v;
    int w = run->w;
    const char *what = view_run_what(run, "hover");
    Image im;
    int wl, wh, x, y, ox, oy;
    scan_worst(&s->r, 0, &wl, &wh);
    cell_points(scan_of(v)->grid[0], s->r.L, s->r.nh, wl, wh, &x, &y, &ox, &oy);
    v->cx.mx = x;
    v->cx.my = y;
    v->cx.mouse_in = 1;
    view_shoot(v, what, &im);
    char head[32];
    snprintf(head, sizeof head, "head %d.%d", wl, wh);
    CHECKF(v->cx.ntip >= 2 && strstr(v->cx.tip[0], head) && strstr(v->cx.tip[1], "Δ log p("), "%s: tip %s / %s", what,
           v->cx.ntip ? v->cx.tip[0] : "(none)", v->cx.ntip > 1 ? v->cx.tip[1] : "");
    image_free(&im);
    cell_points(scan_of(v)->grid[0], s->r.L, s->r.nh, 1, 2, &x, &y, &ox, &oy);
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
    s->vs.p.tr.ablate.n = 0;
    view_shoot(v, "scan-title-intact", &im);
    if (im.rgb) without = image_text(&im, (SDL_Rect){w / 3, 0, w - w / 3, bar});
    image_free(&im);
    s->vs.p.tr.ablate.n = 1;
    CHECKF(with > without + 100, "%s: the title does not name the knock-outs (%ld vs %ld text pixels)", what, with,
           without);
}

/* Pinned by `k` on the other scan (heads set to their mean). */
static void pinned(Viz *v, void *data, const char *what) {
    (void)data;
    CHECKF(scan_of(v)->panels == 2, "%s: %d panels", what, scan_of(v)->panels);
}

int main(int argc, char **argv) {
    static Setup s;
    /* the commands its notice tells the learner to type (kept as typed in pt and ru) */
    static const char *const TYPED[] = {"scan", NULL};
    const ViewCase c = {.id = VIZ_SCAN, .name = "scan", .key = SDLK_k, .stage = STAGE_ATTN, .data = &s,
                        .setup = view_sentence_setup, .teardown = view_sentence_teardown, .size = sizeof s,
                        .layers = 6, .pass_opts = &ABLATED, .make = make, .drop = drop, .state = state_for, .drawn = drawn,
                        .checks = check_cells, .more = more, .pinned = pinned,
                        .vocab = VOCAB, .nvocab = V, .typed = TYPED};
    return view_case_main(&c, argc, argv);
}
