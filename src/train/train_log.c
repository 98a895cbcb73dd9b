/* The trainer's logs and progress lines: see include/bertology/train_log.h. */
#include "bertology/train_log.h"
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <time.h>

static const char TRAIN_HEADER[] =
    "step\ttokens\telapsed_s\tloss\tmlm_loss\tnsp_loss\tmlm_acc\tnsp_acc\tlr\tgrad_norm\ttok_per_s\n";
static const char EVAL_HEADER[] =
    "step\ttokens\tmlm_loss\tmask_top1\tmask_top5\tchosen_top1\tchosen_top5\tbase_top1\tbase_top5\tnsp_acc\n";

double train_clock(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* Keeps the header and the lines up to `step` of the log at path. */
static int trim_log(const char *path, long step, BtError *err) {
    FILE *f = fopen(path, "r");
    if (!f) return 0;   /* a missing log is simply started again */
    char *keep = NULL, *line = NULL;
    size_t cap = 0, n = 0, lcap = 0;
    ssize_t len;
    int first = 1;
    while ((len = getline(&line, &lcap, f)) > 0) {
        char *end;
        long s = strtol(line, &end, 10);
        if (!first && (end == line || s > step)) continue;
        first = 0;
        if (n + (size_t)len + 1 > cap) {
            cap = (n + (size_t)len + 1) * 2;
            char *k = realloc(keep, cap);
            if (!k) { free(keep); free(line); fclose(f); return bt_fail(err, "out of memory"); }
            keep = k;
        }
        memcpy(keep + n, line, (size_t)len);
        n += (size_t)len;
    }
    free(line);
    fclose(f);
    f = fopen(path, "w");
    int bad = !f || (n && fwrite(keep, 1, n, f) != n);
    if (f && fclose(f)) bad = 1;
    free(keep);
    return bad ? bt_fail(err, "%s: cannot rewrite: %s", path, strerror(errno)) : 0;
}

static FILE *open_log(const char *run_dir, const char *name, const char *header, long resume_step, BtError *err) {
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", run_dir, name);
    if (resume_step >= 0 && trim_log(path, resume_step, err)) return NULL;
    FILE *f = fopen(path, resume_step >= 0 ? "a" : "w");
    if (!f) {
        bt_fail(err, "%s: cannot write logs", run_dir);
        return NULL;
    }
    if (resume_step < 0) {
        fputs(header, f);
        fflush(f);
    }
    return f;
}

int train_logs_open(TrainLogs *lg, const char *run_dir, long resume_step, BtError *err) {
    lg->train = open_log(run_dir, "train.log", TRAIN_HEADER, resume_step, err);
    lg->eval = lg->train ? open_log(run_dir, "eval.log", EVAL_HEADER, resume_step, err) : NULL;
    if (lg->eval) return 0;
    train_logs_close(lg);
    return -1;
}

void train_logs_close(TrainLogs *lg) {
    if (lg->train) fclose(lg->train);
    if (lg->eval) fclose(lg->eval);
    lg->train = lg->eval = NULL;
}

void log_window_start(LogWindow *w) {
    *w = (LogWindow){.start = train_clock()};
}

void log_window_add(LogWindow *w, const StepLoss *sl, int chosen, long tokens) {
    w->loss += sl->mlm_loss + sl->nsp_loss;
    w->mlm += sl->mlm_loss;
    w->unlikely += sl->unlikely_loss;
    w->nsp += sl->nsp_loss;
    w->tokens += tokens;
    w->mlm_right += sl->mlm_right;
    w->chosen += chosen;
    w->nsp_right += sl->nsp_right;
    w->steps++;
}

/* 1h02m03s */
static void fmt_time(char *buf, size_t n, double s) {
    if (s < 0 || !isfinite(s)) s = 0;
    snprintf(buf, n, "%dh%02dm%02ds", (int)(s / 3600), (int)fmod(s / 60, 60), (int)fmod(s, 60));
}

void train_log_step(const TrainLogs *lg, const TrainOptions *o, LogWindow *w, long step, double tokens,
                    double elapsed, float lr, float grad_norm) {
    double tps = w->tokens / (train_clock() - w->start), n = w->steps;
    double mlm_acc = (double)w->mlm_right / w->chosen, nsp_acc = (double)w->nsp_right / (w->steps * o->batch);
    fprintf(lg->train, "%ld\t%.0f\t%.1f\t%.4f\t%.4f\t%.4f\t%.4f\t%.4f\t%.6g\t%.3f\t%.0f\n", step, tokens, elapsed,
            w->loss / n, w->mlm / n, w->nsp / n, mlm_acc, nsp_acc, lr, grad_norm, tps);
    fflush(lg->train);
    if (o->progress) {
        char left[32], done[32];
        fmt_time(left, sizeof left, (o->steps - step) * (elapsed / (step ? step : 1)));
        fmt_time(done, sizeof done, elapsed);
        char ul[48] = "";   /* the log keeps cross-entropy alone: curves stay comparable across phases */
        if (o->unlikely_visible > 0) snprintf(ul, sizeof ul, " visible-words %.3f", w->unlikely / n);
        fprintf(o->progress, "step %ld/%ld  %.0f tok/s  loss %.3f (mlm %.3f nsp %.3f%s)  mlm acc %.1f%%  nsp acc %.1f%%  "
                "lr %.2e  %s elapsed, %s left\n", step, o->steps, tps, w->loss / n, w->mlm / n, w->nsp / n, ul,
                100.0 * w->mlm_right / w->chosen, 100.0 * w->nsp_right / (w->steps * o->batch), lr, done, left);
        fflush(o->progress);
    }
    log_window_start(w);
}

void train_log_eval(const TrainLogs *lg, FILE *progress, long step, double tokens, const EvalResult *r,
                    double seconds) {
    fprintf(lg->eval, "%ld\t%.0f\t%.4f\t%.4f\t%.4f\t%.4f\t%.4f\t%.4f\t%.4f\t%.4f\n", step, tokens, r->mlm_loss,
            r->mask_top1, r->mask_top5, r->chosen_top1, r->chosen_top5, r->base_top1, r->base_top5, r->nsp_acc);
    fflush(lg->eval);
    if (progress)
        fprintf(progress, "eval @%ld: [MASK] top-1 %.1f%% top-5 %.1f%% (baseline %.1f%% / %.1f%%), NSP %.1f%%, "
                "loss %.3f (%.1fs)\n", step, 100 * r->mask_top1, 100 * r->mask_top5, 100 * r->base_top1,
                100 * r->base_top5, 100 * r->nsp_acc, r->mlm_loss, seconds);
}
