/* bertology plot: a training run's curves as a PNG, drawn by the window's
 * own training view so that the picture in the model card is the one a
 * learner sees in the window. */
#include "bertology/cli.h"
#include "bertology/trainlog.h"
#include "bertology/viz.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int cli_plot(int argc, char **argv) {
    const char *out = NULL, *font = NULL;
    int w = 1280, h = 800;
    /* at least the window's minimum size: the view is laid out for that */
    const Opt opts[] = {
        {"out", OPT_STR, &out, N_("the file to write: .png, the picture; .csv, the numbers; .svg, the picture as SVG"),
         .arg = "FILE", .required = 1},
        {"width", OPT_INT, &w, N_("pixels"), .arg = "W", .lo = 640, .hi = 8192},
        {"height", OPT_INT, &h, N_("pixels"), .arg = "H", .lo = 480, .hi = 8192},
        {"font", OPT_STR, &font, N_("a TrueType font instead of the one fontconfig finds"), .arg = "FILE"},
    };
    const CliSpec spec = {"plot", opts, CLI_N(opts), .args = "RUN_DIR", .min_args = 1, .max_args = 1,
                          .missing = N_("plot needs a run directory (the --out of `bertology train`)"),
                          .about = N_("Draws the loss and accuracy curves of a `bertology train` run directory (train.log, "
                                   "eval.log,\nstep-N/ checkpoints) as the window's training view does.")};
    int n = cli_parse(&spec, argc, argv);
    if (n < 0) return cli_status(n);
    const char *dir = argv[0];
    /* .png: the window's picture; else a format of the one table (no .npz: there is no pass) */
    size_t len = strlen(out);
    int png = len > 4 && strcasecmp(out + len - 4, ".png") == 0;
    BtError ferr;
    const ExportFormat *fmt = png ? NULL : export_format_for(out, &ferr);
    if (!png && (!fmt || !fmt->of_view)) {
        fprintf(stderr, _("bertology: plot writes FILE.png, FILE.csv or FILE.svg, not %s\n"), out);
        return 2;
    }
    TrainLog log;
    BtError err = {""};
    int rc = trainlog_load(&log, dir, &err);
    if (rc == 1) {
        fprintf(stderr, _("bertology: %s has no train.log (plot reads the run directory given to `bertology train --out`)\n"),
                dir);
        return 1;
    }
    if (rc < 0) {
        fprintf(stderr, "bertology: %s\n", err.msg);
        return 1;
    }
    if (log.n_train == 0) {
        fprintf(stderr, _("bertology: %s/train.log has no steps yet\n"), dir);
        trainlog_free(&log);
        return 1;
    }
    if (fmt) {
        /* the numbers (or the SVG) of the training view, from its figure */
        RunLog run;
        runlog_take(&run, &log);
        VizState st;
        memset(&st, 0, sizeof st);
        st.run = &run;
        FigParams fp;
        fig_params_follow(&fp, &st);
        rc = cli_export_view(fmt, out, VIZ_TRAINING, &st, &fp, 0);
        runlog_free(&run);
        return rc;
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
        printf(_("wrote %s: %d×%d, %d steps logged, %d held-out evaluations, %d checkpoints\n"), out, w, h,
               run.log.n_train, run.log.n_eval, run.log.n_ckpt);
    runlog_free(&run);
    return rc ? 1 : 0;
}
