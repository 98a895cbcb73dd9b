/* The training view's numbers: the run's train.log rows, then its
 * eval.log rows, then the checkpoints it kept, in one table (the `log`
 * column says which); the losses, the accuracies and the learning rate
 * against the tokens seen, on a log axis. */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include "bertology/trainlog.h"
#include "fig_internal.h"

_Static_assert(sizeof(long) == sizeof(int64_t), "train.log steps are read as 64-bit ints");

enum {
    C_LOSS = FIG_ACCENT, C_MLM = 0x60a5faffu, C_NSP = 0xf28e2cffu, C_TOP1 = 0x6abe5affu, C_TOP5 = 0x17becfffu,
    C_LR = 0xa0a6b2aau, C_CKPT = 0xc8cdd778u,
};

/* The table's columns; train and eval rows share the ones both logs have. */
enum {
    COL_LOG, COL_STEP, COL_TOKENS, COL_ELAPSED, COL_LOSS, COL_MLM_LOSS, COL_NSP_LOSS, COL_MLM_ACC, COL_NSP_ACC, COL_LR,
    COL_GRAD, COL_TOKPS, COL_TOP1, COL_TOP5, COL_CHOSEN1, COL_CHOSEN5, COL_BASE1, COL_BASE5, COL_ON_SHOW, NCOLS
};
static const char *const NAMES[NCOLS] = {
    "log", "step", "tokens", "elapsed_s", "loss", "mlm_loss", "nsp_loss", "mlm_acc", "nsp_acc", "lr", "grad_norm",
    "tokens_per_s", "mask_top1", "mask_top5", "chosen_top1", "chosen_top5", "base_top1", "base_top5", "on_show",
};

static const struct {
    int col;
    size_t off;
} TRAIN[] = {
    {COL_TOKENS, offsetof(TrainRow, tokens)}, {COL_ELAPSED, offsetof(TrainRow, elapsed_s)},
    {COL_LOSS, offsetof(TrainRow, loss)}, {COL_MLM_LOSS, offsetof(TrainRow, mlm_loss)},
    {COL_NSP_LOSS, offsetof(TrainRow, nsp_loss)}, {COL_MLM_ACC, offsetof(TrainRow, mlm_acc)},
    {COL_NSP_ACC, offsetof(TrainRow, nsp_acc)}, {COL_LR, offsetof(TrainRow, lr)},
    {COL_GRAD, offsetof(TrainRow, grad_norm)}, {COL_TOKPS, offsetof(TrainRow, tok_per_s)},
}, EVAL[] = {
    {COL_TOKENS, offsetof(EvalRow, tokens)}, {COL_MLM_LOSS, offsetof(EvalRow, mlm_loss)},
    {COL_NSP_ACC, offsetof(EvalRow, nsp_acc)}, {COL_TOP1, offsetof(EvalRow, mask_top1)},
    {COL_TOP5, offsetof(EvalRow, mask_top5)}, {COL_CHOSEN1, offsetof(EvalRow, chosen_top1)},
    {COL_CHOSEN5, offsetof(EvalRow, chosen_top5)}, {COL_BASE1, offsetof(EvalRow, base_top1)},
    {COL_BASE5, offsetof(EvalRow, base_top5)},
};

static uint32_t faint(uint32_t c) { return (c & ~0xffu) | 90; }

static const char **repeat(Figure *f, const char *s, int n) {
    const char **v = fig_alloc(f, sizeof *v * (size_t)(n > 0 ? n : 1));
    for (int i = 0; v && i < n; i++) v[i] = s;
    return v;
}

static double max_col(const Figure *f, int col, int row0, int n, double m) {
    for (int i = 0; i < n; i++) {
        double v = fig_value(f, row0 + i, col);
        if (isfinite(v) && v > m) m = v;
    }
    return m;
}

/* The x range: every token count that will be drawn, a little beyond (log10). */
static void x_range(const TrainLog *log, double *lo, double *hi) {
    double a = INFINITY, b = -INFINITY;
    for (int i = 0; i < log->n_train; i++)
        if (log->train[i].tokens > 0) {
            if (log->train[i].tokens < a) a = log->train[i].tokens;
            if (log->train[i].tokens > b) b = log->train[i].tokens;
        }
    for (int i = 0; i < log->n_eval; i++)
        if (log->eval[i].tokens > 0) {
            if (log->eval[i].tokens < a) a = log->eval[i].tokens;
            if (log->eval[i].tokens > b) b = log->eval[i].tokens;
        }
    if (!(b > 0)) a = b = 1000;
    *lo = log10(a);
    *hi = log10(b);
    if (*hi - *lo < 0.3) {
        double mid = 0.5 * (*lo + *hi);
        *lo = mid - 0.15;
        *hi = mid + 0.15;
    }
    double m = 0.02 * (*hi - *lo);
    *lo -= m;
    *hi += m;
}

static FigSeries *line(Figure *f, FigPlot *pl, const char *name, int y_col, int row0, int n, uint32_t rgba,
                       float width, int legend) {
    FigSeries *s = fig_series(f, FIG_LINE, name, COL_TOKENS, y_col, row0, n);
    if (!s) return NULL;
    s->rgba = rgba;
    s->width = width;
    s->legend = legend;
    pl->nseries++;
    return s;
}

/* The checkpoints kept, as dashed lines across a plot (the one on show in the accent colour). */
static void checkpoints(Figure *f, FigPlot *pl, int row0, int n, int on_show, int legend) {
    if (n == 0) return;
    FigSeries *s = fig_series(f, FIG_VLINES, legend ? _("checkpoint kept") : NULL, COL_TOKENS, -1, row0, n);
    if (!s) return;
    s->rgba = C_CKPT;
    s->dash = 4;
    s->legend = legend;
    pl->nseries++;
    if (on_show < 0) return;
    if (!(s = fig_series(f, FIG_VLINES, NULL, COL_TOKENS, -1, row0 + on_show, 1))) return;
    s->rgba = C_LOSS;
    s->dash = 4;
    pl->nseries++;
}

FIG_FN(training) {
    (void)p;
    (void)cache;
    (void)err;
    const RunLog *run = st->run;
    if (!run || run->status != 0) {
        if (run && run->status < 0) return fig_empty(f, _("Cannot read this model's training log"), fig_strdup(f, run->msg));
        if (!st->model || !st->model->dir) return fig_empty(f, _("No training log for this model"), _("No model is loaded."));
        return fig_empty(f, _("No training log for this model"),
                         _("The train.log and eval.log of `bertology train` go beside the weights."));
    }
    const TrainLog *log = &run->log;
    if (log->n_train == 0)
        return fig_empty(f, _("No training steps logged yet"), _("train.log has only its header: the run has just started."));
    int nt = log->n_train, ne = log->n_eval, nc = log->n_ckpt, r_eval = nt, r_ckpt = nt + ne;
    f->title = _("Training run");
    f->caption = run->source[0] ? fig_strdup(f, run->source) : NULL;
    for (int c = 0; c < NCOLS; c++) fig_column(f, NAMES[c]);

    const unsigned char *tr = (const unsigned char *)log->train, *ev = (const unsigned char *)log->eval;
    fig_block(f, 0, COL_LOG, nt, 1, FIG_STR, repeat(f, "train", nt), sizeof(char *), 0);
    fig_block(f, 0, COL_STEP, nt, 1, FIG_I64, &log->train[0].step, sizeof(TrainRow), 0);
    for (size_t i = 0; i < sizeof TRAIN / sizeof *TRAIN; i++)
        fig_block(f, 0, TRAIN[i].col, nt, 1, FIG_F64, tr + TRAIN[i].off, sizeof(TrainRow), 0);
    if (ne > 0) {
        fig_block(f, r_eval, COL_LOG, ne, 1, FIG_STR, repeat(f, "eval", ne), sizeof(char *), 0);
        fig_block(f, r_eval, COL_STEP, ne, 1, FIG_I64, &log->eval[0].step, sizeof(EvalRow), 0);
        for (size_t i = 0; i < sizeof EVAL / sizeof *EVAL; i++)
            fig_block(f, r_eval, EVAL[i].col, ne, 1, FIG_F64, ev + EVAL[i].off, sizeof(EvalRow), 0);
    }
    /* checkpoints: where each sits on the axis of tokens seen (step 0: none yet) */
    int on_show = -1;
    if (nc > 0) {
        double *tok = fig_alloc(f, sizeof *tok * (size_t)nc);
        int32_t *shown = fig_alloc(f, sizeof *shown * (size_t)nc);
        if (!tok || !shown) return 0;
        for (int i = 0; i < nc; i++) {
            tok[i] = trainlog_tokens_at(log, log->ckpt_steps[i]);
            shown[i] = log->ckpt_steps[i] == run->model_step;
            if (shown[i]) on_show = i;
        }
        fig_block(f, r_ckpt, COL_LOG, nc, 1, FIG_STR, repeat(f, "checkpoint", nc), sizeof(char *), 0);
        fig_block(f, r_ckpt, COL_STEP, nc, 1, FIG_I64, log->ckpt_steps, sizeof(long), 0);
        fig_block(f, r_ckpt, COL_TOKENS, nc, 1, FIG_F64, tok, sizeof *tok, 0);
        fig_block(f, r_ckpt, COL_ON_SHOW, nc, 1, FIG_I32, shown, sizeof *shown, 0);
    }
    if (f->failed) return 0;

    double lo, hi;
    x_range(log, &lo, &hi);
    double lmax = max_col(f, COL_LOSS, 0, nt, 0);
    lmax = max_col(f, COL_MLM_LOSS, 0, nt, lmax);
    lmax = max_col(f, COL_MLM_LOSS, r_eval, ne, lmax);
    if (!(lmax > 0)) lmax = 1;
    double lr_max = max_col(f, COL_LR, 0, nt, 0);

    /* The losses, the learning rate on its own scale (right-hand axis). */
    FigPlot *pl = fig_plot(f, FIG_LINES);
    if (!pl) return 0;
    pl->title = _("loss (nats)");
    pl->x_axis = _("tokens seen (log scale)");
    pl->y_axis = _("loss (nats)");
    pl->xlog = 1;
    pl->x0 = lo;
    pl->x1 = hi;
    pl->y0 = 0;
    pl->y1 = 1.04 * lmax;   /* a little headroom, so that the first steps do not run along the frame */
    pl->y_fmt = FIG_FMT_G;
    pl->series0 = f->nseries;
    checkpoints(f, pl, r_ckpt, nc, on_show, 6);
    if (lr_max > 0) {
        pl->y2_axis = _("learning rate");
        pl->y2_0 = 0;
        pl->y2_1 = 1.04 * lr_max;
        FigSeries *s = line(f, pl, _("learning rate (right axis)"), COL_LR, 0, nt, C_LR, 1, 5);
        if (s) s->right = 1;
    }
    line(f, pl, _("NSP loss"), COL_NSP_LOSS, 0, nt, C_NSP, 2, 3);
    line(f, pl, _("MLM loss"), COL_MLM_LOSS, 0, nt, C_MLM, 2, 2);
    if (ne > 0) {
        FigSeries *s = line(f, pl, _("MLM loss, held out"), COL_MLM_LOSS, r_eval, ne, C_MLM, 1, 4);
        if (s) s->dash = s->dot = 3;
    }
    line(f, pl, _("loss = MLM + NSP"), COL_LOSS, 0, nt, C_LOSS, 2, 1);

    /* The accuracies, in percent: held out against the word-frequency
     * baseline when there is an eval.log; training batches (noisy, every
     * chosen position) faint behind them. */
    if (!(pl = fig_plot(f, FIG_LINES))) return 0;
    pl->title = _("accuracy");
    pl->x_axis = _("tokens seen (log scale)");
    pl->y_axis = _("accuracy");
    pl->xlog = 1;
    pl->x0 = lo;
    pl->x1 = hi;
    pl->y0 = 0;
    pl->y1 = 100;
    pl->y_fmt = FIG_FMT_PERCENT;
    pl->series0 = f->nseries;
    checkpoints(f, pl, r_ckpt, nc, on_show, 0);
    int bold = ne == 0;
    FigSeries *s = line(f, pl, bold ? _("MLM accuracy (all chosen positions), training batches") : _("MLM, training batches"),
                        COL_MLM_ACC, 0, nt, bold ? C_MLM : faint(C_MLM), bold ? 2 : 1, bold ? 1 : 5);
    if (s) s->yscale = 100;
    s = line(f, pl, bold ? _("NSP accuracy, training batches") : _("NSP, training batches"), COL_NSP_ACC, 0, nt,
             bold ? C_NSP : faint(C_NSP), bold ? 2 : 1, bold ? 2 : 6);
    if (s) s->yscale = 100;
    if (ne > 0) {
        /* The baseline is a property of the held-out positions, the same
         * at every evaluation: one line across, at the last one. */
        uint32_t cols[2] = {C_TOP1, C_TOP5};
        int base[2] = {COL_BASE1, COL_BASE5};
        for (int k = 0; k < 2; k++) {
            if (!(s = fig_series(f, FIG_HLINE, k ? NULL : _("word-frequency baseline (top-1, top-5)"), -1, base[k],
                                 r_eval + ne - 1, 1)))
                return 0;
            s->rgba = cols[k];
            s->width = 1.5f;
            s->dash = 6;
            s->yscale = 100;
            s->legend = k ? 0 : 3;
            s->rgba2 = k ? 0 : C_TOP5;
            pl->nseries++;
        }
        const char *names[3] = {_("NSP, held out"), _("[MASK] top-5, held out"), _("[MASK] top-1, held out")};
        int ycol[3] = {COL_NSP_ACC, COL_TOP5, COL_TOP1}, rank[3] = {4, 2, 1};
        uint32_t rgba[3] = {C_NSP, C_TOP5, C_TOP1};
        for (int k = 0; k < 3; k++) {
            if (!(s = line(f, pl, names[k], ycol[k], r_eval, ne, rgba[k], 2, rank[k]))) return 0;
            s->dot = 3;
            s->yscale = 100;
        }
    }
    f->layout_cols = 1;
    return 0;
}
