#ifndef BERTOLOGY_TRAIN_INIT_H
#define BERTOLOGY_TRAIN_INIT_H
/* The starting weights of a pretraining run (see src/train/init.c and the
 * default model's card for why they differ from BERT's). */
#include <stdint.h>
#include "bertology/corpus.h"
#include "bertology/error.h"
#include "bertology/model.h"
#include "bertology/tokenizer.h"
#include "bertology/trainer.h"

/* Whether the initialisation options fit the configuration: lets a run
 * fail before it spends time reading the corpus. */
int train_check_init(const TrainOptions *o, const BertConfig *cfg, BtError *err);
/* What --init-vectors did: whole-word pieces given their own vector, pieces
 * given the mean of the words containing them, rows left random. */
typedef struct {
    int direct, mean, random;
} TrainInitStats;

/* The start of a run. tok is needed only with --init-vectors (else NULL);
 * st (may be NULL) says what the vectors covered. */
int train_init_params(BertModel *m, const TrainOptions *o, const Corpus *c, const Tokenizer *tok, uint64_t *rng,
                      TrainInitStats *st, BtError *err);
/* Word rows from static vectors (src/train/init_vectors.c); no-op without
 * --init-vectors. Called by train_init_params before the position heads. */
int train_init_vectors(BertModel *m, const TrainOptions *o, const Tokenizer *tok, TrainInitStats *st, BtError *err);
/* --init-from's model has this run's shape and vocabulary (checked before
 * the corpus is read; no-op without --init-from or when resuming). */
int train_check_init_from(const TrainOptions *o, const BertConfig *cfg, const Tokenizer *tok, BtError *err);
/* The first dimension words start in (--word-split resolved). */
int train_word_split(const TrainOptions *o, const BertConfig *cfg);

#endif
