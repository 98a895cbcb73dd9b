#ifndef BERTOLOGY_FORWARD_H
#define BERTOLOGY_FORWARD_H
#include "bertology/trace.h"

/* Runs the encoder over tr->input_ids / type_ids / valid (filled by the
 * caller, or by forward_prepare) and fills every intermediate of tr.
 * tr->causal / unscaled / dropout select the variant, tr->ablate the
 * heads and FFNs knocked out (ablate.h); rng feeds dropout
 * (may be NULL when dropout is 0). MLM head: over tr->mlm_rows if n_mlm > 0
 * and mlm_rows was set by the caller, else over all B*T rows (when
 * tr->mlm_logits was allocated for them). */
void forward(const BertModel *m, Trace *tr, uint64_t *rng);
/* forward() after the table lookup: the pass over the word, position and
 * type vectors (tok_emb, pos_emb, type_emb) as tr holds them, summed and
 * normalised on. After a forward(), a caller that changes tok_emb (to a
 * point on the path of integrated gradients: saliency.h) runs the model on
 * those vectors instead of the vocabulary's. */
void forward_embedded(const BertModel *m, Trace *tr, uint64_t *rng);
/* The layers from `first` on, then the heads, reading layer first-1's
 * output (tr->x0 for 0) as the last run left it: after a change that
 * leaves the layers below alone (a knock-out in layer `first`), the rest
 * of the pass without redoing them. forward() is the embeddings then
 * forward_from(0). */
void forward_from(const BertModel *m, Trace *tr, int first, uint64_t *rng);

/* Convenience for one sequence: copies ids/type ids in, marks all valid. */
int forward_prepare(Trace *tr, const int *ids, const int *type_ids, int n, BtError *err);

/* The MLM head on n rows of hidden vectors in (n,H): logits (n,V) =
 * LN(GELU(in·Wᵀ+b))·Eᵀ + bias, with every step kept (pre, act, ln: (n,H);
 * mean, rstd: (n)) for the backward pass. forward() runs it on the last
 * layer's rows; the logit lens (lens.h) on earlier depths. The one
 * implementation of the head. */
void mlm_head_forward(const BertModel *m, const float *in, int n, float *pre, float *act, float *ln, float *mean,
                      float *rstd, float *logits);

#endif
