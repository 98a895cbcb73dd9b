/* bertology plot: a training run's curves as a PNG, drawn by the window's
 * own training view so that the picture in the model card is the one a
 * learner sees in the window. */
#include "bertology/cli_plot.h"
#include "bertology/trainlog.h"
#include "bertology/viz.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int parse_size(const char *opt, const char *v, int lo, int *out) {
    char *end;
    long n = v ? strtol(v, &end, 10) : 0;
    if (!v || end == v || *end || n < lo || n > 8192) {
        fprintf(stderr, "bertology: %s takes a number of pixels from %d to 8192, not '%s'\n", opt, lo,
                v ? v : "");
        return -1;
    }
    *out = (int)n;
    return 0;
}

int cli_plot(int argc, char **argv) {
    const char *usage = "bertology plot RUN_DIR --out FILE.png [--width W] [--height H] [--font FILE]";
    const char *dir = NULL, *out = NULL, *font = NULL;
    int w = 1280, h = 800;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            printf("usage: %s\n  draws the loss and accuracy curves of a `bertology train` run directory"
                   " (train.log, eval.log, step-N/ checkpoints) as the window's training view does\n", usage);
            return 0;
        }
        /* the window's minimum size: the view is laid out for at least that */
        if (!strcmp(a, "--width")) {
            if (parse_size(a, v, 640, &w)) return 2;
            i++;
        } else if (!strcmp(a, "--height")) {
            if (parse_size(a, v, 480, &h)) return 2;
            i++;
        } else if (!strcmp(a, "--out") || !strcmp(a, "--font")) {
            if (!v) {
                fprintf(stderr, "bertology: %s needs a value; usage: %s\n", a, usage);
                return 2;
            }
            if (!strcmp(a, "--out")) out = v;
            else font = v;
            i++;
        } else if (a[0] == '-' || dir) {
            fprintf(stderr, "bertology: unexpected '%s'; usage: %s\n", a, usage);
            return 2;
        } else {
            dir = a;
        }
    }
    if (!dir || !out) {
        fprintf(stderr, "bertology: plot needs a run directory and --out FILE.png; usage: %s\n", usage);
        return 2;
    }
    TrainLog log;
    BtError err = {""};
    int rc = trainlog_load(&log, dir, &err);
    if (rc == 1) {
        fprintf(stderr, "bertology: %s has no train.log (plot reads the run directory given to `bertology train --out`)\n",
                dir);
        return 1;
    }
    if (rc < 0) {
        fprintf(stderr, "bertology: %s\n", err.msg);
        return 1;
    }
    if (log.n_train == 0) {
        fprintf(stderr, "bertology: %s/train.log has no steps yet\n", dir);
        trainlog_free(&log);
        return 1;
    }
    /* Off-screen: SDL's dummy video driver with the software renderer,
     * whatever display there may be. */
    setenv("SDL_VIDEODRIVER", "dummy", 1);
    Viz *v = NULL;
    VizOptions o = {w, h, font, 1};
    if (viz_open(&v, &o, &err)) {
        fprintf(stderr, "bertology: %s\n", err.msg);
        trainlog_free(&log);
        return 1;
    }
    RunLog run;
    runlog_take(&run, &log);
    VizState st;
    memset(&st, 0, sizeof st);
    st.run = &run;
    viz_set_state(v, &st);
    viz_select_view(v, VIZ_TRAINING);
    rc = viz_screenshot(v, out, &err);
    viz_close(v);
    if (rc)
        fprintf(stderr, "bertology: %s\n", err.msg);
    else
        printf("wrote %s: %d×%d, %d steps logged, %d held-out evaluations, %d checkpoints\n", out, w, h,
               run.log.n_train, run.log.n_eval, run.log.n_ckpt);
    runlog_free(&run);
    return rc ? 1 : 0;
}
