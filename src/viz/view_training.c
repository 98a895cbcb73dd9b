/* View 8: how the model on show was trained. The losses on top and the
 * accuracies below share one axis of tokens seen, log-scaled because
 * most of the learning (and most of the learner's questions) happen
 * early; held-out [MASK] accuracy is drawn against the word-frequency
 * baseline it has to beat, and the checkpoints that were kept are marked
 * so that early and late models can be found on the curve. */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "plot.h"
#include "view_training.h"

static const SDL_Color C_LOSS = {255, 196, 61, 255};    /* COL_ACCENT: the headline curve */
static const SDL_Color C_MLM = {96, 165, 250, 255};
static const SDL_Color C_NSP = {242, 142, 44, 255};
static const SDL_Color C_TOP1 = {106, 190, 90, 255};
static const SDL_Color C_TOP5 = {23, 190, 207, 255};
static const SDL_Color C_LR = {160, 166, 178, 170};
static const SDL_Color C_CKPT = {200, 205, 215, 120};

#define TRAIN(field) sizeof(TrainRow), offsetof(TrainRow, tokens), offsetof(TrainRow, field)
#define EVAL(field) sizeof(EvalRow), offsetof(EvalRow, tokens), offsetof(EvalRow, field)

static SDL_Color faint(SDL_Color c) {
    c.a = 90;
    return c;
}

static void fmt_pct(double v, char *buf, size_t n) { snprintf(buf, n, "%g%%", v); }

static void fmt_loss(double v, char *buf, size_t n) { snprintf(buf, n, "%g", v); }

static void fmt_time(double s, char *buf, size_t n) {
    /* A train.log without elapsed_s reads as NaN; and (long) of a double
     * past its range is undefined. */
    if (!(s >= 0 && s < 1e12)) {
        snprintf(buf, n, "%s", _("time unknown"));
        return;
    }
    long t = (long)(s + 0.5);
    if (t >= 3600) snprintf(buf, n, _("%ld h %02ld min"), t / 3600, t / 60 % 60);
    else if (t >= 60) snprintf(buf, n, _("%ld min %02ld s"), t / 60, t % 60);
    else snprintf(buf, n, _("%ld s"), t);
}

static double max_of(const void *rows, int n, size_t size, size_t off, double m) {
    for (int i = 0; i < n; i++) {
        double v;
        memcpy(&v, (const unsigned char *)rows + (size_t)i * size + off, sizeof v);
        if (isfinite(v) && v > m) m = v;
    }
    return m;
}

/* The two lines above the plots: where the run got to, and how the last
 * held-out evaluation compares with the baseline. Returns their bottom. */
static int summary(VizCtx *cx, const TrainLog *log, int x, int y, int w) {
    const TrainRow *t = &log->train[log->n_train - 1];
    char tok[32], time[32], line[512], fit[512];
    plot_fmt_si(t->tokens, tok, sizeof tok);
    fmt_time(t->elapsed_s, time, sizeof time);
    int n = snprintf(line, sizeof line, _("step %ld · %s tokens"), t->step, tok);
    if (isfinite(t->elapsed_s) && t->elapsed_s > 0)
        n += snprintf(line + n, sizeof line - n, _(" in %s (%.0f tokens/s)"), time, t->tokens / t->elapsed_s);
    snprintf(line + n, sizeof line - n, _(" · loss %.3f = MLM %.3f + NSP %.3f"), t->loss, t->mlm_loss, t->nsp_loss);
    text_fit(cx, cx->fs, line, w, fit, sizeof fit);
    SDL_Rect r = draw_text(cx, cx->fs, x, y, ALIGN_LEFT, COL_TEXT, fit);
    if (log->n_eval > 0) {
        const EvalRow *e = &log->eval[log->n_eval - 1];
        snprintf(line, sizeof line,
                 _("held out, step %ld: [MASK] top-1 %.1f%%, top-5 %.1f%% (word-frequency baseline %.1f%%, %.1f%%)"
                   " · NSP %.1f%%"),
                 e->step, 100 * e->mask_top1, 100 * e->mask_top5, 100 * e->base_top1, 100 * e->base_top5,
                 100 * e->nsp_acc);
    } else {
        snprintf(line, sizeof line, "%s", _("no held-out evaluation logged yet: accuracies below are on training batches"));
    }
    text_fit(cx, cx->fs - 1, line, w, fit, sizeof fit);
    SDL_Rect r2 = draw_text(cx, cx->fs - 1, x, r.y + r.h, ALIGN_LEFT, COL_DIM, fit);
    return r2.y + r2.h;
}

/* The x range: every token count that will be drawn, a little beyond. */
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

/* Where checkpoint `step` sits: step 0 (the initial weights) has seen no
 * tokens, which a log axis cannot show, so it goes on the left edge. */
static float checkpoint_x(const TrainLog *log, const Plot *p, long step) {
    double t = trainlog_tokens_at(log, step);
    float x = t > 0 ? plot_px(p, t) : (float)p->r.x;
    return x >= p->r.x && x <= p->r.x + p->r.w ? x : NAN;
}

static void checkpoint_labels(VizCtx *cx, const TrainLog *log, const Plot *p, long model_step, int y) {
    int px = cx->fs_min, g = label_group(cx);
    SDL_Rect last = {0, 0, 0, 0};
    for (int i = 0; i < log->n_ckpt; i++) {
        float x = checkpoint_x(log, p, log->ckpt_steps[i]);
        if (!isfinite(x)) continue;
        char buf[48];
        snprintf(buf, sizeof buf, "step-%ld%s", log->ckpt_steps[i], log->ckpt_steps[i] == model_step ? _(" (on show)") : "");
        int w, h;
        font_size(cx->font, px, buf, &w, &h);
        SDL_Rect at = {(int)x - w / 2, y, w, h};
        if (at.x < p->r.x) at.x = p->r.x;
        if (at.x + w > p->r.x + p->r.w) at.x = p->r.x + p->r.w - w;
        SDL_Rect wide = {at.x - cx->pad / 2, at.y, w + cx->pad, h};
        if (last.w > 0 && SDL_HasIntersection(&wide, &last)) continue;
        SDL_Color c = log->ckpt_steps[i] == model_step ? COL_ACCENT : COL_DIM;
        label_log(cx, draw_text(cx, px, at.x, at.y, ALIGN_LEFT, c, buf), g);
        last = at;
    }
}

static void checkpoint_lines(VizCtx *cx, const TrainLog *log, const Plot *p, long model_step) {
    for (int i = 0; i < log->n_ckpt; i++) {
        float x = checkpoint_x(log, p, log->ckpt_steps[i]);
        if (isfinite(x))
            plot_vline(cx, p->r, x < p->r.x + 1 ? x + 1 : x,
                       log->ckpt_steps[i] == model_step ? COL_ACCENT : C_CKPT, cx->dpi * 4);
    }
}

static void y_title(VizCtx *cx, int x, SDL_Rect r, const char *s) {
    char fit[128];
    int px = cx->fs - 1;
    text_fit(cx, px, s, r.h, fit, sizeof fit);
    int w = text_width(cx, px, fit);
    draw_text_up(cx, px, x, r.y + r.h / 2 + w / 2, ALIGN_LEFT, COL_DIM, fit);
}

static void loss_plot(VizCtx *cx, const TrainLog *log, const Plot *p, long model_step) {
    const TrainRow *tr = log->train;
    int n = log->n_train;
    fill_rect(cx, p->r, COL_PANEL);
    double ticks[64];
    int nt = plot_ticks(p->y0, p->y1, p->r.h / (cx->fs * 3) + 1, ticks, 64);
    plot_axis_y(cx, p, ticks, nt, fmt_loss, 0, 1, COL_TEXT);
    int nx = plot_log_ticks(p->x0, p->x1, p->r.w / (cx->fs * 4), ticks, 64);
    plot_axis_x(cx, p, ticks, nx, plot_fmt_si, 0);
    checkpoint_lines(cx, log, p, model_step);
    double lr_max = max_of(tr, n, sizeof *tr, offsetof(TrainRow, lr), 0);
    if (lr_max > 0) {
        /* The schedule on its own scale, read on the right-hand axis. */
        double lt[8];
        Plot lp = *p;
        lp.y0 = 0;
        lp.y1 = 1.04 * lr_max;
        int nl = plot_ticks(0, lp.y1, 3, lt, 8);
        plot_axis_y(cx, &lp, lt, nl, plot_fmt_sci, 1, 0, C_LR);
        plot_series(cx, &lp, &(PlotSeries){tr, n, TRAIN(lr), 1}, cx->dpi, C_LR, 0, 0);
    }
    float w2 = 2 * cx->dpi;
    plot_series(cx, p, &(PlotSeries){tr, n, TRAIN(nsp_loss), 1}, w2, C_NSP, 0, 0);
    plot_series(cx, p, &(PlotSeries){tr, n, TRAIN(mlm_loss), 1}, w2, C_MLM, 0, 0);
    plot_series(cx, p, &(PlotSeries){log->eval, log->n_eval, EVAL(mlm_loss), 1}, cx->dpi, C_MLM, 3 * cx->dpi,
                3 * cx->dpi);
    plot_series(cx, p, &(PlotSeries){tr, n, TRAIN(loss), 1}, w2, C_LOSS, 0, 0);
    frame_rect(cx, p->r, COL_GRID, 1);
}

static void accuracy_plot(VizCtx *cx, const TrainLog *log, const Plot *p, long model_step) {
    const TrainRow *tr = log->train;
    const EvalRow *ev = log->eval;
    int n = log->n_train, ne = log->n_eval;
    fill_rect(cx, p->r, COL_PANEL);
    double ticks[64];
    int nt = plot_ticks(p->y0, p->y1, p->r.h * 10 / (cx->fs * 22) + 1, ticks, 64);
    plot_axis_y(cx, p, ticks, nt, fmt_pct, 0, 1, COL_TEXT);
    int nx = plot_log_ticks(p->x0, p->x1, p->r.w / (cx->fs * 4), ticks, 64);
    plot_axis_x(cx, p, ticks, nx, plot_fmt_si, 1);
    checkpoint_lines(cx, log, p, model_step);
    float w1 = cx->dpi, w2 = 2 * cx->dpi, dot = 3 * cx->dpi, dash = 6 * cx->dpi;
    /* Training-batch accuracies are noisy and count every chosen position:
     * faint, behind the held-out figures that the quality bar is about. */
    int train_bold = ne == 0;
    plot_series(cx, p, &(PlotSeries){tr, n, TRAIN(mlm_acc), 100}, train_bold ? w2 : w1,
                train_bold ? C_MLM : faint(C_MLM), 0, 0);
    plot_series(cx, p, &(PlotSeries){tr, n, TRAIN(nsp_acc), 100}, train_bold ? w2 : w1,
                train_bold ? C_NSP : faint(C_NSP), 0, 0);
    if (ne > 0) {
        /* The baseline is a property of the held-out positions, the same
         * at every evaluation: one line across. */
        plot_hline(cx, p, 100 * ev[ne - 1].base_top1, w1 + 0.5f, C_TOP1, dash);
        plot_hline(cx, p, 100 * ev[ne - 1].base_top5, w1 + 0.5f, C_TOP5, dash);
        plot_series(cx, p, &(PlotSeries){ev, ne, EVAL(nsp_acc), 100}, w2, C_NSP, 0, dot);
        plot_series(cx, p, &(PlotSeries){ev, ne, EVAL(mask_top5), 100}, w2, C_TOP5, 0, dot);
        plot_series(cx, p, &(PlotSeries){ev, ne, EVAL(mask_top1), 100}, w2, C_TOP1, 0, dot);
    }
    frame_rect(cx, p->r, COL_GRID, 1);
}

static LegendItem item(const char *name, SDL_Color c, float width, float dash, float dot) {
    return (LegendItem){.name = name, .c = c, .width = width, .dash = dash, .dot = dot};
}

static int legend_loss(VizCtx *cx, const TrainLog *log, SDL_Rect r, int draw) {
    float w2 = 2 * cx->dpi;
    LegendItem it[6] = {
        item(_("loss = MLM + NSP"), C_LOSS, w2, 0, 0),
        item(_("MLM loss"), C_MLM, w2, 0, 0),
        item(_("NSP loss"), C_NSP, w2, 0, 0),
    };
    int n = 3;
    if (log->n_eval > 0) it[n++] = item(_("MLM loss, held out"), C_MLM, cx->dpi, 3 * cx->dpi, 3 * cx->dpi);
    it[n++] = item(_("learning rate (right axis)"), C_LR, cx->dpi, 0, 0);
    if (log->n_ckpt > 0) it[n++] = item(_("checkpoint kept"), C_CKPT, cx->dpi, 4 * cx->dpi, 0);
    return plot_legend(cx, it, n, r, cx->fs - 1, draw);
}

static int legend_accuracy(VizCtx *cx, const TrainLog *log, SDL_Rect r, int draw) {
    float w1 = cx->dpi, w2 = 2 * cx->dpi, dot = 3 * cx->dpi, dash = 6 * cx->dpi;
    LegendItem it[7];
    int n = 0;
    if (log->n_eval > 0) {
        it[n++] = item(_("[MASK] top-1, held out"), C_TOP1, w2, 0, dot);
        it[n++] = item(_("[MASK] top-5, held out"), C_TOP5, w2, 0, dot);
        it[n++] = item(_("word-frequency baseline (top-1, top-5)"), C_TOP1, w1 + 0.5f, dash, 0);
        it[n - 1].c2 = C_TOP5;
        it[n++] = item(_("NSP, held out"), C_NSP, w2, 0, dot);
        /* the faint lines, a little less faint so that the sample reads */
        SDL_Color m = faint(C_MLM), s = faint(C_NSP);
        m.a = s.a = 150;
        it[n++] = item(_("MLM, training batches"), m, w2, 0, 0);
        it[n++] = item(_("NSP, training batches"), s, w2, 0, 0);
    } else {
        it[n++] = item(_("MLM accuracy (all chosen positions), training batches"), C_MLM, w2, 0, 0);
        it[n++] = item(_("NSP accuracy, training batches"), C_NSP, w2, 0, 0);
    }
    return plot_legend(cx, it, n, r, cx->fs - 1, draw);
}

static void hover(VizCtx *cx, const TrainLog *log, const Plot *lp, const Plot *ap) {
    if (!cx->mouse_in) return;
    SDL_Rect both = {lp->r.x, lp->r.y, lp->r.w, ap->r.y + ap->r.h - lp->r.y};
    if (!point_in(&both, cx->mx, cx->my)) return;
    double want = log10(plot_x_at(lp, cx->mx));
    int best = -1;
    double bd = INFINITY;
    for (int i = 0; i < log->n_train; i++) {
        double t = log->train[i].tokens;
        if (t > 0 && fabs(log10(t) - want) < bd) {
            bd = fabs(log10(t) - want);
            best = i;
        }
    }
    if (best < 0) return;
    const TrainRow *t = &log->train[best];
    float x = plot_px(lp, t->tokens);
    plot_vline(cx, lp->r, x, (SDL_Color){255, 196, 61, 110}, 0);
    plot_vline(cx, ap->r, x, (SDL_Color){255, 196, 61, 110}, 0);
    draw_disc(cx, x, plot_py(lp, t->loss), 4 * cx->dpi, C_LOSS);
    char tok[32], time[32], lr[32];
    plot_fmt_si(t->tokens, tok, sizeof tok);
    fmt_time(t->elapsed_s, time, sizeof time);
    plot_fmt_sci(t->lr, lr, sizeof lr);
    tip(cx, _("step %ld · %s tokens · %s"), t->step, tok, time);
    tip(cx, _("loss %.3f = MLM %.3f + NSP %.3f"), t->loss, t->mlm_loss, t->nsp_loss);
    tip(cx, _("lr %s · grad norm %.2f · MLM acc %.1f%% · NSP acc %.1f%%"), lr, t->grad_norm, 100 * t->mlm_acc,
        100 * t->nsp_acc);
    const EvalRow *e = NULL;
    for (int i = 0; i < log->n_eval; i++)
        if (log->eval[i].step <= t->step) e = &log->eval[i];
    if (e)
        tip(cx, _("held out at step %ld: [MASK] top-1 %.1f%%, top-5 %.1f%% · NSP %.1f%%"), e->step, 100 * e->mask_top1,
            100 * e->mask_top5, 100 * e->nsp_acc);
}

static void view_training_draw(VizCtx *cx, void *self, const VizState *st, SDL_Rect area) {
    VizTrainView *tv = self;
    tv->loss_rect = tv->acc_rect = (SDL_Rect){0, 0, 0, 0};
    const RunLog *run = st->run;
    if (!run || run->status != 0) {
        if (run && run->status < 0)
            draw_notice(cx, area, _("Cannot read this model's training log"), run->msg);
        else if (!st->model || !st->model->dir)
            draw_notice(cx, area, _("No training log for this model"), _("No model is loaded."));
        else   /* the title bar names the directory */
            draw_notice(cx, area, _("No training log for this model"),
                        _("The train.log and eval.log of `bertology train` go beside the weights."));
        return;
    }
    const TrainLog *log = &run->log;
    if (log->n_train == 0) {
        draw_notice(cx, area, _("No training steps logged yet"),
                    _("train.log has only its header: the run has just started."));
        return;
    }
    int pad = cx->pad, tick = cx->fs - 2 < cx->fs_min ? cx->fs_min : cx->fs - 2;
    int y = summary(cx, log, area.x + 2 * pad, area.y + pad, area.w - 4 * pad) + pad;

    /* Margins: tick labels and a turned axis title on each side. */
    int left = text_width(cx, tick, "100%") + cx->fs + 2 * pad;
    int right = text_width(cx, tick, "5.5e-4") + cx->fs + 2 * pad;
    int px0 = area.x + pad + left, pw = area.w - 2 * pad - left - right;
    int ck_h = log->n_ckpt > 0 ? cx->fs_min + pad / 2 + 2 : 0;
    int x_h = tick + cx->fs + 2 * pad;
    SDL_Rect band = {px0, 0, pw, 0};
    int leg1 = legend_loss(cx, log, band, 0), leg2 = legend_accuracy(cx, log, band, 0);
    int avail = area.y + area.h - y - leg1 - ck_h - leg2 - x_h - 2 * pad;
    if (avail < 8 * cx->fs) {
        draw_notice(cx, area, _("The window is too small for the training curves"), _("Make it larger."));
        return;
    }
    int loss_h = avail * 56 / 100, acc_h = avail - loss_h;

    double lo, hi;
    x_range(log, &lo, &hi);
    double lmax = 0;
    lmax = max_of(log->train, log->n_train, sizeof(TrainRow), offsetof(TrainRow, loss), lmax);
    lmax = max_of(log->train, log->n_train, sizeof(TrainRow), offsetof(TrainRow, mlm_loss), lmax);
    lmax = max_of(log->eval, log->n_eval, sizeof(EvalRow), offsetof(EvalRow, mlm_loss), lmax);
    if (!(lmax > 0)) lmax = 1;
    /* a little headroom, so that the first steps do not run along the frame */
    Plot lp = {{px0, y + leg1 + ck_h, pw, loss_h}, 1, lo, hi, 0, 1.04 * lmax};
    Plot ap = {{px0, lp.r.y + loss_h + pad + leg2, pw, acc_h}, 1, lo, hi, 0, 100};

    band.y = y;
    legend_loss(cx, log, band, 1);
    if (ck_h) checkpoint_labels(cx, log, &lp, run->model_step, lp.r.y - ck_h + 1);
    loss_plot(cx, log, &lp, run->model_step);
    band.y = lp.r.y + loss_h + pad;
    legend_accuracy(cx, log, band, 1);
    accuracy_plot(cx, log, &ap, run->model_step);

    y_title(cx, area.x + pad, lp.r, _("loss (nats)"));
    y_title(cx, area.x + pad, ap.r, _("accuracy"));
    if (max_of(log->train, log->n_train, sizeof(TrainRow), offsetof(TrainRow, lr), 0) > 0)
        y_title(cx, area.x + area.w - pad - cx->fs, lp.r, _("learning rate"));
    draw_text(cx, cx->fs - 1, px0 + pw / 2, ap.r.y + ap.r.h + tick + pad, ALIGN_CENTER, COL_DIM,
              _("tokens seen (log scale)"));

    tv->loss_rect = lp.r;
    tv->acc_rect = ap.r;
    tv->x_lo = lo;
    tv->x_hi = hi;
    tv->loss_lo = lp.y0;
    tv->loss_hi = lp.y1;
    hover(cx, log, &lp, &ap);
}

const ViewOps view_training = {view_training_draw, sizeof(VizTrainView), NULL};
