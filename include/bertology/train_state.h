#ifndef BERTOLOGY_TRAIN_STATE_H
#define BERTOLOGY_TRAIN_STATE_H
/* RUN/state.bin: what resuming a run needs beyond its latest/ checkpoint:
 * the parameters at full precision, AdamW's moments, the step, both
 * random streams and the counters the logs go on from. Written to a
 * temporary file, synced and renamed over the old one, so a run killed
 * while saving keeps the previous state. */
#include <stdint.h>
#include "bertology/adamw.h"
#include "bertology/error.h"
#include "bertology/model.h"

typedef struct {
    long step;             /* optimizer steps taken */
    uint64_t rng;          /* the dropout stream */
    uint64_t pool_rng;     /* the data stream (train_pool_saved_rng) */
    int next_batch;        /* batches of that pool used (TRAIN_POOL_BATCHES: all) */
    double tokens;         /* real tokens trained on so far */
    double elapsed;        /* seconds of training so far, over every session */
} TrainState;

/* Fails (naming the file) before the minutes of corpus loading when
 * run_dir has no state.bin to resume from. */
int train_state_check(const char *run_dir, BtError *err);
int train_state_save(const char *run_dir, const BertModel *m, const AdamW *opt, const TrainState *st, BtError *err);
/* Fills m's parameters and opt's moments (m and opt allocated for the
 * run's configuration; a state of another size is an error naming both)
 * and sets opt->t to the step. */
int train_state_load(const char *run_dir, BertModel *m, AdamW *opt, TrainState *st, BtError *err);

#endif
