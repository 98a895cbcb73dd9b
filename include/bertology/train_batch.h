#ifndef BERTOLOGY_TRAIN_BATCH_H
#define BERTOLOGY_TRAIN_BATCH_H
/* A batch of instances laid into a Trace, as the losses and counts read
 * it: the one layout of the trainer's batches and of the held-out
 * evaluation's (eval.c). */
#include "bertology/corpus.h"
#include "bertology/trace.h"

typedef struct {
    int *labels;             /* (mlm_cap) the original id at each chosen row of tr->mlm_rows */
    unsigned char *kind;     /* (mlm_cap) what masking did there (MaskKind), or NULL: not kept */
    int *nsp_labels;         /* (B) Hugging Face's convention: 0 = IsNext */
} TrainBatch;

/* For B sequences and up to mlm_cap chosen rows; kind only when with_kind.
 * -1 when out of memory. */
int train_batch_alloc(TrainBatch *b, int B, int mlm_cap, int with_kind);
void train_batch_free(TrainBatch *b);

/* Sequences 0..n of tr (tr->B rows of tr->T positions, the current T) take
 * in[0..n), cut at tr->T: input_ids, type_ids, valid, and every chosen
 * position as an MLM row (tr->mlm_rows, tr->n_mlm, b->labels and b->kind;
 * none past tr->mlm_cap). Sequences n..B are padding, for a short last
 * batch: [PAD] with position 0 counted as real, so that attention has a
 * key (a row of −∞ scores is NaN), no chosen rows, NSP label 0. Returns
 * the real tokens laid in (valid positions of the n instances). */
long train_batch_fill(Trace *tr, const Instance *const *in, int n, int pad_id, TrainBatch *b);

#endif
