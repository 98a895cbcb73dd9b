#ifndef BERTOLOGY_TRAIN_LOG_H
#define BERTOLOGY_TRAIN_LOG_H
/* What a training run writes as it goes: RUN/train.log and RUN/eval.log
 * (tab-separated, a header line first; trainlog.h reads them back by
 * column name) and the progress lines on the terminal. */
#include <stdio.h>
#include "bertology/error.h"
#include "bertology/eval.h"
#include "bertology/train_step.h"
#include "bertology/trainer.h"

typedef struct {
    FILE *train, *eval;
} TrainLogs;

/* A fresh run's logs start with their header lines, flushed at once: a run
 * killed before its first evaluation (not stopped with --stop-after) would
 * otherwise resume a log without a header. A resumed run (resume_step >= 0)
 * appends to its logs after dropping the lines past resume_step: a run
 * killed between checkpoints logged steps its state.bin does not hold, it
 * logs them again, and the curves never double back. */
int train_logs_open(TrainLogs *lg, const char *run_dir, long resume_step, BtError *err);
void train_logs_close(TrainLogs *lg);

/* Seconds on a monotonic clock, for throughput and elapsed time. */
double train_clock(void);

/* The training figures since the last train.log line: each line holds
 * their means, not one step's noise. */
typedef struct {
    double loss, mlm, nsp, unlikely, tokens;
    long mlm_right, chosen, nsp_right, steps;
    double start;          /* train_clock() when it began, evaluations excluded */
} LogWindow;

void log_window_start(LogWindow *w);
void log_window_add(LogWindow *w, const StepLoss *sl, int chosen, long tokens);

/* train.log's line for `step` (after `tokens` real tokens, `elapsed`
 * seconds, the last step at rate lr with gradient norm grad_norm) and the
 * progress line; starts the next window. */
void train_log_step(const TrainLogs *lg, const TrainOptions *o, LogWindow *w, long step, double tokens,
                    double elapsed, float lr, float grad_norm);
/* eval.log's line for `step` and the progress line (the evaluation took
 * `seconds`). */
void train_log_eval(const TrainLogs *lg, FILE *progress, long step, double tokens, const EvalResult *r,
                    double seconds);

#endif
