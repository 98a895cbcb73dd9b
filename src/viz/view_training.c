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

static const SDL_Color C_LOSS = {255, 196, 61, 255};    /* COL_ACCENT: the headline curve (hover) */

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

static void y_title(VizCtx *cx, int x, SDL_Rect r, const char *s) {
    char fit[128];
    int px = cx->fs - 1;
    text_fit(cx, px, s, r.h, fit, sizeof fit);
    int w = text_width(cx, px, fit);
    draw_text_up(cx, px, x, r.y + r.h / 2 + w / 2, ALIGN_LEFT, COL_DIM, fit);
}

/* A plot of the figure: its frame, grid and ticks, then its series in
 * order (the learning rate against the right-hand axis). */
static void fig_plot_draw(VizCtx *cx, const Figure *f, const FigPlot *fp, const Plot *p, int x_labels) {
    fill_rect(cx, p->r, COL_PANEL);
    double ticks[64];
    int pct = fp->y_fmt == FIG_FMT_PERCENT;
    int nt = fig_ticks(p->y0, p->y1, pct ? p->r.h * 10 / (cx->fs * 22) + 1 : p->r.h / (cx->fs * 3) + 1, ticks, 64);
    plot_axis_y(cx, p, ticks, nt, pct ? fmt_pct : fmt_loss, 0, 1, COL_TEXT);
    int nx = fig_log_ticks(p->x0, p->x1, p->r.w / (cx->fs * 4), ticks, 64);
    plot_axis_x(cx, p, ticks, nx, plot_fmt_si, x_labels);
    Plot p2 = *p;
    if (fp->y2_axis) {
        /* The schedule on its own scale, read on the right-hand axis. */
        double lt[8];
        p2.y0 = fp->y2_0;
        p2.y1 = fp->y2_1;
        int nl = fig_ticks(0, p2.y1, 3, lt, 8);
        plot_axis_y(cx, &p2, lt, nl, plot_fmt_sci, 1, 0, (SDL_Color){160, 166, 178, 170});
    }
    for (int k = 0; k < fp->nseries; k++) plot_fig_series(cx, p, &p2, f, &f->series[fp->series0 + k]);
    frame_rect(cx, p->r, COL_GRID, 1);
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
    Figure f;
    if (viz_view_figure_or_notice(cx, VIZ_TRAINING, self, st, area, &f)) return;
    const RunLog *run = st->run;
    const TrainLog *log = &run->log;
    const FigPlot *fl = &f.plots[0], *fa = &f.plots[1];
    int pad = cx->pad, tick = cx->fs - 2 < cx->fs_min ? cx->fs_min : cx->fs - 2;
    int y = summary(cx, log, area.x + 2 * pad, area.y + pad, area.w - 4 * pad) + pad;

    /* Margins: tick labels and a turned axis title on each side. */
    int left = text_width(cx, tick, "100%") + cx->fs + 2 * pad;
    int right = text_width(cx, tick, "5.5e-4") + cx->fs + 2 * pad;
    int px0 = area.x + pad + left, pw = area.w - 2 * pad - left - right;
    int ck_h = log->n_ckpt > 0 ? cx->fs_min + pad / 2 + 2 : 0;
    int x_h = tick + cx->fs + 2 * pad;
    SDL_Rect band = {px0, 0, pw, 0};
    int leg1 = plot_fig_legend(cx, &f, fl, band, cx->fs - 1, 0), leg2 = plot_fig_legend(cx, &f, fa, band, cx->fs - 1, 0);
    int avail = area.y + area.h - y - leg1 - ck_h - leg2 - x_h - 2 * pad;
    if (avail < 8 * cx->fs) {
        draw_notice(cx, area, _("The window is too small for the training curves"), _("Make it larger."));
        fig_free(&f);
        return;
    }
    int loss_h = avail * 56 / 100, acc_h = avail - loss_h;
    Plot lp = {{px0, y + leg1 + ck_h, pw, loss_h}, fl->xlog, fl->x0, fl->x1, fl->y0, fl->y1};
    Plot ap = {{px0, lp.r.y + loss_h + pad + leg2, pw, acc_h}, fa->xlog, fa->x0, fa->x1, fa->y0, fa->y1};

    band.y = y;
    plot_fig_legend(cx, &f, fl, band, cx->fs - 1, 1);
    if (ck_h) checkpoint_labels(cx, log, &lp, run->model_step, lp.r.y - ck_h + 1);
    fig_plot_draw(cx, &f, fl, &lp, 0);
    band.y = lp.r.y + loss_h + pad;
    plot_fig_legend(cx, &f, fa, band, cx->fs - 1, 1);
    fig_plot_draw(cx, &f, fa, &ap, 1);

    y_title(cx, area.x + pad, lp.r, fl->y_axis);
    y_title(cx, area.x + pad, ap.r, fa->y_axis);
    if (fl->y2_axis) y_title(cx, area.x + area.w - pad - cx->fs, lp.r, fl->y2_axis);
    draw_text(cx, cx->fs - 1, px0 + pw / 2, ap.r.y + ap.r.h + tick + pad, ALIGN_CENTER, COL_DIM, fa->x_axis);

    tv->loss_rect = lp.r;
    tv->acc_rect = ap.r;
    tv->x_lo = lp.x0;
    tv->x_hi = lp.x1;
    tv->loss_lo = lp.y0;
    tv->loss_hi = lp.y1;
    hover(cx, log, &lp, &ap);
    fig_free(&f);
}

const ViewOps view_training = {view_training_draw, sizeof(VizTrainView), NULL, NULL};
