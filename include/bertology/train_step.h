#ifndef BERTOLOGY_TRAIN_STEP_H
#define BERTOLOGY_TRAIN_STEP_H
/* The gradient half of one pretraining step, shared by the trainer and
 * bench/bench_train so that the benchmark times exactly what training
 * runs: forward (dropout drawn from rng), mean MLM cross-entropy over the
 * tr->n_mlm chosen rows, NSP cross-entropy over the batch, backward into g
 * (zeroed first), and clipping of the global gradient norm. The caller
 * then takes the AdamW step at its schedule's rate. */
#include <stdint.h>
#include "bertology/backward.h"
#include "bertology/model.h"
#include "bertology/trace.h"
#include "bertology/unlikely.h"

typedef struct {
    double mlm_loss, nsp_loss;
    double unlikely_loss;       /* the visible-words term (0 when vw is NULL or off) */
    int mlm_right, nsp_right;   /* top-1 hits, for the progress line */
    float grad_norm;            /* before clipping */
} StepLoss;

/* labels (tr->n_mlm) the original ids of the chosen rows; nsp_labels (B)
 * HF's convention, 0 = IsNext; dlogits (mlm_cap × V) and dnsp (B × 2)
 * scratch; clip 0 turns clipping off; vw (NULL: none) adds the
 * unlikelihood of the sequences' visible words (unlikely.h). */
void train_grad(const BertModel *m, BertModel *g, Trace *tr, BackwardScratch *s, const int *labels,
                const int *nsp_labels, float *dlogits, float *dnsp, float clip, const VisibleWords *vw,
                uint64_t *rng, StepLoss *out);

#endif
