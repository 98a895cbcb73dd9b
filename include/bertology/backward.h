#ifndef BERTOLOGY_BACKWARD_H
#define BERTOLOGY_BACKWARD_H
/* The backward pass: the twin of forward(), layer by layer, reading the
 * intermediates the forward pass left in the Trace. Gradients accumulate
 * into a BertModel made by model_alloc with the same config, so they sit
 * in the same layout as the parameters (grads.params mirrors m.params). */
#include "bertology/trace.h"

typedef struct {
    float *dout, *dx, *dres, *dln, *dtmp; /* (B,T,H) */
    float *dffn_act, *dffn_pre;      /* (B,T,I) */
    float *dq, *dk, *dv;             /* (B,nh,T,hd) */
    float *dqkv;                     /* (B,T,3H): their merge, for the fused Q|K|V product */
    float *dmlm_ln, *dmlm_act, *dmlm_pre, *dmlm_in; /* (mlm_cap,H) */
    float *dpooled, *dcls, *cls;     /* (B,H) */
    float *block;                    /* the one block they are carved from (bigmem.h: reused, not re-faulted) */
} BackwardScratch;

int backward_scratch_alloc(BackwardScratch *s, const Trace *tr, BtError *err);
void backward_scratch_free(BackwardScratch *s);

/* dmlm_logits (n_mlm,V) and dnsp_logits (B,2) are the loss gradients
 * (either may be NULL). Adds into g. On return s->dres (B,T,H) holds the
 * gradient at tr->emb_sum, the input of the embedding LayerNorm (and so
 * at each of the word, position and type vectors summed there). A g whose
 * arrays are NULL (a zeroed BertModel) asks for that input gradient
 * alone: no parameter gradient is accumulated, and nothing the size of
 * the model is needed (saliency.h). */
void backward(const BertModel *m, const Trace *tr, const float *dmlm_logits,
              const float *dnsp_logits, BertModel *g, BackwardScratch *s);

/* Cross-entropy over rows of logits (N,C) against labels (N); writes
 * dlogits = (softmax - onehot)·scale (if not NULL) and returns the mean
 * loss. correct1/correct5 (may be NULL) count top-1/top-5 hits. */
double cross_entropy(const float *logits, const int *labels, int N, int C, float *dlogits,
                     float scale, int *correct1, int *correct5);

#endif
