#ifndef BERTOLOGY_TRAIN_INIT_H
#define BERTOLOGY_TRAIN_INIT_H
/* The starting weights of a pretraining run (see src/train/init.c and the
 * default model's card for why they differ from BERT's). */
#include <stdint.h>
#include "bertology/corpus.h"
#include "bertology/error.h"
#include "bertology/model.h"
#include "bertology/trainer.h"

/* Whether the initialisation options fit the configuration: lets a run
 * fail before it spends time reading the corpus. */
int train_check_init(const TrainOptions *o, const BertConfig *cfg, BtError *err);
int train_init_params(BertModel *m, const TrainOptions *o, const Corpus *c, uint64_t *rng, BtError *err);

#endif
