#ifndef BERTOLOGY_TRAINLOG_H
#define BERTOLOGY_TRAINLOG_H
/* The logs `bertology train` writes into a run directory (train.log and
 * eval.log, tab-separated with a header line), read back into arrays so
 * that the training view and `bertology plot` can draw them. Columns are
 * found by name, so a log with extra or reordered columns still reads;
 * a column that is absent reads as NAN. */
#include "bertology/error.h"

typedef struct {
    long step;
    double tokens, elapsed_s;
    double loss, mlm_loss, nsp_loss;    /* means over the logging window */
    double mlm_acc, nsp_acc;            /* training batches, all chosen positions */
    double lr, grad_norm, tok_per_s;
} TrainRow;

typedef struct {
    long step;
    double tokens, mlm_loss;
    double mask_top1, mask_top5;        /* held out, at [MASK] positions only */
    double chosen_top1, chosen_top5;    /* held out, every chosen position */
    double base_top1, base_top5;        /* word-frequency baseline, same positions */
    double nsp_acc;
} EvalRow;

typedef struct {
    char *dir;
    TrainRow *train;
    int n_train;
    EvalRow *eval;
    int n_eval;
    long *ckpt_steps;                   /* step-N subdirectories, ascending */
    int n_ckpt;
} TrainLog;

/* Reads dir/train.log, dir/eval.log (optional) and the step-N checkpoint
 * directories. Returns 0 when loaded, 1 when dir has no train.log (a model
 * that was not trained here; *log is left empty), -1 with err set when a
 * log cannot be read or a line is malformed (file, line and what was
 * expected). */
int trainlog_load(TrainLog *log, const char *dir, BtError *err);
void trainlog_free(TrainLog *log);

/* Tokens seen by the end of `step`, interpolated between logged rows
 * (0 for step 0); NAN without training rows. */
double trainlog_tokens_at(const TrainLog *log, long step);

#endif
