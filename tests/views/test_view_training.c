/* Screenshot tests of the training view (SDL_VIDEODRIVER=dummy) and of
 * `bertology plot`, on a synthetic run directory whose loss falls, rises
 * for a few steps and falls again, so that the picture can be checked
 * against the log: the curve must go down on screen where the logged loss
 * goes down and up where it goes up.
 *   test_view_training training W H   the view at W×H (given log, found
 *                              beside a model, a checkpoint inside a run,
 *                              no log, a broken log; keys; hover)
 *   test_view_training plot    cli_plot end to end
 *   test_view_training cli ... cli_plot with these arguments (not a test)
 * BT_VIEW_PNG_DIR=dir keeps a copy of every picture; BT_TRAIN_RUN=dir
 * also draws that run directory (read only). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "../unit/testutil.h"
#include "bertology/cli.h"
#include "image.h"
#include "viewcheck.h"
#include "bertology/checkpoints.h"
#include "viz/view_training.h"
#include "viz/viz_internal.h"

static const unsigned char LOSS[3] = {255, 196, 61};
static const unsigned char TOP1[3] = {106, 190, 90};

enum { NROWS = 60, NEVAL = 6 };

static double synth_loss(int i) {
    /* falls from 8 towards 3, with a rise of about 1 between rows 30 and 35 */
    double base = 3 + 5 * exp(-i / 15.0);
    if (i > 30 && i <= 35) base += 0.25 * (i - 30);
    else if (i > 35 && i <= 40) base += 0.25 * (40 - i);
    return base;
}

static double synth_tokens(int i) { return 1e4 * pow(10, 3.0 * i / (NROWS - 1)); }

static void put(const char *path, const char *text) {
    FILE *f = fopen(path, "w");
    if (!f) {
        perror(path);
        exit(2);
    }
    fputs(text, f);
    fclose(f);
}

/* A run directory like `bertology train` leaves: logs and kept checkpoints. */
static const char *synth_run(void) {
    static char dir[600];
    if (dir[0]) return dir;
    snprintf(dir, sizeof dir, "%s/run", test_tmpdir());
    mkdir(dir, 0755);
    char path[800];
    snprintf(path, sizeof path, "%s/train.log", dir);
    FILE *f = fopen(path, "w");
    fprintf(f, "step\ttokens\telapsed_s\tloss\tmlm_loss\tnsp_loss\tmlm_acc\tnsp_acc\tlr\tgrad_norm\ttok_per_s\n");
    for (int i = 0; i < NROWS; i++) {
        double loss = synth_loss(i), nsp = 0.3 + 0.4 * exp(-i / 10.0), lr = i < 6 ? 1e-3 * (i + 1) / 6 : 1e-3 * (NROWS - i) / (NROWS - 6);
        fprintf(f, "%d\t%.0f\t%.1f\t%.4f\t%.4f\t%.4f\t%.4f\t%.4f\t%.6g\t%.3f\t%.0f\n", 10 * (i + 1), synth_tokens(i),
                12.5 * (i + 1), loss, loss - nsp, nsp, 0.05 + 0.3 * i / NROWS, 0.5 + 0.35 * i / NROWS, lr, 2.0, 2000.0);
    }
    fclose(f);
    snprintf(path, sizeof path, "%s/eval.log", dir);
    f = fopen(path, "w");
    fprintf(f, "step\ttokens\tmlm_loss\tmask_top1\tmask_top5\tchosen_top1\tchosen_top5\tbase_top1\tbase_top5\tnsp_acc\n");
    for (int k = 0; k < NEVAL; k++) {
        int i = 9 + 10 * k;
        fprintf(f, "%d\t%.0f\t%.4f\t%.4f\t%.4f\t%.4f\t%.4f\t0.0450\t0.1900\t%.4f\n", 10 * (i + 1), synth_tokens(i),
                synth_loss(i) - 0.2, 0.05 + 0.07 * k, 0.2 + 0.08 * k, 0.06 + 0.07 * k, 0.22 + 0.08 * k, 0.5 + 0.07 * k);
    }
    fclose(f);
    static const int ckpt[] = {0, 100, 300};
    for (int i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "%s/step-%d", dir, ckpt[i]);
        mkdir(path, 0755);
    }
    snprintf(path, sizeof path, "%s/latest", dir);
    mkdir(path, 0755);
    return dir;
}

static VizTrainView *train_of(Viz *v) { return viz_view_state(v, VIZ_TRAINING); }

/* What the REPL does for the window: reads the run of the model in dir
 * and hands it over with the model. */
static void show_model(Viz *v, VizState *st, BertModel *m, RunLog *run, const char *dir) {
    runlog_free(run);
    m->dir = (char *)dir;
    runlog_read(run, dir);
    memset(st, 0, sizeof *st);
    st->model = m;
    st->run = run;
    viz_set_state(v, st);
}

static double px_of(const VizTrainView *tv, SDL_Rect r, double tokens) {
    return r.x + (log10(tokens) - tv->x_lo) / (tv->x_hi - tv->x_lo) * r.w;
}

/* Median row of the pixels of colour c in column x of r (a dashed line
 * of the same colour elsewhere in the column is outvoted); NAN if none. */
static double curve_y(const Image *im, SDL_Rect r, int x, const unsigned char c[3]) {
    int ys[4096], n = 0;
    for (int y = r.y + 1; y < r.y + r.h - 1 && n < 4096; y++)
        if (image_near(im, (SDL_Rect){x, y, 1, 1}, c, 12)) ys[n++] = y;
    return n ? 0.5 * (ys[(n - 1) / 2] + ys[n / 2]) : NAN;
}

/* The synthetic run's curves, read back from the picture. */
static void check_curves(Viz *v, const Image *im, const char *what) {
    const VizTrainView *tv = train_of(v);
    SDL_Rect lr = tv->loss_rect, ar = tv->acc_rect;
    CHECKF(lr.w > 100 && lr.h > 60 && ar.w == lr.w && ar.h > 40 && ar.y > lr.y + lr.h, "%s: plots %dx%d, %dx%d",
           what, lr.w, lr.h, ar.w, ar.h);
    if (lr.w <= 100 || !im->rgb) return;
    double found[NROWS], want[NROWS];
    int near = 0, seen = 0;
    for (int i = 0; i < NROWS; i++) {
        int x = (int)floor(px_of(tv, lr, synth_tokens(i)));
        want[i] = lr.y + lr.h - (synth_loss(i) - tv->loss_lo) / (tv->loss_hi - tv->loss_lo) * lr.h;
        found[i] = x > lr.x + 1 && x < lr.x + lr.w - 1 ? curve_y(im, lr, x, LOSS) : NAN;
        if (isfinite(found[i])) {
            seen++;
            near += fabs(found[i] - want[i]) <= 4;
        }
    }
    CHECKF(seen >= NROWS - 2, "%s: the loss curve crosses only %d of %d logged columns", what, seen, NROWS);
    CHECKF(near >= seen - 2, "%s: the loss curve is off the logged loss in %d of %d columns", what, seen - near, seen);
    /* Down on screen where the loss goes down, up where it goes up. */
    int agree = 0, pairs = 0, rises = 0;
    for (int i = 0; i + 1 < NROWS; i++) {
        if (!isfinite(found[i]) || !isfinite(found[i + 1]) || fabs(want[i + 1] - want[i]) < 3) continue;
        double dl = synth_loss(i + 1) - synth_loss(i), dy = found[i + 1] - found[i];
        pairs++;
        agree += (dl < 0 && dy > 0) || (dl > 0 && dy < 0);
        rises += dl > 0 && dy < 0;
    }
    CHECKF(pairs >= 15 && agree == pairs, "%s: the curve moves against the log in %d of %d steps", what,
           pairs - agree, pairs);
    CHECKF(rises >= 3, "%s: the rise in the loss shows in %d steps", what, rises);
    CHECKF(found[0] < found[NROWS - 1] - lr.h / 3.0, "%s: the curve does not fall overall (row %.1f to %.1f)", what,
           found[0], found[NROWS - 1]);

    /* Held-out [MASK] top-1 rises from 5% to 40% in the lower plot. */
    int ok = 0;
    for (int k = 0; k < NEVAL; k++) {
        int x = (int)floor(px_of(tv, ar, synth_tokens(9 + 10 * k)));
        double y = curve_y(im, ar, x, TOP1), w = ar.y + ar.h - (5 + 7.0 * k) / 100 * ar.h;
        int hit = isfinite(y) && fabs(y - w) <= 6;
        if (!hit) fprintf(stderr, "%s: top-1 of evaluation %d at row %.1f, want %.1f\n", what, k, y, w);
        ok += hit;
    }
    CHECKF(ok >= NEVAL - 1, "%s: top-1 found at %d of %d evaluations", what, ok, NEVAL);
    /* The 4.5% baseline: a dashed line, about half a row of its colour. */
    int by = (int)lround(ar.y + ar.h - 4.5 / 100 * ar.h), dash = 0;
    for (int dy = -1; dy <= 1; dy++) dash += image_near(im, (SDL_Rect){ar.x, by + dy, ar.w, 1}, TOP1, 12);
    CHECKF(dash > ar.w / 4, "%s: baseline row has %d pixels of its colour", what, dash);

    /* Labels: loss ticks left of the upper plot, token ticks under the
     * lower one, the summary above. */
    int fs = v->cx.fs;
    CHECKF(image_text(im, (SDL_Rect){lr.x - 6 * fs, lr.y, 6 * fs, lr.h}) > 150, "%s: no loss ticks", what);
    CHECKF(image_text(im, (SDL_Rect){ar.x - 6 * fs, ar.y, 6 * fs, ar.h}) > 150, "%s: no accuracy ticks", what);
    CHECKF(image_text(im, (SDL_Rect){ar.x, ar.y + ar.h + 1, ar.w, 3 * fs}) > 200, "%s: no token ticks", what);
    int bar = fs * 2 + v->cx.pad / 2;
    CHECKF(image_text(im, (SDL_Rect){0, bar, im->w, fs * 2}) > 300, "%s: no summary", what);
    int ticks_x = 0, legend = 0;
    for (int i = 0; i < v->cx.nlabels; i++) {
        SDL_Rect r = v->cx.labels[i].rect;
        ticks_x += r.y >= ar.y + ar.h && r.y < ar.y + ar.h + 2 * fs;
        legend += r.y + r.h <= lr.y && r.y > bar;
    }
    CHECKF(ticks_x >= 3, "%s: %d tick labels on the token axis", what, ticks_x);
    CHECKF(legend >= 5, "%s: %d labels above the loss plot (legend, checkpoints)", what, legend);
}

/* Hovering names the logged step under the pointer. */
static void hover_check(Viz *v, int w, int h) {
    char what[64];
    snprintf(what, sizeof what, "training-hover-%dx%d", w, h);
    v->cx.mx = train_of(v)->loss_rect.x + train_of(v)->loss_rect.w / 2;
    v->cx.my = train_of(v)->loss_rect.y + train_of(v)->loss_rect.h / 2;
    v->cx.mouse_in = 1;
    Image im;
    view_shoot(v, what, &im);
    CHECKF(v->cx.ntip >= 3 && strstr(v->cx.tip[0], "step ") && strstr(v->cx.tip[1], "loss "), "%s: hover tip: %s",
           what, v->cx.ntip ? v->cx.tip[0] : "(none)");
    image_free(&im);
    v->cx.mouse_in = 0;
}

static int view_test(int w, int h) {
    Viz *v = view_open(w, h);
    const char *run = synth_run();
    char what[128];
    Image im;
    BtError err = {""};

    /* 1. A log handed over (as `bertology plot` does). */
    TrainLog log;
    CHECKF(trainlog_load(&log, run, &err) == 0, "%s", err.msg);
    RunLog given;
    runlog_take(&given, &log);
    VizState st;
    memset(&st, 0, sizeof st);
    st.run = &given;
    viz_set_state(v, &st);
    viz_select_view(v, VIZ_TRAINING);
    snprintf(what, sizeof what, "training-log-%dx%d", w, h);
    view_shoot(v, what, &im);
    view_common_checks(v, &im, w, h, what);
    check_curves(v, &im, what);
    CHECKF(strcmp(given.source, run) == 0, "%s: source %s", what, given.source);
    image_free(&im);
    hover_check(v, w, h);

    /* 2. Found beside the model's weights, as in the REPL. */
    BertModel m;
    memset(&m, 0, sizeof m);
    RunLog rl;
    memset(&rl, 0, sizeof rl);
    show_model(v, &st, &m, &rl, run);
    snprintf(what, sizeof what, "training-model-%dx%d", w, h);
    view_shoot(v, what, &im);
    view_common_checks(v, &im, w, h, what);
    check_curves(v, &im, what);
    CHECK(rl.status == 0 && rl.model_step == -1 && strcmp(rl.source, run) == 0);
    image_free(&im);

    /* 3. A checkpoint inside the run: the run's logs, that checkpoint marked. */
    char ck[700];
    snprintf(ck, sizeof ck, "%s/step-100", run);
    show_model(v, &st, &m, &rl, ck);
    snprintf(what, sizeof what, "training-checkpoint-%dx%d", w, h);
    view_shoot(v, what, &im);
    view_common_checks(v, &im, w, h, what);
    CHECKF(rl.model_step == 100, "%s: model step %ld", what, rl.model_step);
    CHECKF(strcmp(rl.source, run) == 0, "%s: source %s", what, rl.source);
    /* Its marker is drawn in the accent colour, dashed down the plot. */
    SDL_Rect lr = train_of(v)->loss_rect;
    int mx = (int)px_of(train_of(v), lr, trainlog_tokens_at(&given.log, 100)), most = 0;
    for (int x = mx - 1; x <= mx + 1 && im.rgb; x++) {
        int n = (int)image_near(&im, (SDL_Rect){x, lr.y, 1, lr.h}, LOSS, 8);
        if (n > most) most = n;
    }
    CHECKF(most > lr.h / 3, "%s: the checkpoint on show is not marked (%d pixels)", what, most);
    image_free(&im);
    /* The trainer's latest/ is the run's too, with no step marked. */
    snprintf(ck, sizeof ck, "%s/latest/", run);
    RunLog latest;
    runlog_read(&latest, ck);
    CHECKF(latest.status == 0 && latest.model_step == CHECKPOINT_LATEST && strcmp(latest.source, run) == 0,
           "latest: status %d, step %ld, source %s", latest.status, latest.model_step, latest.source);
    runlog_free(&latest);

    /* 4. A model without logs says so, in the middle of the view. */
    show_model(v, &st, &m, &rl, test_tmpdir());
    snprintf(what, sizeof what, "training-nolog-%dx%d", w, h);
    view_shoot(v, what, &im);
    CHECK(train_of(v)->loss_rect.w == 0 && rl.status == 1);
    if (im.rgb) CHECKF(image_text(&im, (SDL_Rect){0, h / 3, w, h / 3}) > 300, "%s: no notice", what);
    image_free(&im);

    /* 5. A broken log: the notice names the file and line. */
    char bad[700], path[800];
    snprintf(bad, sizeof bad, "%s/broken", test_tmpdir());
    mkdir(bad, 0755);
    snprintf(path, sizeof path, "%s/train.log", bad);
    put(path, "step\ttokens\tloss\n10\t100\tfast\n");
    show_model(v, &st, &m, &rl, bad);
    snprintf(what, sizeof what, "training-broken-%dx%d", w, h);
    view_shoot(v, what, &im);
    CHECKF(rl.status == -1 && strstr(rl.msg, "train.log:2"), "%s: %s", what, rl.msg);
    if (im.rgb) CHECKF(image_text(&im, (SDL_Rect){0, h / 3, w, h / 3}) > 300, "%s: no notice", what);
    image_free(&im);

    /* 6. A log without elapsed_s: the time is unknown, not (long)NaN
     * (undefined behaviour, issue 17) in the summary and the tooltip. */
    char notime[700];
    snprintf(notime, sizeof notime, "%s/notime", test_tmpdir());
    mkdir(notime, 0755);
    snprintf(path, sizeof path, "%s/train.log", notime);
    put(path, "step\ttokens\tloss\tmlm_loss\tnsp_loss\n10\t1000\t9.0\t8.5\t0.5\n20\t2000\t8.0\t7.6\t0.4\n"
              "30\t3000\t7.5\t7.1\t0.4\n");
    show_model(v, &st, &m, &rl, notime);
    snprintf(what, sizeof what, "training-notime-%dx%d", w, h);
    view_shoot(v, what, &im);
    CHECKF(rl.status == 0, "%s: %s", what, rl.msg);
    image_free(&im);
    v->cx.mx = train_of(v)->loss_rect.x + train_of(v)->loss_rect.w / 2;
    v->cx.my = train_of(v)->loss_rect.y + train_of(v)->loss_rect.h / 2;
    v->cx.mouse_in = 1;
    view_shoot(v, what, &im);
    CHECKF(v->cx.ntip >= 1 && strstr(v->cx.tip[0], "time unknown"), "%s: hover tip: %s", what,
           v->cx.ntip ? v->cx.tip[0] : "(none)");
    image_free(&im);
    v->cx.mouse_in = 0;

    /* 7. A real run, if one is named (read only). */
    const char *real = getenv("BT_TRAIN_RUN");
    if (real && *real) {
        show_model(v, &st, &m, &rl, real);
        snprintf(what, sizeof what, "training-real-%dx%d", w, h);
        view_shoot(v, what, &im);
        CHECKF(rl.status == 0, "%s: %s", what, rl.msg);
        view_common_checks(v, &im, w, h, what);
        image_free(&im);
    }
    viz_set_state(v, NULL);
    viz_close(v);
    runlog_free(&rl);
    runlog_free(&given);
    return test_done("view_training");
}

/* 8 picks the view, Tab reaches it after the predictions and wraps
 * (past the last view of the table). */
static int keys_test(void) {
    Viz *v = view_open(1024, 700);
    BertModel m;
    memset(&m, 0, sizeof m);
    RunLog rl;
    memset(&rl, 0, sizeof rl);
    VizState st;
    show_model(v, &st, &m, &rl, synth_run());
    st.pos.stage = STAGE_POS;
    viz_set_state(v, &st);
    view_settle(v);
    view_push_key(SDLK_8);
    view_settle(v);
    CHECK(v->pinned == VIZ_TRAINING && v->shown == VIZ_TRAINING && train_of(v)->loss_rect.w > 0);
    view_push_key(SDLK_TAB);
    view_settle(v);
    CHECK(v->shown == VIZ_COMPARE);
    for (int i = VIZ_COMPARE + 1; i < VIZ_VIEW_COUNT; i++) {
        view_push_key(SDLK_TAB);
        view_settle(v);
        CHECK(v->shown == (VizView)i);
    }
    view_push_key(SDLK_TAB);
    view_settle(v);
    CHECK(v->shown == VIZ_HEATMAP);
    view_push_key(SDLK_7);
    view_settle(v);
    view_push_key(SDLK_TAB);
    view_settle(v);
    CHECK(v->shown == VIZ_TRAINING);
    CHECK(viz_view_by_name("training") == VIZ_TRAINING && strcmp(viz_view_name(VIZ_TRAINING), "training") == 0);
    viz_close(v);
    runlog_free(&rl);
    return test_done("view_training_keys");
}

static int run_cli(int argc, const char *const *argv) {
    char *args[16];
    for (int i = 0; i < argc && i < 16; i++) args[i] = (char *)argv[i];
    return cli_plot(argc, args);
}

static int plot_test(void) {
    const char *run = synth_run();
    char out[700], path[800];
    snprintf(out, sizeof out, "%s/plot.png", test_tmpdir());
    int rc = run_cli(3, (const char *const[]){run, "--out", out});
    CHECKF(rc == 0, "plot: rc %d", rc);
    Image im;
    CHECKF(image_load(&im, out) == 0 && im.w == 1280 && im.h == 800, "plot: %d×%d", im.w, im.h);
    if (im.rgb) CHECKF(image_colours(&im, (SDL_Rect){0, 0, im.w, im.h}) > 40, "plot: blank");
    image_free(&im);
    rc = run_cli(7, (const char *const[]){run, "--out", out, "--width", "800", "--height", "600"});
    CHECKF(rc == 0 && image_load(&im, out) == 0 && im.w == 800 && im.h == 600, "plot 800×600: rc %d, %d×%d", rc,
           im.w, im.h);
    image_free(&im);
    const char *keep = getenv("BT_VIEW_PNG_DIR");
    if (keep && *keep) {
        snprintf(path, sizeof path, "%s/plot-800x600.png", keep);
        run_cli(7, (const char *const[]){run, "--out", path, "--width", "800", "--height", "600"});
    }
    /* Usage errors are 2, runs that cannot be drawn 1. */
    CHECK(run_cli(1, (const char *const[]){run}) == 2);
    CHECK(run_cli(3, (const char *const[]){"--out", out, run}) == 0);
    CHECK(run_cli(5, (const char *const[]){run, "--out", out, "--width", "100"}) == 2);
    CHECK(run_cli(5, (const char *const[]){run, "--out", out, "--height", "tall"}) == 2);
    CHECK(run_cli(4, (const char *const[]){run, "--out", out, "--bogus"}) == 2);
    CHECK(run_cli(4, (const char *const[]){run, run, "--out", out}) == 2);
    CHECK(run_cli(3, (const char *const[]){test_tmpdir(), "--out", out}) == 1);
    CHECK(run_cli(3, (const char *const[]){run, "--out", "/nonexistent/dir/x.png"}) == 1);
    CHECK(access("/nonexistent/dir/x.png", F_OK) != 0);
    /* The PNG goes to a temporary file renamed over the target (issue 17):
     * a link to /dev/full is refused and kept (it was deleted), so is a
     * directory; a link to a PNG is written through and stays a link; no
     * temporary file is left behind. */
    struct stat sb;
    char full[800], dir[800], via[800];
    snprintf(full, sizeof full, "%s/full.png", test_tmpdir());
    CHECK(symlink("/dev/full", full) == 0);
    CHECK(run_cli(3, (const char *const[]){run, "--out", full}) == 1);
    CHECKF(lstat(full, &sb) == 0 && S_ISLNK(sb.st_mode), "plot deleted the link %s", full);
    snprintf(dir, sizeof dir, "%s/dir.png", test_tmpdir());
    CHECK(mkdir(dir, 0755) == 0);
    CHECK(run_cli(3, (const char *const[]){run, "--out", dir}) == 1);
    CHECK(stat(dir, &sb) == 0 && S_ISDIR(sb.st_mode));
    snprintf(via, sizeof via, "%s/via.png", test_tmpdir());
    CHECK(symlink(out, via) == 0);
    CHECK(run_cli(7, (const char *const[]){run, "--out", via, "--width", "640", "--height", "480"}) == 0);
    CHECK(lstat(via, &sb) == 0 && S_ISLNK(sb.st_mode));
    CHECKF(image_load(&im, out) == 0 && im.w == 640 && im.h == 480, "plot through a link: %d×%d", im.w, im.h);
    image_free(&im);
    /* --out FILE.csv: the training view's table (train.log rows, eval.log
     * rows, checkpoints); FILE.svg: its plots; anything else is refused. */
    char csv[800], svg[800], txt[800];
    snprintf(csv, sizeof csv, "%s/run.csv", test_tmpdir());
    snprintf(svg, sizeof svg, "%s/run.svg", test_tmpdir());
    snprintf(txt, sizeof txt, "%s/run.npz", test_tmpdir());
    CHECK(run_cli(3, (const char *const[]){run, "--out", csv}) == 0);
    TrainLog log;
    BtError err;
    CHECK(trainlog_load(&log, run, &err) == 0);
    FILE *f = fopen(csv, "r");
    char line[4096];
    int train = 0, eval = 0, ckpt = 0, header = f && fgets(line, sizeof line, f) &&
                                           strncmp(line, "log,step,tokens,elapsed_s,loss,mlm_loss", 39) == 0;
    while (f && fgets(line, sizeof line, f)) {
        train += strncmp(line, "train,", 6) == 0;
        eval += strncmp(line, "eval,", 5) == 0;
        ckpt += strncmp(line, "checkpoint,", 11) == 0;
    }
    if (f) fclose(f);
    CHECKF(header && train == log.n_train && eval == log.n_eval && ckpt == log.n_ckpt,
           "plot csv: header %d, %d/%d train rows, %d/%d eval, %d/%d checkpoints", header, train, log.n_train, eval,
           log.n_eval, ckpt, log.n_ckpt);
    trainlog_free(&log);
    CHECK(run_cli(3, (const char *const[]){run, "--out", svg}) == 0);
    f = fopen(svg, "r");
    CHECK(f && fgets(line, sizeof line, f) && strstr(line, "<?xml") && fgets(line, sizeof line, f) && strstr(line, "<svg"));
    if (f) fclose(f);
    if (system("command -v xmllint >/dev/null 2>&1") == 0) {
        char cmd[900];
        snprintf(cmd, sizeof cmd, "xmllint --noout '%s'", svg);
        CHECKF(system(cmd) == 0, "plot svg: xmllint rejects %s", svg);
    }
    CHECK(run_cli(3, (const char *const[]){run, "--out", txt}) == 2);
    CHECK(access(txt, F_OK) != 0);
    CHECKF(test_temp_files() == 0, "%d temporary files left", test_temp_files());
    return test_done("plot");
}

int main(int argc, char **argv) {
    if (argc >= 2 && strcmp(argv[1], "cli") == 0) return cli_plot(argc - 2, argv + 2);
    if (argc >= 2 && strcmp(argv[1], "plot") == 0) return plot_test();
    if (argc >= 2 && strcmp(argv[1], "keys") == 0) return keys_test();
    if (argc < 4 || strcmp(argv[1], "training") != 0) {
        fprintf(stderr, "usage: %s training W H | keys | plot | cli ARGS...\n", argv[0]);
        return 2;
    }
    return view_test(atoi(argv[2]), atoi(argv[3]));
}
